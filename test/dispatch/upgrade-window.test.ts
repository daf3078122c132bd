import { describe, expect, it } from 'vitest';
import { cluster, decisionOf, fleet, invokeDispatch, policyWith, schedule, untilDone, withFleet } from './helpers.js';

describe('the upgrade waits for a maintenance window before each control plane update', () => {
  it('starts hop 2’s control plane update at the next window when hop 1 outlives the first', async () => {
    // Prepare: a daily window 02:00-02:30 UTC that must have 20 minutes left; 1.33 → 1.35 is two hops, and the
    // first takes longer than 10 minutes.
    const policy = policyWith(
      ['maintenanceWindows: [{ cron: "0 2 * * *", duration: 30m, timezone: UTC }]', 'minWindowRemaining: 20m'].join(
        '\n',
      ),
    );
    const scenario = fleet('2026-11-24T02:00:00Z', [cluster('orders', { version: '1.33' })]);

    await withFleet(scenario, policy, async (env) => {
      // Act
      const d = decisionOf(await invokeDispatch(env, schedule), 'orders');
      const [execution] = env.stepFunctions.listExecutions();
      if (!execution) throw new Error('nothing started');
      await untilDone(env, execution);

      // Assess
      expect(d.decision).toBe('started');
      expect(execution.status).toBe('SUCCEEDED');
      const entered = (state: string) =>
        execution.history
          .filter((e) => e.type.endsWith('StateEntered') && e.stateName === state)
          .map((e) => e.timestamp.toISOString());
      const [hop1, hop2] = entered('Upgrade control plane');
      expect(hop1).toBe('2026-11-24T02:00:00.000Z');
      expect(hop2).toBe('2026-11-25T02:00:00.000Z');
      expect(entered('Wait for maintenance window')).toHaveLength(1);
      const checks = execution.history.filter(
        (e) => e.type === 'TaskStateExited' && e.stateName === 'Check maintenance window',
      );
      expect(checks.map((e) => (e.output as { window: { open: boolean } }).window.open)).toEqual([true, false, true]);
      expect((checks[1]?.output as { window?: { reason: string } } | undefined)?.window?.reason).toMatch(
        /waiting for 2026-11-25T02:00:00Z$/,
      );
      expect(env.world.account.clusterVersion('orders')).toBe('1.35');
    });
  });

  it('does not wait when the policy has no windows', async () => {
    const scenario = fleet('2026-11-24T02:00:00Z', [cluster('orders')]);
    await withFleet(scenario, policyWith('target: latest'), async (env) => {
      await invokeDispatch(env, schedule);
      const [execution] = env.stepFunctions.listExecutions();
      if (!execution) throw new Error('nothing started');
      await untilDone(env, execution);
      expect(execution.status).toBe('SUCCEEDED');
      const check = execution.history.find(
        (e) => e.type === 'TaskStateExited' && e.stateName === 'Check maintenance window',
      );
      expect(check?.output).toMatchObject({ window: { open: true, reason: 'the policy has no maintenance windows' } });
    });
  });
});
