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
});
