import { fileURLToPath } from 'node:url';
import { runScenario } from '../local/run.js';
import { loadScenario } from '../sim/scenario.js';
import type { Benchmark } from './run.js';

/**
 * Length of the union of the intervals: the time during which at least one AWS operation was running. With
 * operations run one after another this is their sum: the physical limit of the upgrade with zero detection lag.
 */
export function busySeconds(intervals: Array<{ startMs: number; endMs?: number }>): number {
  const sorted = intervals
    .filter((i): i is { startMs: number; endMs: number } => i.endMs !== undefined)
    .sort((a, b) => a.startMs - b.startMs);
  let total = 0;
  let curStart = Number.NaN;
  let curEnd = Number.NaN;
  for (const i of sorted) {
    if (Number.isNaN(curStart) || i.startMs > curEnd) {
      if (!Number.isNaN(curStart)) total += curEnd - curStart;
      curStart = i.startMs;
      curEnd = i.endMs;
    } else {
      curEnd = Math.max(curEnd, i.endMs);
    }
  }
  if (!Number.isNaN(curStart)) total += curEnd - curStart;
  return total / 1000;
}

export const demoBenchmark: Benchmark = {
  key: 'demo',
  async run() {
    const scenario = loadScenario(fileURLToPath(new URL('../scenarios/demo.yaml', import.meta.url)));
    const result = await runScenario(scenario);
    const cluster = result.clusters[0];
    if (cluster?.status !== 'SUCCEEDED')
      throw new Error(`the demo did not succeed: ${cluster?.error} ${cluster?.cause}`);
    const physical = busySeconds(result.operations);
    return {
      realSeconds: Number(result.realSeconds.toFixed(2)),
      simulatedSeconds: Number(cluster.simulatedSeconds.toFixed(0)),
      physicalLimitSeconds: Number(physical.toFixed(0)),
      overheadRatio: Number((cluster.simulatedSeconds / physical).toFixed(4)),
      operations: result.operations.length,
    };
  },
};
