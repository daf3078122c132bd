import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handler as dispatch } from '../functions/dispatch.js';
import { createLocalEnvironment } from '../local/environment.js';
import { fleetScenario } from '../sim/fleet.js';
import type { Benchmark } from './run.js';

// The executions dispatch starts wait here instead of upgrading: the figure is dispatch's own time, not that of a
// few hundred upgrades running beside it.
const parkedStateMachine = `StartAt: Upgrade (not run by this benchmark)
States:
  Upgrade (not run by this benchmark):
    Type: Wait
    Seconds: 604800
    End: true
`;

/**
 * One scheduled dispatch run over the generated fleet: 1,000 clusters in 20 accounts and 3 regions, EKS answering
 * in 50-150 ms with 10 requests a second per account and region (burst 20), the SDK retrying throttled calls as
 * deployed (standard mode, 3 attempts). `seconds` is the simulated time the run took, what it would take in AWS.
 */
export const dispatch1000Benchmark: Benchmark = {
  key: 'dispatch1000',
  async run() {
    const scenario = fleetScenario();
    const dir = mkdtempSync(join(tmpdir(), 'dispatch1000-'));
    const definitionPath = join(dir, 'parked.asl.yaml');
    writeFileSync(definitionPath, parkedStateMachine);
    const buildStart = performance.now();
    const env = await createLocalEnvironment(scenario, { definitionPath, maxAttempts: 3 });
    const buildSeconds = (performance.now() - buildStart) / 1000;
    try {
      const startMs = env.clock.now().getTime();
      const wallStart = performance.now();
      let outcome: { value: unknown } | { error: unknown } | undefined;
      // Outside any task handler, as EventBridge Scheduler invokes it; simulated time moves while its calls wait.
      void dispatch({ source: 'eks-upgrade.schedule' }).then(
        (value) => {
          outcome = { value };
        },
        (error: unknown) => {
          outcome = { error };
        },
      );
      await env.clock.runUntil(() => outcome !== undefined, { maxSimulatedSeconds: 3 * 3600 });
      const wallSeconds = (performance.now() - wallStart) / 1000;
      if (!outcome || 'error' in outcome) throw (outcome as { error: unknown } | undefined)?.error;
      const result = outcome.value as { started?: number; decisions: Array<{ decision: string }> };
      const decisions = result.decisions;
      const byKind = new Map<string, number>();
      for (const d of decisions) byKind.set(d.decision, (byKind.get(d.decision) ?? 0) + 1);
      return {
        seconds: Math.round((env.clock.now().getTime() - startMs) / 100) / 10,
        wallSeconds: Math.round(wallSeconds * 100) / 100,
        clusters: decisions.length,
        accounts: 1 + (scenario.accounts?.length ?? 0),
        throttledCalls: env.world.cloud.throttledCalls('eks'),
        eksCalls: [...env.world.cloud.accounts.values()].reduce(
          (n, a) => n + a.calls.filter((c) => c.service === 'eks').length,
          0,
        ),
        failedDecisions: byKind.get('error') ?? 0,
        started: result.started ?? byKind.get('started') ?? 0,
        decisions: [...byKind.entries()]
          .sort()
          .map(([k, n]) => `${k}=${n}`)
          .join(' '),
        buildSeconds: Math.round(buildSeconds * 100) / 100,
      };
    } finally {
      await env.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
