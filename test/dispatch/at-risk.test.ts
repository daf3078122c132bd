import { describe, expect, it } from 'vitest';
import { cluster, fleet, invokeDispatch, policyWith, schedule, withFleet } from './helpers.js';

// Weekend windows only: on Tuesday 2026-12-01 a cluster whose version leaves standard support on 2026-12-02
// cannot start in time; one two versions behind has months left.
const weekendsOnly = policyWith(
  ['target: latest', 'maintenanceWindows:', '  - { cron: "0 22 * * SAT", duration: 8h, timezone: Europe/Berlin }'].join(
    '\n',
  ),
);

const atRiskDigests = (published: ReadonlyArray<{ subject?: string; message: string; attributes: object }>) =>
  published.filter((p) => JSON.stringify(p.attributes).includes('fleet-at-risk'));

describe('clusters at risk of extended support', () => {
  it('tells people in one message which clusters cannot start in time, why, and what to do', async () => {
    const scenario = fleet('2026-12-01T02:00:00Z', [
      cluster('late', { version: '1.34' }),
      cluster('current', { version: '1.35' }),
    ]);

    await withFleet(scenario, weekendsOnly, async (env) => {
      // Act
      const result = await invokeDispatch(env, schedule);

      // Assess
      expect(result.decisions.find((d) => d.cluster.name === 'late')).toMatchObject({
        decision: 'wait-window',
        atRisk: true,
      });
      const [digest, ...more] = atRiskDigests(env.world.account.published);
      expect(more).toEqual([]);
      expect(digest?.subject).toBe('EKS upgrades at risk: 1 cluster may run into extended support');
      expect(digest?.message).toContain(
        '- late (111122223333/eu-west-1) on 1.34: end of standard support 2026-12-02, 0 days left; planned 2026-12-05',
      );
      expect(digest?.message).not.toContain('current');
      expect(digest?.message).toContain('What to do: widen or add a maintenance window');
    });
  });

  it('says nothing on a dry run, or when no cluster is at risk', async () => {
    const scenario = fleet('2026-12-01T02:00:00Z', [cluster('late', { version: '1.34' })]);
    await withFleet(scenario, weekendsOnly, async (env) => {
      await invokeDispatch(env, { ...schedule, dryRun: true });
      expect(atRiskDigests(env.world.account.published)).toEqual([]);
    });
    await withFleet(
      fleet('2026-12-01T02:00:00Z', [cluster('current', { version: '1.35' })]),
      weekendsOnly,
      async (env) => {
        await invokeDispatch(env, schedule);
        expect(atRiskDigests(env.world.account.published)).toEqual([]);
      },
    );
  });
});
