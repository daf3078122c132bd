import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { kubeApisFor } from '../lib/kube/index.js';
import { scanLiveObjects } from '../lib/readiness/index.js';
import type { Benchmark } from './run.js';

/** A well-formed EKS token for the simulated API server (it checks the shape, not the signature). */
function simulatedToken(): string {
  const url =
    'https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=00';
  return `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;
}

/** Starts the 100,000-object cluster in a child process and resolves with its URL. */
function startCluster(): Promise<{ url: string; rssMb: number; stop: () => void }> {
  const child = fork(fileURLToPath(new URL('./scan-cluster.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the simulated cluster exited with ${code}`)));
    child.once('message', (m) => {
      const { url, rssMb } = m as { url: string; rssMb: number };
      child.removeAllListeners('exit');
      resolve({ url, rssMb, stop: () => child.send('stop') });
    });
  });
}

/**
 * `scan100k`: the readiness API scan of a simulated cluster with 100,000 objects including 2,000 Helm releases,
 * streamed 500 objects a page. Peak RSS is the scanning process's (the cluster runs in another process).
 */
export const scanBenchmark: Benchmark = {
  key: 'scan100k',
  async run() {
    const cluster = await startCluster();
    try {
      const kube = kubeApisFor({ clusterName: 'big', server: cluster.url, token: simulatedToken() });
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 10);
      const start = performance.now();
      const scan = await scanLiveObjects(kube);
      const seconds = (performance.now() - start) / 1000;
      clearInterval(sampler);
      // maxRSS (KiB) covers the whole process life, the sampler the scan; report the larger.
      const peakRssMb = Math.max(peak / 1e6, (process.resourceUsage().maxRSS * 1024) / 1e6);
      return {
        seconds: Number(seconds.toFixed(2)),
        objects: scan.objects,
        objectsPerSecond: Math.round(scan.objects / seconds),
        peakRssMb: Math.round(peakRssMb),
        rssBeforeScanMb: Math.round(before / 1e6),
        helmReleases: scan.helmReleases,
        usagesFound: scan.usages.length,
        simulatorRssMb: cluster.rssMb,
      };
    } finally {
      cluster.stop();
    }
  },
};
