import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handler as dispatch } from '../../functions/dispatch.js';
import type { FleetClusterStatus } from '../../lib/fleet/index.js';
import { createLocalEnvironment, type LocalEnvironment } from '../../local/environment.js';
import type { LocalExecution } from '../../local/stepfunctions.js';
import { parseScenario, type Scenario } from '../../sim/scenario.js';

export const shippedPolicy = readFileSync(new URL('../../config/upgrade-policy.yaml', import.meta.url), 'utf8');

/** Writes a policy file and points the dispatch function at it (its POLICY_FILE), as a deployment bundles it. */
export function usePolicy(env: LocalEnvironment, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'eks-upgrade-policy-')), 'upgrade-policy.yaml');
  writeFileSync(path, text);
  env.deps.settings.policyFile = path;
  return path;
}

/** A small enrolled cluster; `tags` and the rest override. */
export function cluster(name: string, change: Record<string, unknown> = {}): Record<string, unknown> {
  const { tags, ...rest } = change as { tags?: Record<string, string> };
  return {
    name,
    region: 'eu-west-1',
    version: '1.34',
    tags: { 'eks-upgrade/enabled': 'true', ...tags },
    addons: [{ name: 'coredns' }],
    managedNodegroups: [{ name: 'general', desiredSize: 1, minSize: 1, maxSize: 2 }],
    ...rest,
  };
}

export function fleet(startTime: string, clusters: Array<Record<string, unknown>>, extra: object = {}): Scenario {
  return parseScenario({ name: 'fleet-test', startTime, clusters, ...extra }, 'fleet-test');
}

export interface DispatchResult {
  started: number;
  decisions: FleetClusterStatus[];
  problems: string[];
}

/**
 * Invokes the real dispatch handler in the local environment, as Scheduler or EventBridge would, letting simulated
 * time move while it backs off from throttling.
 */
export async function invokeDispatch(env: LocalEnvironment, event: unknown): Promise<DispatchResult> {
  let outcome: { value?: DispatchResult; error?: unknown } | undefined;
  void env.clock
    .track(() => dispatch(event))
    .then(
      (value) => {
        outcome = { value: value as DispatchResult };
      },
      (error: unknown) => {
        outcome = { error };
      },
    );
  await env.clock.runUntil(() => outcome !== undefined);
  if (outcome?.error) throw outcome.error;
  return outcome?.value as DispatchResult;
}

export const schedule = { source: 'eks-upgrade.schedule' };

/** An AWS Health planned lifecycle event naming these cluster ARNs. */
export function healthEvent(arns: string[], category = 'scheduledChange'): object {
  const sample = JSON.parse(
    readFileSync(new URL('../../events/health-eks-end-of-support.json', import.meta.url), 'utf8'),
  ) as { detail: Record<string, unknown> };
  return {
    ...sample,
    resources: arns,
    detail: {
      ...sample.detail,
      eventTypeCategory: category,
      affectedEntities: arns.map((entityValue) => ({ entityValue })),
    },
  };
}

export function decisionOf(result: DispatchResult, name: string): FleetClusterStatus {
  const d = result.decisions.find((x) => x.cluster.name === name);
  if (!d) throw new Error(`no decision for ${name}: ${JSON.stringify(result.decisions.map((x) => x.cluster.name))}`);
  return d;
}

export async function withFleet<T>(
  scenario: Scenario,
  policy: string,
  work: (env: LocalEnvironment) => Promise<T>,
): Promise<T> {
  const env = await createLocalEnvironment(scenario);
  try {
    usePolicy(env, policy);
    return await work(env);
  } finally {
    await env.close();
  }
}

/** Drives simulated time until the execution ends. */
export async function untilDone(env: LocalEnvironment, execution: LocalExecution): Promise<void> {
  let done = false;
  void execution.done.then(() => {
    done = true;
  });
  await env.clock.runUntil(() => done);
}

/** Lets simulated time pass (nothing else scheduled fires first unless it is due). */
export async function elapse(env: LocalEnvironment, ms: number): Promise<void> {
  let due = false;
  setTimeout(() => {
    due = true;
  }, ms);
  await env.clock.runUntil(() => due, { maxSimulatedSeconds: 400 * 86_400 });
}

/** A policy file with one group (and optional waves), everything else default. */
export function policyWith(defaults: string, extra = ''): string {
  return `version: 1\ndefaults:\n${defaults
    .split('\n')
    .map((l) => `  ${l}`)
    .join(
      '\n',
    )}\npolicies:\n  dev: { wave: dev }\n  prod: { wave: prod }\nwaves:\n  order: [dev, prod]\n  soak: { prod: 2d }\ndefaultPolicy: dev\n${extra}`;
}
