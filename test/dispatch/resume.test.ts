import { describe, expect, it } from 'vitest';
import { cluster, decisionOf, fleet, invokeDispatch, policyWith, schedule, untilDone, withFleet } from './helpers.js';

const anyTime = policyWith('target: latest');

describe('resuming an upgrade that stopped after its control plane moved', () => {
  it('starts a catch-up for a cluster at its target whose managed node groups lag, and the upgrade finishes them', async () => {
    // Prepare: the control plane reached 1.35, then the upgrade stopped while rotating `general`.
    const scenario = fleet('2026-12-01T02:00:00Z', [
      cluster('halfway', {
        version: '1.35',
        managedNodegroups: [
          { name: 'general', version: '1.34', desiredSize: 1, minSize: 1, maxSize: 2 },
          { name: 'batch', desiredSize: 1, minSize: 1, maxSize: 2 },
        ],
      }),
      cluster('done', { version: '1.35' }),
    ]);

    await withFleet(scenario, anyTime, async (env) => {
      // Act
      const result = await invokeDispatch(env, schedule);

      // Assess: the lagging group is named, the one at target is not, and nothing else starts.
      expect(decisionOf(result, 'halfway')).toMatchObject({ decision: 'started', hops: ['1.35'] });
      expect(decisionOf(result, 'halfway').reason).toContain(
        'catch-up on 1.35: managed node groups behind the control plane: general on 1.34',
      );
      expect(decisionOf(result, 'done').decision).toBe('nothing-to-do');
      const [execution, ...others] = env.stepFunctions.listExecutions();
      expect(others).toEqual([]);
      if (!execution) throw new Error('no execution started');
      await untilDone(env, execution);
      expect(execution.status).toBe('SUCCEEDED');
      expect(env.world.account.nodegroup('halfway', 'general').version).toBe('1.35');
      expect(env.world.account.calls.filter((c) => c.command === 'UpdateClusterVersion')).toEqual([]);
    });
  });

  it('resumes after a failed upgrade whose self-managed group lags, which only the Kubernetes API shows', async () => {
    // Prepare: the control plane and managed nodes reached 1.35; the upgrade failed rotating its self-managed group, so its
    // nodes still run 1.34. Dispatch sees the failed execution, not the group.
    const behind = (name: string) =>
      cluster(name, {
        version: '1.35',
        selfManagedGroups: [
          { name: `${name}-legacy`, amiFamily: 'al2023', version: '1.34', desiredSize: 1, minSize: 1, maxSize: 2 },
        ],
      });
    const history = (name: string, status: string) => ({
      name: `${name}-1-35-20261130`,
      cluster: name,
      target: '1.35',
      status,
      startedAt: '2026-11-30T02:00:00Z',
      stoppedAt: '2026-11-30T03:10:00Z',
    });
    const scenario = fleet(
      '2026-12-01T02:00:00Z',
      [behind('failed'), behind('stopped'), cluster('clean', { version: '1.35' })],
      { executions: [history('failed', 'FAILED'), history('stopped', 'ABORTED'), history('clean', 'FAILED')] },
    );

    await withFleet(scenario, anyTime, async (env) => {
      // Act
      const result = await invokeDispatch(env, schedule);

      // Assess: the failed one resumes and its run rotates the self-managed group; the one an operator stopped
      // waits for them; the failed one with nothing left starts a run that finds nothing to do.
      expect(decisionOf(result, 'failed')).toMatchObject({ decision: 'started', hops: ['1.35'] });
      expect(decisionOf(result, 'failed').reason).toContain(
        'catch-up on 1.35: the last upgrade to 1.35 (failed-1-35-20261130) ended FAILED',
      );
      expect(decisionOf(result, 'stopped').decision).toBe('nothing-to-do');
      const runs = env.stepFunctions.listExecutions();
      const failed = runs.find((e) => e.name.startsWith('failed-1-35-20261201'));
      const clean = runs.find((e) => e.name.startsWith('clean-1-35-20261201'));
      if (!failed || !clean) throw new Error(`expected runs for failed and clean, got ${runs.map((r) => r.name)}`);
      await untilDone(env, failed);
      await untilDone(env, clean);
      expect(failed.status).toBe('SUCCEEDED');
      const kubelets = env.world.clusters.get('failed')?.kube.kubeletVersions();
      expect(kubelets?.length).toBeGreaterThan(0);
      for (const v of kubelets ?? []) expect(v).toMatch(/^v1\.35\./);
      expect(clean.status).toBe('SUCCEEDED');
      expect(clean.history.some((e) => e.stateName === 'Already at target')).toBe(true);
      expect(env.world.account.calls.filter((c) => c.command === 'UpdateClusterVersion')).toEqual([]);
    });
  });
});
