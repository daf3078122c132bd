import { describe, expect, it } from 'vitest';
import { scenario, statesEntered, upgrade, withEnvironment, withFaults } from './helpers.js';

/** scenarios/demo.yaml with SNS Publish answering ThrottlingException far longer than any retry waits. */
function demoWithoutSns() {
  return withFaults(scenario('demo'), [{ type: 'throttle', service: 'sns', operation: 'Publish', times: 1000 }]);
}

describe('notifications that cannot be sent', () => {
  it('never fail an upgrade: it reaches its target, and every failed notification is counted and kept', async () => {
    await withEnvironment(demoWithoutSns(), async (env) => {
      const execution = await upgrade(env, 'demo');

      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      expect(env.world.account.clusterVersion('demo')).toBe('1.34');
      expect(env.world.account.published).toHaveLength(0);
      const entered = statesEntered(execution);
      expect(entered).toContain('Notify upgrade succeeded');
      expect(entered).not.toContain('Notify failure');
      // started, a hop done per hop (two hops), succeeded: every attempt counted (the alarm's metric) and logged.
      const attempts = env.metrics.published.filter((m) => m.name === 'NotificationPublishFailed');
      const logged = env.log.records.filter((r) => r.message === 'notification not published').map((r) => r.kind);
      expect(attempts.length).toBe(logged.length);
      expect(new Set(logged)).toEqual(new Set(['upgrade-started', 'hop-succeeded', 'upgrade-succeeded']));
      // Each notification was retried as the state machine's Retry says (1 + 6 attempts) before it gave up.
      expect(logged.filter((k) => k === 'upgrade-started')).toHaveLength(7);
      const output = execution.output as { notificationFailed?: Record<string, { Error: string }> };
      expect(output.notificationFailed?.started?.Error).toBe('Throttled');
      expect(output.notificationFailed?.succeeded?.Error).toBe('Throttled');
    });
  });
});
