import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { handler as dispatch } from '../../functions/dispatch.js';
import { hopPath } from '../../lib/dispatch/index.js';
import type { FleetClusterStatus } from '../../lib/fleet/index.js';
import { createLocalEnvironment } from '../../lib/local/environment.js';
import { loadScenario, parseScenario, ScenarioError } from '../../lib/sim/scenario.js';

export const defaultPolicyPath = fileURLToPath(new URL('../../config/upgrade-policy.yaml', import.meta.url));
const defaultFleetScenario = fileURLToPath(new URL('../../scenarios/fleet.yaml', import.meta.url));

export interface LocalDispatch {
  at: string;
  started: number;
  decisions: FleetClusterStatus[];
  problems: string[];
  /** With --apply: how each started execution ended. */
  outcomes?: Array<{ cluster: string; executionName: string; status: string; version: string; error?: string }>;
}

/**
 * Runs the real dispatch handler once in the simulated world of a scenario, at `at`, with the policy file; with
 * `apply`, starts the upgrades and drives them to their end in simulated time.
 */
export async function dispatchLocally(options: {
  scenario: string;
  at?: string;
  policy?: string;
  apply: boolean;
}): Promise<LocalDispatch> {
  const base = loadScenario(options.scenario);
  let startTime = new Date(base.startTime).toISOString();
  if (options.at) {
    const ms = Date.parse(options.at);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(options.at) || Number.isNaN(ms)) {
      throw new ScenarioError(`--at must be an ISO 8601 instant such as 2026-12-01T02:00:00Z, got "${options.at}"`);
    }
    startTime = new Date(ms).toISOString();
  }
  const scenario = parseScenario({ ...base, startTime }, options.scenario);
  const env = await createLocalEnvironment(scenario);
  try {
    env.deps.settings.policyFile = resolve(options.policy ?? defaultPolicyPath);
    let outcome: { value?: Omit<LocalDispatch, 'at'>; error?: unknown } | undefined;
    const event = { source: 'eks-upgrade.schedule', ...(options.apply ? {} : { dryRun: true }) };
    void env.clock
      .track(() => dispatch(event))
      .then(
        (value) => {
          outcome = { value: value as Omit<LocalDispatch, 'at'> };
        },
        (error: unknown) => {
          outcome = { error };
        },
      );
    await env.clock.runUntil(() => outcome !== undefined);
    if (outcome?.error) throw outcome.error;
    const result: LocalDispatch = { at: startTime, ...(outcome?.value as Omit<LocalDispatch, 'at'>) };
    if (!options.apply) return result;
    const running = env.stepFunctions.listExecutions({ status: 'RUNNING' });
    let ended = 0;
    for (const e of running) void e.done.then(() => ended++);
    await env.clock.runUntil(() => ended === running.length, { maxSimulatedSeconds: 400 * 86_400 });
    result.outcomes = running.map((e) => {
      const input = e.input as { cluster: string; accountId?: string };
      return {
        cluster: input.cluster,
        executionName: e.name,
        status: e.status,
        version: (
          env.world.cloud.accounts.get(env.world.cloud.accountOfCluster(input.cluster)) ?? env.world.account
        ).clusterVersion(input.cluster),
        ...(e.error ? { error: `${e.error}: ${e.cause ?? ''}` } : {}),
      };
    });
    return result;
  } finally {
    await env.close();
  }
}

const marks: Partial<Record<FleetClusterStatus['decision'], string>> = {
  started: '▶',
  'would-start': '▷',
  'nothing-to-do': '✔',
  error: '✖',
  'invalid-policy': '✖',
  'not-found': '✖',
};

/** One or two lines per cluster: what dispatch decided and why. */
export function decisionLines(d: FleetClusterStatus): string[] {
  const where = `${d.cluster.accountId}/${d.cluster.region}`;
  const path = d.version && d.target && d.hops.length ? ` ${hopPath(d.version, d.target)}` : '';
  const lines = [`${marks[d.decision] ?? '⏸'} ${d.cluster.name} (${where}): ${d.decision}${path}`, `    ${d.reason}`];
  if (d.executionName) lines.push(`    execution: ${d.executionName}`);
  return lines;
}

/** `eks-upgrade dispatch`: what dispatch would start now, and why; `--apply` starts it in the simulated world. */
export function registerDispatch(program: Command): void {
  program
    .command('dispatch')
    .description('Decide, for every cluster of a scenario, whether its upgrade starts now (dry run unless --apply)')
    .option('--scenario <file>', 'scenario YAML (see docs/scenarios.md)', defaultFleetScenario)
    .option('--at <instant>', 'the simulated instant to decide at, such as 2026-12-01T02:00:00Z')
    .option('--policy <file>', 'upgrade policy file (docs/fleet.md)', defaultPolicyPath)
    .option('--json', 'print the decisions as JSON')
    .option('--apply', 'start the upgrades and run them to the end in the simulated world')
    .action(async (options: { scenario: string; at?: string; policy: string; json?: boolean; apply?: boolean }) => {
      const result = await dispatchLocally({ ...options, apply: Boolean(options.apply) });
      const failed =
        result.decisions.some((d) => d.decision === 'error') ||
        (result.outcomes ?? []).some((o) => o.status !== 'SUCCEEDED');
      process.exitCode = failed ? 1 : 0;
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ...result, applied: Boolean(options.apply) }, null, 2)}\n`);
        return;
      }
      const write = (line: string) => process.stdout.write(`${line}\n`);
      write(`dispatch at ${result.at}${options.apply ? '' : ' (dry run: nothing starts; --apply starts it)'}`);
      for (const d of result.decisions) for (const line of decisionLines(d)) write(line);
      for (const p of result.problems) write(`✖ ${p}`);
      const due = result.decisions.filter((d) => d.decision === 'would-start' || d.decision === 'started').length;
      write(`${due} of ${result.decisions.length} clusters ${options.apply ? 'started' : 'would start'}`);
      for (const o of result.outcomes ?? []) {
        write(
          `${o.status === 'SUCCEEDED' ? '✔' : '✖'} ${o.cluster}: ${o.status}, now on ${o.version}${o.error ? ` (${o.error})` : ''}`,
        );
      }
    });
}
