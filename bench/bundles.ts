import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzip } from '../test/zip.js';
import type { Benchmark } from './run.js';

/**
 * What every Lambda function costs before it handles an event: the deployment zip's bytes, and the cold module
 * init, a fresh `node` process (the project's Node 22, the Lambda runtime's major) importing the packaged handler
 * as Lambda would, median of five. An empty module measured the same way in the same run is the baseline, so the
 * figure that matters is `initAboveEmptyMs`. Targets: every zip ≤ 1 MB, every init ≤ 150 ms above the baseline.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const packaged = join(root, '.serverless');
const runs = 5;
const zipTargetBytes = 1024 * 1024;
const initTargetMs = 150;

function packageService(): number {
  const started = performance.now();
  const run = spawnSync('npm', ['run', 'package'], { cwd: root, encoding: 'utf8', timeout: 10 * 60_000 });
  if (run.status !== 0) throw new Error(`npm run package failed:\n${run.stdout}\n${run.stderr}`);
  return (performance.now() - started) / 1000;
}

/** Milliseconds for a fresh process to import `file` and exit, median of `runs`. */
function coldImportMs(file: string): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(file)});`], {
      encoding: 'utf8',
      // What Lambda sets before the handler module loads; no credentials are needed to import a module.
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', AWS_LAMBDA_FUNCTION_NAME: 'bench', TZ: 'UTC' },
      timeout: 30_000,
    });
    const elapsed = performance.now() - started;
    if (run.status !== 0) throw new Error(`importing ${file} failed:\n${run.stderr}`);
    times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

export const bundlesBenchmark: Benchmark = {
  key: 'bundles',
  async run() {
    const packageSeconds = packageService();
    const unpacked = mkdtempSync(join(tmpdir(), 'eks-upgrade-bench-bundles-'));
    try {
      const empty = join(unpacked, 'empty.mjs');
      writeFileSync(empty, '');
      const emptyMs = coldImportMs(empty);
      const figures: Record<string, number | string> = {
        packageSeconds: round(packageSeconds),
        emptyModuleMs: round(emptyMs),
      };
      const zips = readdirSync(packaged)
        .filter((name) => name.endsWith('.zip') && !name.startsWith('eks-upgrade-orchestrator'))
        .sort();
      let largestZip = 0;
      let slowestInit = 0;
      for (const zip of zips) {
        const name = zip.replace(/\.zip$/, '');
        const bytes = statSync(join(packaged, zip)).size;
        const files = unzip(join(packaged, zip), join(unpacked, name));
        const handler = files.find((file) => file === `functions/${name}.mjs`);
        if (!handler) throw new Error(`${zip} holds no functions/${name}.mjs`);
        const initMs = coldImportMs(join(unpacked, name, handler));
        figures[`${name}.zipBytes`] = bytes;
        figures[`${name}.initAboveEmptyMs`] = round(initMs - emptyMs);
        largestZip = Math.max(largestZip, bytes);
        slowestInit = Math.max(slowestInit, initMs - emptyMs);
      }
      figures.functions = zips.length;
      figures.largestZipBytes = largestZip;
      figures.largestZipOfTarget = round(largestZip / zipTargetBytes, 3);
      figures.slowestInitAboveEmptyMs = round(slowestInit);
      figures.slowestInitOfTarget = round(slowestInit / initTargetMs, 3);
      figures.withinTargets = largestZip <= zipTargetBytes && slowestInit <= initTargetMs ? 'yes' : 'no';
      return figures;
    } finally {
      rmSync(unpacked, { recursive: true, force: true });
    }
  },
};

function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
