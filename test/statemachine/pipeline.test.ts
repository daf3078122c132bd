import { describe, expect, it } from 'vitest';
import { runScenario } from '../../local/run.js';
import { defaultAddonVersion } from '../../sim/aws/index.js';
import { parseScenario } from '../../sim/scenario.js';
import { scenario, statesEntered, upgrade, withEnvironment, withFaults } from './helpers.js';

describe('upgrade-cluster state machine in the simulated world', () => {
  it('upgrades the demo cluster 1.32 → 1.34: control plane, add-ons and every node, within its budgets', async () => {
    let subjects: string[] = [];
    let commands: string[] = [];
    const result = await runScenario(scenario('demo'), {
      inspect: (env) => {
        subjects = env.world.account.published.map((p) => p.subject ?? '');
        commands = env.world.account.calls.map((c) => c.command);
      },
    });
    const demo = result.clusters[0];
    expect(demo?.status, demo?.cause).toBe('SUCCEEDED');
    expect(demo?.controlPlaneVersion).toBe('1.34');
    expect(demo?.kubeletVersions.length).toBeGreaterThan(0);
    for (const v of demo?.kubeletVersions ?? []) expect(v).toMatch(/^v1\.34\./);
    for (const addon of demo?.addons ?? []) expect(addon.version).toBe(defaultAddonVersion(addon.name, '1.34'));
    expect(demo?.pdbViolations).toBe(0);
    expect(demo?.podsLost).toBe(0);
    // Two hops, each moving the control plane once and the node group once.
    expect(commands.filter((c) => c === 'UpdateClusterVersion')).toHaveLength(2);
    expect(commands.filter((c) => c === 'UpdateNodegroupVersion')).toHaveLength(2);
    expect(subjects[0]).toMatch(/started: demo .* 1\.32 -> 1\.34/);
    expect(subjects.filter((s) => s.includes('done'))).toHaveLength(2);
    expect(subjects.at(-1)).toMatch(/succeeded: demo .* now on 1\.34/);
  });

  it('stops waiting for a control plane update stuck in progress, says what to do, and a later run continues from it', async () => {
    const base = scenario('demo');
    const stuck = withFaults(base, [{ type: 'controlPlaneUpdateStuck', toVersion: '1.33', minutes: 240 }]);
    await withEnvironment(stuck, async (env) => {
      const first = await upgrade(env, 'demo', 'demo-first');
      const stoppedAt = env.clock.now().getTime();
      const versionWhenStopped = env.world.account.clusterVersion('demo');
      const told = env.world.account.published.at(-1);
      // The update lands in EKS later; the next run finds the control plane on 1.33 and goes on from there.
      let waited = false;
      void env.clock.sleep(3 * 3600 * 1000).then(() => {
        waited = true;
      });
      await env.clock.runUntil(() => waited);
      env.world.scheduler.advance();
      const second = await upgrade(env, 'demo', 'demo-second');

      expect(first.status).toBe('FAILED');
      expect(first.error).toBe('ControlPlaneUpdateStuck');
      expect(first.cause).toMatch(/has been InProgress for 9\d minutes/);
      expect(first.cause).toContain('aws eks describe-update --name demo --update-id ');
      expect(stoppedAt - Date.parse(base.startTime)).toBeLessThan(2 * 3600 * 1000);
      expect(versionWhenStopped).toBe('1.32');
      expect(told?.subject).toContain('FAILED');
      expect(told?.message).toContain('aws eks describe-update');
      expect(second.status, second.cause).toBe('SUCCEEDED');
      expect(env.world.account.clusterVersion('demo')).toBe('1.34');
      // 1.33 was asked for once: the stuck update was waited out, never started twice.
      const updates = env.world.account.calls.filter((c) => c.command === 'UpdateClusterVersion' && c.outcome === 'ok');
      expect(updates).toHaveLength(2);
    });
  });

  it('stops with EKS errors when the control plane update fails, leaving the cluster on its version', async () => {
    await withEnvironment(scenario('control-plane-fails'), async (env) => {
      const execution = await upgrade(env, 'fragile');
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('ControlPlaneUpdateFailed');
      expect(execution.cause).toContain('ClusterUnreachable');
      expect(env.world.account.clusterVersion('fragile')).toBe('1.32');
      expect(env.world.account.calls.some((c) => c.command === 'UpdateNodegroupVersion')).toBe(false);
      const failure = env.world.account.published.at(-1);
      expect(failure?.subject).toContain('FAILED');
      expect(failure?.message).toContain('ClusterUnreachable');
      expect(statesEntered(execution)).toContain('Notify failure');
    });
  });

  it('stops at the add-ons when an add-on update fails, after the control plane moved', async () => {
    await withEnvironment(scenario('addon-fails'), async (env) => {
      const execution = await upgrade(env, 'conflicted');
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('AddonUpdateFailed');
      expect(execution.cause).toMatch(/coredns/);
      expect(env.world.account.clusterVersion('conflicted')).toBe('1.33');
      expect(env.world.account.addonVersions('conflicted').coredns).toBe(defaultAddonVersion('coredns', '1.32'));
      expect(env.world.account.calls.some((c) => c.command === 'UpdateNodegroupVersion')).toBe(false);
      expect(env.world.account.published.at(-1)?.message).toMatch(/AddonUpdateFailed|coredns/);
    });
  });

  it('stops after 30 minutes when an add-on stays DEGRADED after its update succeeded, naming its health issue', async () => {
    const degraded = withFaults(scenario('demo'), [{ type: 'addonDegradedAfterUpdate', addon: 'coredns' }]);
    await withEnvironment(degraded, async (env) => {
      const execution = await upgrade(env, 'demo');

      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('AddonUpdateFailed');
      expect(execution.cause).toMatch(
        /^add-on coredns \S+ \(update \S+\): its update succeeded but the add-on has been DEGRADED since, for 3\d minutes in all; health: InsufficientNumberOfReplicas: /,
      );
      expect(execution.cause).toContain('aws eks describe-addon --cluster-name demo --addon-name coredns');
      // The control plane moved; no node moved while an add-on is unhealthy.
      expect(env.world.account.clusterVersion('demo')).toBe('1.33');
      expect(env.world.account.calls.some((c) => c.command === 'UpdateNodegroupVersion')).toBe(false);
    });
  });

  it('names the pod and the budget when a PodDisruptionBudget blocks the drain, and forces nothing', async () => {
    await withEnvironment(scenario('pdb-blocks-drain'), async (env) => {
      const execution = await upgrade(env, 'strict');
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('PodEvictionBlocked');
      expect(execution.cause).toMatch(
        /pod default\/ledger-[a-z0-9-]+ on \S+ is held by PodDisruptionBudget default\/ledger-pdb/,
      );
      expect(execution.cause).toContain('allows 0 disruptions');
      const stats = env.world.clusters.get('strict')?.kube.disruptionStats();
      expect(stats?.pdbViolations).toBe(0);
      expect(stats?.podsLost).toBe(0);
      expect(env.world.account.clusterVersion('strict')).toBe('1.33');
    });
  });

  it('resumes after the blocking budget is relaxed: a second run rotates the remaining nodes only', async () => {
    await withEnvironment(scenario('pdb-blocks-drain'), async (env) => {
      const first = await upgrade(env, 'strict', 'strict-first');
      expect(first.error).toBe('PodEvictionBlocked');
      env.world.clusters.get('strict')?.kube.setBudget('default', 'ledger-pdb', { maxUnavailable: 1 });
      const second = await upgrade(env, 'strict', 'strict-second');
      expect(second.status, second.cause).toBe('SUCCEEDED');
      // The control plane was already on 1.33: the second run is a catch-up hop without a control plane update.
      const updates = env.world.account.calls.filter((c) => c.command === 'UpdateClusterVersion');
      expect(updates).toHaveLength(1);
      expect(statesEntered(second)).not.toContain('Upgrade control plane');
      const kubelets = env.world.clusters.get('strict')?.kube.kubeletVersions() ?? [];
      for (const v of kubelets) expect(v).toMatch(/^v1\.33\./);
      expect(env.world.clusters.get('strict')?.kube.disruptionStats().podsLost).toBe(0);
    });
  });

  it('does nothing but say so when the cluster is already at its target', async () => {
    await withEnvironment(scenario('already-at-target'), async (env) => {
      const execution = await upgrade(env, 'steady');
      expect(execution.status).toBe('SUCCEEDED');
      expect(statesEntered(execution)).toContain('Already at target');
      const mutating = env.world.account.calls.filter((c) => /^Update/.test(c.command));
      expect(mutating).toEqual([]);
      expect(env.world.account.published.at(-1)?.subject).toMatch(/already on 1\.34/);
    });
  });
});

describe('retries on the virtual clock', () => {
  it('rides out a throttled EKS API with the state machine Retry and still upgrades', async () => {
    const base = scenario('already-at-target');
    const cluster = base.clusters[0];
    if (!cluster) throw new Error('scenario has no cluster');
    const throttled = parseScenario({
      ...base,
      clusters: [
        {
          ...cluster,
          version: '1.33',
          managedNodegroups: cluster.managedNodegroups.map((g) => ({ ...g, version: '1.33' })),
          addons: cluster.addons.map((a) => ({ name: a.name })),
          faults: [{ type: 'throttle', service: 'eks', operation: 'DescribeUpdate', times: 3 }],
        },
      ],
    });
    await withEnvironment(throttled, async (env) => {
      const execution = await upgrade(env, 'steady');
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      expect(env.world.account.clusterVersion('steady')).toBe('1.34');
      const retried = execution.history.filter((e) => e.type === 'StateRetried').map((e) => e.stateName);
      expect(retried.length).toBe(3);
      const throttledCalls = env.world.account.calls.filter(
        (c) => c.command === 'DescribeUpdate' && c.outcome === 'error',
      );
      expect(throttledCalls).toHaveLength(3);
    });
  });
});
