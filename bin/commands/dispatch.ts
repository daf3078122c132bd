import { userInfo } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { handler as dispatch } from '../../functions/dispatch.js';
import { hopPath } from '../../lib/dispatch/index.js';
import type { FleetClusterStatus } from '../../lib/fleet/index.js';
import type { LocalApi } from '../../local/api-server.js';
import { removeApiSession } from '../../local/api-session.js';
import { createLocalEnvironment } from '../../local/environment.js';
import { driveUntil, type GateWaiting, type InteractiveOptions, serveInteractive } from '../../local/run.js';
import { loadScenario, parseScenario, ScenarioError } from '../../sim/scenario.js';
import { announceLocalApi } from '../interactive.js';
import { paceProblem, portProblem, untilInterrupted } from '../options.js';

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

/** An applied dispatch whose upgrades people follow, and whose gates they decide, in the console. */
export interface InteractiveDispatch extends InteractiveOptions {
  /** Called with the decisions once dispatch has run, before the upgrades it started are driven. */
  onDispatched?: (result: LocalDispatch) => void;
  /** Called once the started upgrades have ended: the console keeps serving until the promise resolves. */
  afterEnd: (result: LocalDispatch) => Promise<void>;
}

const interactiveNeedsApply =
  '--interactive serves the console while the upgrades dispatch starts run: add --apply (a dry run starts nothing ' +
  'and writes no fleet snapshot; drop --interactive to preview the decisions)';

/**
 * Runs the real dispatch handler once in the simulated world of a scenario, at `at`, with the policy file; with
 * `apply`, starts the upgrades and drives them to their end in simulated time. With `interactive` (and `apply`),
 * the local API serves the console from before dispatch runs until `afterEnd` resolves, gates wait for people, and
 * simulated time runs at its pace.
 */
export async function dispatchLocally(options: {
  scenario: string;
  at?: string;
  policy?: string;
  apply: boolean;
  interactive?: InteractiveDispatch;
}): Promise<LocalDispatch> {
  const interactive = options.interactive;
  if (interactive && !options.apply) throw new ScenarioError(interactiveNeedsApply);
  const base = loadScenario(options.scenario);
  let startTime = new Date(base.startTime).toISOString();
  if (options.at) {
    const ms = Date.parse(options.at);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(options.at) || Number.isNaN(ms)) {
      throw new ScenarioError(`--at must be an ISO 8601 instant such as 2026-12-01T02:00:00Z, got "${options.at}"`);
    }
    startTime = new Date(ms).toISOString();
    // The scenario's recorded executions are history: an instant before the last of them is the option's mistake.
    const latest = Math.max(
      ...(base.executions ?? []).map((e) => Date.parse(e.stoppedAt)).filter((t) => !Number.isNaN(t)),
    );
    if (Number.isFinite(latest) && ms < latest) {
      throw new ScenarioError(
        `--at ${options.at} is before the executions ${options.scenario} records (the last ended at ${new Date(latest).toISOString()}); give an instant after it`,
      );
    }
  }
  const scenario = parseScenario({ ...base, startTime }, options.scenario);
  const env = await createLocalEnvironment(scenario);
  let api: LocalApi | undefined;
  try {
    // Decisions name the file as the user knows it: relative to where the command runs when it lies below it.
    const policyPath = resolve(options.policy ?? defaultPolicyPath);
    const below = relative(process.cwd(), policyPath);
    env.deps.settings.policyFile = below && !below.startsWith('..') && !isAbsolute(below) ? below : policyPath;
    // The approval links that gates email point at the local API, so it serves before anything starts.
    if (interactive) api = await serveInteractive(env, interactive);
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
    interactive?.onDispatched?.(result);
    const running = env.stepFunctions.listExecutions({ status: 'RUNNING' });
    let ended = 0;
    for (const e of running) void e.done.then(() => ended++);
    await driveUntil(env.clock, () => ended === running.length, {
      maxSimulatedSeconds: 400 * 86_400,
      ...(interactive?.pace ? { pace: interactive.pace } : {}),
    });
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
    await interactive?.afterEnd(result);
    return result;
  } finally {
    await api?.close();
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

interface DispatchOptions {
  scenario: string;
  at?: string;
  policy: string;
  json?: boolean;
  apply?: boolean;
  interactive?: boolean;
  port?: number;
  pace?: number;
}

/** What is wrong with the options, in words that say what to do, or undefined. */
function optionProblem(options: DispatchOptions): string | undefined {
  const { pace, port } = options;
  const problem = paceProblem(pace) ?? portProblem(port);
  if (problem) return problem;
  if (!options.interactive) {
    if (pace !== undefined) return '--pace paces interactive runs: add --interactive (and --apply)';
    if (port !== undefined) return '--port is the port of the console that --interactive serves: add --interactive';
    return undefined;
  }
  if (!options.apply) return interactiveNeedsApply;
  if (options.json) return '--json prints one result for scripts and --interactive serves people: use one of them';
  return undefined;
}

function printDecisions(result: LocalDispatch, apply: boolean, write: (line: string) => void): void {
  write(`dispatch at ${result.at}${apply ? '' : ' (dry run: nothing starts; --apply starts it)'}`);
  for (const d of result.decisions) for (const line of decisionLines(d)) write(line);
  for (const p of result.problems) write(`✖ ${p}`);
  const due = result.decisions.filter((d) => d.decision === 'would-start' || d.decision === 'started').length;
  write(`${due} of ${result.decisions.length} clusters ${apply ? 'started' : 'would start'}`);
}

function printGate(gate: GateWaiting, write: (line: string) => void): void {
  write(`⏸ ${gate.cluster}: approval needed (${gate.gate}, hop ${gate.hop}); the gate waits until ${gate.expiresAt}`);
  write(
    `    decide on the console's Approvals page, or approve: npm run cli -- approve ${gate.executionName} --gate ${gate.gateId}`,
  );
  write(`    reject:  npm run cli -- approve ${gate.executionName} --gate ${gate.gateId} --reject --reason "why"`);
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
    .option(
      '--interactive',
      'with --apply: serve the console on 127.0.0.1 while the upgrades run (gates that wait for people are decided there), until Ctrl-C',
    )
    .option('--port <port>', 'port of the local API on 127.0.0.1 (--interactive; default: any free port)', Number)
    .option(
      '--pace <seconds>',
      'simulated seconds per real second, to watch stages run in the console (--interactive; default: as fast as possible)',
      Number,
    )
    .action(async (options: DispatchOptions) => {
      const problem = optionProblem(options);
      if (problem) {
        process.stderr.write(`${problem}\n`);
        process.exitCode = 1;
        return;
      }
      const apply = Boolean(options.apply);
      const write = (line: string) => process.stdout.write(`${line}\n`);
      const interactive: InteractiveDispatch | undefined = options.interactive
        ? {
            user: userInfo().username,
            ...(options.port !== undefined ? { port: options.port } : {}),
            ...(options.pace !== undefined ? { pace: options.pace } : {}),
            onApi: (api, env) => announceLocalApi(api, env, write),
            onGate: (gate) => printGate(gate, write),
            onDispatched: (result) => printDecisions(result, apply, write),
            afterEnd: async (result) => {
              printOutcomes(result, write, true);
              write('The started upgrades have ended; the console keeps serving until Ctrl-C.');
              await untilInterrupted();
            },
          }
        : undefined;
      let result: LocalDispatch;
      try {
        result = await dispatchLocally({
          scenario: options.scenario,
          policy: options.policy,
          apply,
          ...(options.at !== undefined ? { at: options.at } : {}),
          ...(interactive ? { interactive } : {}),
        });
      } finally {
        if (interactive) removeApiSession();
      }
      // A policy file that cannot plan a cluster it governs fails the command as an error does ("check the policy
      // before deploying it" must not pass); a cluster whose own tags are wrong is shown, and its tags to fix.
      const failed =
        result.decisions.some((d) => d.decision === 'error' || d.invalidIn === 'policy-file') ||
        (result.outcomes ?? []).some((o) => o.status !== 'SUCCEEDED');
      process.exitCode = failed ? 1 : 0;
      if (interactive) return;
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ...result, applied: apply }, null, 2)}\n`);
        return;
      }
      printDecisions(result, apply, write);
      printOutcomes(result, write);
    });
}

function printOutcomes(result: LocalDispatch, write: (line: string) => void, interactive = false): void {
  for (const o of result.outcomes ?? []) {
    write(
      `${o.status === 'SUCCEEDED' ? '✔' : '✖'} ${o.cluster}: ${o.status}, now on ${o.version}${o.error ? ` (${o.error})` : ''}`,
    );
    // Without --interactive nobody is there to decide a gate that asks people: it waits out its timeout.
    if (!interactive && o.error?.startsWith('ApprovalTimedOut'))
      write('    nobody could decide its gate in this run: add --interactive to decide it in the console');
  }
}
