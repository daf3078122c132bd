import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './run.js';

/**
 * `scanFile400k`: `eks-upgrade scan` of one manifest file of 400,000 documents (about 60 MB, the size of a
 * `kubectl get -o yaml` export of a large cluster), one in fifty in a removed API version and a few hundred
 * broken. The scan runs in a child process, so its peak RSS is the scanner's. Targets: 15 s and 512 MB.
 */

const documents = 400_000;

const kinds = [
  ['apps/v1', 'Deployment'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['batch/v1', 'CronJob'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
] as const;

function documentText(i: number): string {
  if (i % 1000 === 999) return `---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: broken-${i}\n`;
  const [apiVersion, kind] =
    i % 50 === 7 ? (['extensions/v1beta1', 'Ingress'] as const) : (kinds[i % kinds.length] ?? kinds[0]);
  return `---
apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: object-${i}
  namespace: team-${i % 40}
  labels:
    app.kubernetes.io/name: app-${i % 300}
    app.kubernetes.io/part-of: shop
spec:
  replicas: ${i % 5}
`;
}

async function writeManifest(path: string): Promise<void> {
  const out = createWriteStream(path);
  let batch = '';
  for (let i = 0; i < documents; i++) {
    batch += documentText(i);
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      batch = '';
    }
  }
  out.end(batch);
  await new Promise<void>((resolve, reject) => out.on('finish', () => resolve()).on('error', reject));
}

export const scanFileBenchmark: Benchmark = {
  key: 'scanFile400k',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'eks-upgrade-bench-scan-'));
    try {
      const file = join(dir, 'export.yaml');
      await writeManifest(file);
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('./scan-file-child.ts', import.meta.url)), file, '1.25'],
        { encoding: 'utf8', timeout: 10 * 60_000, maxBuffer: 1 << 20 },
      );
      if (child.status !== 0) throw new Error(`the scan failed:\n${child.stderr}`);
      const figures = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
      const seconds = figures.seconds ?? Number.NaN;
      const peakRssMb = figures.peakRssMb ?? Number.NaN;
      return {
        documents,
        fileMb: Math.round(statSync(file).size / 1e5) / 10,
        seconds: Number(seconds.toFixed(2)),
        documentsPerSecond: Math.round(documents / seconds),
        peakRssMb: Math.round(peakRssMb),
        rssBeforeScanMb: Math.round(figures.rssBeforeMb ?? 0),
        objects: figures.objects ?? 0,
        verdicts: figures.verdicts ?? 0,
        unreadable: figures.unreadable ?? 0,
        secondsOfTarget: Number((seconds / 15).toFixed(3)),
        peakRssOfTarget: Number((peakRssMb / 512).toFixed(3)),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
