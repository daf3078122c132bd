import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundlesBenchmark } from './bundles.js';
import { consoleExecutionsBenchmark } from './consoleExecutions10k.js';
import { demoBenchmark } from './demo.js';
import { dispatch1000Benchmark } from './dispatch1000.js';
import { rotationBenchmark } from './rotation.js';
import { scanBenchmark } from './scan.js';
import { scanFileBenchmark } from './scanFile.js';
import { skewBenchmark } from './skew.js';
import { watchLatencyBenchmark } from './watchLatency.js';

/** A benchmark prints figures and returns them; it asserts nothing (tests do that). */
export interface Benchmark {
  key: string;
  run(): Promise<Record<string, number | string>>;
}

const benchmarks: Benchmark[] = [
  demoBenchmark,
  rotationBenchmark,
  skewBenchmark,
  scanBenchmark,
  scanFileBenchmark,
  consoleExecutionsBenchmark,
  dispatch1000Benchmark,
  bundlesBenchmark,
  watchLatencyBenchmark,
];
const resultsPath = fileURLToPath(new URL('./results.json', import.meta.url));

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  let results: Record<string, unknown> = {};
  try {
    results = JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>;
  } catch {
    results = {};
  }
  const rows: string[][] = [];
  for (const b of benchmarks) {
    if (only.length && !only.includes(b.key)) continue;
    const figures = await b.run();
    results[b.key] = { ...figures, measuredAt: new Date().toISOString() };
    for (const [name, value] of Object.entries(figures)) rows.push([b.key, name, String(value)]);
  }
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length), 9));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  process.stdout.write(`${line(['benchmark', 'figure', 'value'])}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nwritten to bench/results.json\n`);
}

await main();
