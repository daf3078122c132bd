import { describe, expect, it } from 'vitest';
import type { LocalEnvironment } from '../../local/environment.js';
import { parseScenario } from '../../sim/scenario.js';
import { consoleRequest } from '../approvals/helpers.js';
import { scenario, statesEntered, upgrade, withEnvironment } from './helpers.js';

/** Every one of the cluster's `count` nodes runs `minor`, and the simulator counted no violation and no lost pod. */
function expectEveryNodeOn(env: LocalEnvironment, cluster: string, count: number, minor: string): void {
  const kube = env.world.clusters.get(cluster)?.kube;
  const versions = kube?.kubeletVersions() ?? [];
  expect(versions).toHaveLength(count);
  for (const v of versions) expect(v.startsWith(`v${minor}.`), v).toBe(true);
  expect(kube?.disruptionStats()).toMatchObject({ pdbViolations: 0, podsLost: 0 });
}

describe('Karpenter NodePools', () => {
  it('waits in every hop while Karpenter replaces drifted nodes, within budgets, without a violation or a lost pod', async () => {
    await withEnvironment(scenario('karpenter'), async (env) => {
      const execution = await upgrade(env, 'autoscaled');
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      expectEveryNodeOn(env, 'autoscaled', 10, '1.34');
      // The pool was waited for in both hops: its nodes were replaced twice, by Karpenter, not through EKS or ASG.
      const entered = statesEntered(execution).filter((s) => s === 'Validate hop');
      expect(entered).toHaveLength(2);
      const calls = env.world.account.calls.map((c) => c.command);
      expect(calls).not.toContain('TerminateInstanceInAutoScalingGroup');
    });
  });

  it('stops after the timeout, naming the nodes behind, the budgets and the pods held, when a budget forbids drift', async () => {
    const base = scenario('karpenter');
    const cluster = base.clusters[0];
    if (!cluster) throw new Error('no cluster');
    const frozen = parseScenario({
      ...base,
      clusters: [
        {
          ...cluster,
          version: '1.33',
          policy: { target: '1.34', nodeRotation: { replacementTimeoutSeconds: 1800 } },
          karpenter: { nodePools: [{ name: 'general', nodes: 3, budgets: [{ nodes: '0' }] }] },
          workloads: [
            { kind: 'Deployment', name: 'ledger', replicas: 2, nodegroup: 'general', pdb: { minAvailable: 2 } },
          ],
        },
      ],
    });
    await withEnvironment(frozen, async (env) => {
      const execution = await upgrade(env, 'autoscaled');
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('PodEvictionBlocked');
      expect(execution.cause).toMatch(/Karpenter did not move NodePool general to 1\.34 within 30 minutes/);
      expect(execution.cause).toMatch(/3 of 3 nodes are behind: ip-10-1-/);
      expect(execution.cause).toMatch(/disruption budgets: nodes: "0"/);
      expect(execution.cause).toMatch(
        /pod default\/ledger-\S+ on ip-10-1-\S+ is held by PodDisruptionBudget default\/ledger/,
      );
      expect(statesEntered(execution)).toContain('Notify failure');
      const kube = env.world.clusters.get('autoscaled')?.kube;
      expect(kube?.nodeNames()).toHaveLength(5);
      expect(kube?.disruptionStats()).toMatchObject({ pdbViolations: 0, podsLost: 0 });
    });
  });
});

describe('Fargate profiles', () => {
  it('restarts the workloads on old Fargate kubelets, reports the bare pod and leaves it alone', async () => {
    await withEnvironment(scenario('fargate'), async (env) => {
      const kube = env.world.clusters.get('serverless')?.kube;
      const fargateBefore = (kube?.nodeNames() ?? []).filter((n) => n.startsWith('fargate-ip-'));
      expect(fargateBefore).toHaveLength(7);
      const execution = await upgrade(env, 'serverless');
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      expect(kube?.disruptionStats()).toMatchObject({ pdbViolations: 0, podsLost: 0 });
      const nodes = kube?.nodeNames() ?? [];
      const versions = kube?.kubeletVersions() ?? [];
      const fargate = nodes.flatMap((n, i) => (n.startsWith('fargate-ip-') ? [versions[i] ?? ''] : []));
      // Six restarted pods on 1.34, the bare pod still on its 1.33 node.
      expect(fargate.filter((v) => v.startsWith('v1.34.'))).toHaveLength(6);
      expect(fargate.filter((v) => v.startsWith('v1.33.'))).toHaveLength(1);
      for (const v of versions.filter((_, i) => !nodes[i]?.startsWith('fargate-ip-'))) expect(v).toMatch(/^v1\.34\./);
      expect(
        kube?.podsOnNode(nodes.find((n, i) => n.startsWith('fargate-ip-') && versions[i]?.startsWith('v1.33.')) ?? ''),
      ).toEqual([expect.objectContaining({ namespace: 'batch', name: 'one-off-report' })]);
      const reports = execution.history
        .map((e) => JSON.stringify(e.output ?? ''))
        .filter((o) => o.includes('fargate:apps'));
      expect(reports.join('\n')).toMatch(/Bare pods left on an older kubelet.*batch\/one-off-report/);
    });
  });
});

describe('EKS Auto Mode clusters', () => {
  it('moves the control plane and waits while AWS replaces the Auto Mode nodes, rotating none itself', async () => {
    await withEnvironment(scenario('auto-mode'), async (env) => {
      const execution = await upgrade(env, 'autopilot');
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      expectEveryNodeOn(env, 'autopilot', 6, '1.34');
      // The plan names the pools as Auto Mode's.
      const plan = execution.history.find((e) => e.type === 'TaskStateExited' && e.stateName === 'Plan upgrade')
        ?.output as { plan?: { hops?: Array<{ nodegroups: string[] }> } };
      expect(plan.plan?.hops?.[0]?.nodegroups).toEqual(['automode:general-purpose', 'automode:system']);
      // The console names the stage as AWS's.
      const detail = await consoleRequest('GET', `/api/executions/${execution.name}`);
      expect(detail.statusCode).toBe(200);
      expect(detail.body).toContain('EKS Auto Mode NodePool general-purpose (AWS replaces the nodes)');
      // Nothing of the nodes went through EKS node groups or Auto Scaling: AWS replaced them.
      const calls = env.world.account.calls.map((c) => c.command);
      for (const c of ['UpdateNodegroupVersion', 'UpdateAutoScalingGroup', 'TerminateInstanceInAutoScalingGroup']) {
        expect(calls).not.toContain(c);
      }
      expect(calls).toContain('UpdateClusterVersion');
    });
  });

  it('stops after the policy’s time with what holds the Auto Mode nodes, when a budget forbids their replacement', async () => {
    const base = scenario('auto-mode');
    const cluster = base.clusters[0];
    if (!cluster) throw new Error('no cluster');
    const frozen = parseScenario({
      ...base,
      clusters: [
        {
          ...cluster,
          policy: { target: '1.34', nodeRotation: { replacementTimeoutSeconds: 1800 } },
          autoMode: { nodePools: [{ name: 'general-purpose', nodes: 2, budgets: [{ nodes: '0' }] }] },
          workloads: [{ kind: 'Deployment', name: 'storefront', replicas: 2, nodegroup: 'general-purpose' }],
        },
      ],
    });
    await withEnvironment(frozen, async (env) => {
      const execution = await upgrade(env, 'autopilot');
      expect(execution.status).toBe('FAILED');
      expect(execution.cause).toMatch(/EKS Auto Mode did not move NodePool general-purpose to 1\.34 within 30 minutes/);
      expect(execution.cause).toMatch(/disruption budgets: nodes: "0"/);
      expect(execution.cause).toMatch(/so that AWS can replace the nodes/);
      expect(env.world.account.clusterVersion('autopilot')).toBe('1.34');
    });
  });
});
