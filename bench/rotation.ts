import { upgradePolicySchema } from '../lib/planning/index.js';
import { createLocalEnvironment } from '../local/environment.js';
import { parseScenario, type Scenario } from '../sim/scenario.js';
import type { Benchmark } from './run.js';

/** A 60-node cluster: 30 managed and 30 self-managed nodes, with workloads under realistic budgets. */
export function rotationScenario(options: {
  managed: { maxUnavailable?: number; maxUnavailablePercentage?: number };
  selfManagedMax: number;
}): Scenario {
  const workloads = [];
  for (let i = 0; i < 12; i++) {
    workloads.push({
      kind: 'Deployment',
      name: `svc-${i}`,
      replicas: 8,
      startupSeconds: 20,
      nodegroup: i % 2 ? 'general' : 'workers',
      pdb: i % 3 === 0 ? { maxUnavailable: '25%' } : { maxUnavailable: 1 },
    });
  }
  for (let i = 0; i < 4; i++) {
    workloads.push({
      kind: 'StatefulSet',
      name: `db-${i}`,
      replicas: 3,
      startupSeconds: 45,
      nodegroup: i % 2 ? 'general' : 'workers',
      pdb: { minAvailable: 2 },
    });
  }
  workloads.push({ kind: 'DaemonSet', name: 'node-agent' });
  return parseScenario({
    name: 'rotation60',
    clusters: [
      {
        name: 'fleet',
        region: 'eu-west-1',
        version: '1.33',
        // The batch size comes from the policy, as in production (UpdateNodegroupConfig before the version update).
        policy: { target: '1.34', nodeRotation: options.managed },
        managedNodegroups: [{ name: 'general', desiredSize: 30, maxSize: 40 }],
        selfManagedGroups: [{ name: 'workers', desiredSize: 30, minSize: 30, maxSize: options.selfManagedMax }],
        workloads,
      },
    ],
  });
}

/** Runs the upgrade and returns the simulated seconds the node rotation stage took, and the safety counts. */
export async function measureRotation(
  scenario: Scenario,
): Promise<{ seconds: number; pdbViolations: number; podsLost: number; status: string }> {
  const env = await createLocalEnvironment(scenario);
  try {
    const cluster = scenario.clusters[0];
    if (!cluster) throw new Error('scenario has no cluster');
    const execution = env.stepFunctions.startExecution({
      name: 'rotation',
      input: { cluster: cluster.name, region: cluster.region, policy: upgradePolicySchema.parse(cluster.policy) },
    });
    let done = false;
    void execution.done.then(() => {
      done = true;
    });
    await env.clock.runUntil(() => done);
    const entered = execution.history.find((e) => e.type === 'MapStateEntered' && e.stateName === 'Rotate node groups');
    const exited = execution.history.find((e) => e.type === 'MapStateExited' && e.stateName === 'Rotate node groups');
    const stats = env.world.clusters.get(cluster.name)?.kube.disruptionStats();
    return {
      seconds: entered && exited ? (exited.timestamp.getTime() - entered.timestamp.getTime()) / 1000 : Number.NaN,
      pdbViolations: stats?.pdbViolations ?? -1,
      podsLost: stats?.podsLost ?? -1,
      status: `${execution.status}${execution.error ? ` ${execution.error}: ${execution.cause}` : ''}`,
    };
  } finally {
    await env.close();
  }
}

export const rotationBenchmark: Benchmark = {
  key: 'rotation60',
  async run() {
    const ours = await measureRotation(
      rotationScenario({ managed: { maxUnavailablePercentage: 34 }, selfManagedMax: 40 }),
    );
    const oneAtATime = await measureRotation(rotationScenario({ managed: { maxUnavailable: 1 }, selfManagedMax: 31 }));
    for (const r of [ours, oneAtATime])
      if (!r.status.startsWith('SUCCEEDED')) throw new Error(`rotation60 run failed: ${r.status}`);
    return {
      oursSeconds: Math.round(ours.seconds),
      oneAtATimeSeconds: Math.round(oneAtATime.seconds),
      speedupVsOneAtATime: Number((oneAtATime.seconds / ours.seconds).toFixed(2)),
      pdbViolations: ours.pdbViolations + oneAtATime.pdbViolations,
      podsLost: ours.podsLost + oneAtATime.podsLost,
    };
  },
};
