import { upgradePolicySchema } from '../lib/planning/index.js';
import { createLocalEnvironment } from '../local/environment.js';
import { parseScenario, type Scenario } from '../sim/scenario.js';
import type { Benchmark } from './run.js';

/** 1.31 → 1.34 on a cluster whose nodes are all self-managed (48 nodes, room to surge 4: about 10%, a common setting). */
function skewScenario(): Scenario {
  const workloads = [];
  for (let i = 0; i < 12; i++) {
    workloads.push({
      kind: 'Deployment',
      name: `svc-${i}`,
      replicas: 6,
      startupSeconds: 20,
      pdb: { maxUnavailable: 1 },
    });
  }
  workloads.push({ kind: 'StatefulSet', name: 'db', replicas: 3, startupSeconds: 45, pdb: { minAvailable: 2 } });
  return parseScenario({
    name: 'skew-aware',
    clusters: [
      {
        name: 'selfmanaged',
        region: 'eu-west-1',
        version: '1.31',
        policy: { target: '1.34' },
        addons: [{ name: 'kube-proxy' }, { name: 'coredns' }],
        selfManagedGroups: [{ name: 'workers', desiredSize: 48, minSize: 48, maxSize: 52 }],
        workloads,
      },
    ],
  });
}

async function upgradeSeconds(scenario: Scenario, skewAware: boolean): Promise<{ seconds: number; rotations: number }> {
  const env = await createLocalEnvironment(scenario);
  try {
    const cluster = scenario.clusters[0];
    if (!cluster) throw new Error('no cluster');
    const policy = upgradePolicySchema.parse({ ...cluster.policy, nodeRotation: { skewAware } });
    const execution = env.stepFunctions.startExecution({
      name: 'skew',
      input: { cluster: cluster.name, region: cluster.region, policy },
    });
    let done = false;
    void execution.done.then(() => {
      done = true;
    });
    await env.clock.runUntil(() => done);
    if (execution.status !== 'SUCCEEDED') throw new Error(`skew run failed: ${execution.error} ${execution.cause}`);
    const rotations = env.world.account.calls.filter((c) => c.command === 'CreateLaunchTemplateVersion').length;
    return { seconds: ((execution.stopDate?.getTime() ?? 0) - execution.startDate.getTime()) / 1000, rotations };
  } finally {
    await env.close();
  }
}

export const skewBenchmark: Benchmark = {
  key: 'skewAware',
  async run() {
    const scenario = skewScenario();
    const aware = await upgradeSeconds(scenario, true);
    const everyHop = await upgradeSeconds(scenario, false);
    return {
      skewAwareSeconds: Math.round(aware.seconds),
      everyHopSeconds: Math.round(everyHop.seconds),
      timeRatio: Number((aware.seconds / everyHop.seconds).toFixed(3)),
      rotations: aware.rotations,
      rotationsEveryHop: everyHop.rotations,
    };
  },
};
