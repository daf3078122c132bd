/**
 * Watch latency of the simulated API server: how long after a client starts a change (a node cordoned or
 * uncordoned over https) its MODIFIED event reaches a @kubernetes/client-node Watch, beside the change's own
 * round trip. 200 changes, one at a time.
 */
import { performance } from 'node:perf_hooks';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, Watch } from '@kubernetes/client-node';
import { SimKubernetes, startKubeApiServer } from '../sim/kube/index.js';
import { createServingCertificates } from '../sim/kube/tls.js';
import { SimScheduler } from '../sim/scheduler.js';
import type { Benchmark } from './run.js';

const CHANGES = 200;
const presigned =
  'https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id';
const token = `k8s-aws-v1.${Buffer.from(presigned).toString('base64url')}`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export const watchLatencyBenchmark: Benchmark = {
  key: 'watchLatency',
  async run() {
    const start = Date.parse('2026-11-21T02:00:00Z');
    const kube = new SimKubernetes({ scheduler: new SimScheduler(() => start), clusterName: 'bench' });
    for (let n = 0; n < 3; n++) {
      kube.addNode({
        name: `ip-10-0-${n}-10.eu-west-1.compute.internal`,
        instanceId: `i-0${n}aaaabbbbcccc`,
        availabilityZone: 'eu-west-1a',
        group: 'general',
        groupKind: 'managed',
        kubeletVersion: 'v1.32.9-eks-113cf36',
        osImage: 'Amazon Linux 2023',
        instanceType: 'm6i.large',
        maxPods: 29,
        startupSeconds: 0,
      });
    }
    const tls = await createServingCertificates();
    const server = await startKubeApiServer(kube, { tls });
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'bench', server: server.url, caData: Buffer.from(tls.caPem).toString('base64') }],
      users: [{ name: 'bench', token }],
      contexts: [{ name: 'bench', cluster: 'bench', user: 'bench' }],
      currentContext: 'bench',
    });
    const core = kc.makeApiClient(CoreV1Api);
    const listed = await core.listNode();
    const arrivals = new Map<string, number>();
    let notify: (() => void) | undefined;
    const controller = await new Watch(kc).watch(
      '/api/v1/nodes',
      { resourceVersion: listed.metadata?.resourceVersion ?? '' },
      (type, object) => {
        if (type === 'MODIFIED') arrivals.set(String(object?.metadata?.resourceVersion), performance.now());
        notify?.();
      },
      () => {},
    );
    const eventLatency: number[] = [];
    const roundTrip: number[] = [];
    const name = 'ip-10-0-1-10.eu-west-1.compute.internal';
    try {
      for (let i = 0; i < CHANGES; i++) {
        const began = performance.now();
        const node = await core.patchNode(
          { name, body: { spec: { unschedulable: i % 2 === 0 } } },
          setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
        );
        const answered = performance.now();
        const version = String(node.metadata?.resourceVersion);
        const deadline = answered + 5000;
        while (!arrivals.has(version) && performance.now() < deadline) {
          await new Promise<void>((resolve) => {
            notify = resolve;
            setTimeout(resolve, 50);
          });
        }
        const arrived = arrivals.get(version);
        if (arrived === undefined) throw new Error(`no MODIFIED event for resourceVersion ${version} within 5 s`);
        eventLatency.push(arrived - began);
        roundTrip.push(answered - began);
      }
    } finally {
      controller.abort();
      await server.close();
    }
    const figures = {
      changes: CHANGES,
      eventLatencyMedianMs: Number(percentile(eventLatency, 50).toFixed(2)),
      eventLatencyP95Ms: Number(percentile(eventLatency, 95).toFixed(2)),
      patchRoundTripMedianMs: Number(percentile(roundTrip, 50).toFixed(2)),
      eventToRoundTripRatio: Number((percentile(eventLatency, 50) / percentile(roundTrip, 50)).toFixed(3)),
    };
    for (const [k, v] of Object.entries(figures)) process.stdout.write(`watchLatency ${k}: ${v}\n`);
    return figures;
  },
};
