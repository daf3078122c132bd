import { fileURLToPath } from 'node:url';
import { upgradePolicySchema } from '../../lib/planning/index.js';
import { createLocalEnvironment, type LocalEnvironment } from '../../local/environment.js';
import type { LocalExecution } from '../../local/stepfunctions.js';
import { loadScenario, parseScenario, type Scenario } from '../../sim/scenario.js';

export function scenario(name: string): Scenario {
  return loadScenario(fileURLToPath(new URL(`../../scenarios/${name}.yaml`, import.meta.url)));
}

/** The scenario with these faults added to every cluster's own. */
export function withFaults(base: Scenario, faults: Array<Record<string, unknown>>): Scenario {
  return parseScenario({ ...base, clusters: base.clusters.map((c) => ({ ...c, faults: [...c.faults, ...faults] })) });
}

/** Starts the upgrade of a scenario cluster through the real state machine and drives it to the end. */
export async function upgrade(
  env: LocalEnvironment,
  clusterName: string,
  name = `${clusterName}-run-${Date.now()}`,
): Promise<LocalExecution> {
  const cluster = env.world.scenario.clusters.find((c) => c.name === clusterName);
  if (!cluster) throw new Error(`scenario has no cluster ${clusterName}`);
  return runToEnd(env, {
    name,
    input: { cluster: cluster.name, region: cluster.region, policy: upgradePolicySchema.parse(cluster.policy) },
  });
}

/** Starts an execution with this input and drives simulated time until it ends. */
export async function runToEnd(
  env: LocalEnvironment,
  start: { name: string; input: Record<string, unknown> },
): Promise<LocalExecution> {
  const execution = env.stepFunctions.startExecution(start);
  let done = false;
  void execution.done.then(() => {
    done = true;
  });
  await env.clock.runUntil(() => done);
  return execution;
}

export async function withEnvironment<T>(s: Scenario, work: (env: LocalEnvironment) => Promise<T>): Promise<T> {
  const env = await createLocalEnvironment(s);
  try {
    return await work(env);
  } finally {
    await env.close();
  }
}

/** Names of the states the execution entered, in order. */
export function statesEntered(execution: LocalExecution): string[] {
  return execution.history.filter((e) => e.type.endsWith('StateEntered')).map((e) => e.stateName ?? '');
}

/**
 * scenarios/self-managed.yaml with the control plane and managed nodes already on 1.34 and the self-managed group
 * `legacy` behind on 1.33: the shape of a rotation that a hop (or a resumed run) still has to do.
 */
export function selfManagedBehind(
  change: {
    group?: Record<string, unknown>;
    workloads?: Array<Record<string, unknown>>;
    policy?: Record<string, unknown>;
  } = {},
): Scenario {
  const base = scenario('self-managed');
  const cluster = base.clusters[0];
  if (!cluster) throw new Error('scenarios/self-managed.yaml has no cluster');
  return parseScenario({
    ...base,
    clusters: [
      {
        ...cluster,
        version: '1.34',
        ...(change.policy ? { policy: { target: '1.34', ...change.policy } } : {}),
        addons: [],
        managedNodegroups: cluster.managedNodegroups.map((g) => ({ ...g, version: undefined })),
        selfManagedGroups: cluster.selfManagedGroups.map((g) => ({ ...g, version: '1.33', ...change.group })),
        workloads: [...cluster.workloads, ...(change.workloads ?? [])],
      },
    ],
  });
}
