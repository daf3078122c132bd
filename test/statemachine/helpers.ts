import { fileURLToPath } from 'node:url';
import { createLocalEnvironment, type LocalEnvironment } from '../../lib/local/environment.js';
import type { LocalExecution } from '../../lib/local/stepfunctions.js';
import { upgradePolicySchema } from '../../lib/planning/index.js';
import { loadScenario, type Scenario } from '../../lib/sim/scenario.js';

export function scenario(name: string): Scenario {
  return loadScenario(fileURLToPath(new URL(`../../scenarios/${name}.yaml`, import.meta.url)));
}

/** Starts the upgrade of a scenario cluster through the real state machine and drives it to the end. */
export async function upgrade(
  env: LocalEnvironment,
  clusterName: string,
  name = `${clusterName}-run-${Date.now()}`,
): Promise<LocalExecution> {
  const cluster = env.world.scenario.clusters.find((c) => c.name === clusterName);
  if (!cluster) throw new Error(`scenario has no cluster ${clusterName}`);
  const execution = env.stepFunctions.startExecution({
    name,
    input: { cluster: cluster.name, region: cluster.region, policy: upgradePolicySchema.parse(cluster.policy) },
  });
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
