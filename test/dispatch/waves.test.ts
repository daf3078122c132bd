import { describe, expect, it } from 'vitest';
import { executionNameFor } from '../../lib/dispatch/index.js';
import {
  cluster,
  decisionOf,
  elapse,
  fleet,
  healthEvent,
  invokeDispatch,
  policyWith,
  schedule,
  untilDone,
  withFleet,
} from './helpers.js';

// dev, then prod; prod starts once its dev twin has run the target for 2 days without a failed upgrade.
const policy = policyWith('target: latest');
const member = '444455556666';
const twins = (devVersion: string) => [
  cluster('checkout-dev', {
    version: devVersion,
    tags: { 'eks-upgrade/policy': 'dev', 'eks-upgrade/wave-group': 'checkout' },
  }),
  cluster('checkout-prod', {
    accountId: member,
    tags: { 'eks-upgrade/policy': 'prod', 'eks-upgrade/wave-group': 'checkout' },
  }),
];
const past = (status: string, startedAt: string, stoppedAt: string) => ({
  cluster: 'checkout-dev',
  target: '1.35',
  status,
  startedAt,
  stoppedAt,
});
const at = '2026-11-24T02:00:00Z';
const withTwins = (devVersion: string, executions: object[]) =>
  fleet(at, twins(devVersion), { accounts: [{ id: member }], executions });

describe('waves: prod waits for its dev twin to soak on the target', () => {
  it('waits while the dev twin is behind the target', async () => {
    await withFleet(withTwins('1.34', []), policy, async (env) => {
      const result = await invokeDispatch(env, { ...schedule, dryRun: true });
      expect(decisionOf(result, 'checkout-dev').decision).toBe('would-start');
      const prod = decisionOf(result, 'checkout-prod');
      expect(prod).toMatchObject({
        decision: 'wait-wave',
        cluster: { accountId: member },
        wave: { group: 'checkout', name: 'prod' },
      });
      expect(prod.reason).toContain(
        'waits for 111122223333/eu-west-1/checkout-dev (wave dev) to run 1.35; it runs 1.34',
      );
      expect(prod.plannedStart).toBeUndefined();
    });
  });

  it('waits for the rest of the soak, and plans for its end', async () => {
    const history = [past('SUCCEEDED', '2026-11-23T02:00:00Z', '2026-11-23T03:00:00Z')];
    await withFleet(withTwins('1.35', history), policy, async (env) => {
      const prod = decisionOf(await invokeDispatch(env, schedule), 'checkout-prod');
      expect(prod.decision).toBe('wait-wave');
      expect(prod.reason).toContain('to soak on 1.35: 23h of 2d, 1d 1h left');
      expect(prod.plannedStart).toBe('2026-11-25T03:00:00.000Z');
      expect(env.stepFunctions.listExecutions().filter((e) => e.status === 'RUNNING')).toEqual([]);
    });
  });

  it('starts once the soak is over', async () => {
    const history = [past('SUCCEEDED', '2026-11-20T02:00:00Z', '2026-11-20T03:00:00Z')];
    await withFleet(withTwins('1.35', history), policy, async (env) => {
      const prod = decisionOf(await invokeDispatch(env, schedule), 'checkout-prod');
      expect(prod.decision).toBe('started');
      const running = env.stepFunctions.listExecutions({ status: 'RUNNING' });
      expect(running.map((e) => e.input)).toEqual([
        expect.objectContaining({ cluster: 'checkout-prod', accountId: member, region: 'eu-west-1' }),
      ]);
    });
  });

  it('holds prod after the dev twin’s latest upgrade to the target failed', async () => {
    const history = [
      past('SUCCEEDED', '2026-11-18T02:00:00Z', '2026-11-18T03:00:00Z'),
      { ...past('FAILED', '2026-11-20T02:00:00Z', '2026-11-20T02:40:00Z'), name: 'checkout-dev-rerun' },
    ];
    await withFleet(withTwins('1.35', history), policy, async (env) => {
      const prod = decisionOf(await invokeDispatch(env, schedule), 'checkout-prod');
      expect(prod.decision).toBe('wait-wave');
      expect(prod.reason).toContain('its upgrade checkout-dev-rerun ended FAILED on 2026-11-20T02:40:00.000Z; fix it');
    });
  });

  it('upgrades dev, lets it soak in simulated time, then prod; a Health event for prod is judged the same way', async () => {
    await withFleet(withTwins('1.34', []), policy, async (env) => {
      // Act 1: dev starts, prod waits for it.
      const first = await invokeDispatch(env, schedule);
      expect(first.decisions.map((d) => d.decision)).toEqual(['started', 'wait-wave']);
      const [dev] = env.stepFunctions.listExecutions();
      if (!dev) throw new Error('dev did not start');
      await untilDone(env, dev);
      expect(dev.status).toBe('SUCCEEDED');

      // Act 2: a day later, the Health event names prod only; its twin is still soaking.
      await elapse(env, 86_400_000);
      const prodArn = `arn:aws:eks:eu-west-1:${member}:cluster/checkout-prod`;
      const health = await invokeDispatch(env, healthEvent([prodArn]));
      expect(health.decisions.map((d) => [d.cluster.name, d.decision])).toEqual([['checkout-prod', 'wait-wave']]);
      expect(health.decisions[0]?.reason).toMatch(/to soak on 1\.35: 1d(?: \d+m)? of 2d/);

      // Act 3: the soak is over.
      await elapse(env, 86_400_000);
      const third = await invokeDispatch(env, schedule);
      expect(third.decisions.map((d) => d.decision)).toEqual(['nothing-to-do', 'started']);
    });
  });
});

describe('execution names', () => {
  it('keep twins named alike in different accounts apart, and stay within 80 characters', () => {
    const day = new Date('2026-12-01T02:00:00Z');
    const a = executionNameFor(
      { name: 'checkout', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/checkout' },
      '1.35',
      day,
    );
    const b = executionNameFor(
      { name: 'checkout', arn: 'arn:aws:eks:eu-west-1:444455556666:cluster/checkout' },
      '1.35',
      day,
    );
    expect(a).toMatch(/^checkout-1-35-20261201-[0-9a-f]{6}$/);
    expect(b).not.toBe(a);
    const long = executionNameFor({ name: 'x'.repeat(100), arn: 'arn:aws:eks:eu-west-1:1:cluster/x' }, '1.35', day);
    expect(long).toHaveLength(80);
    expect(long).toMatch(/-1-35-20261201-[0-9a-f]{6}$/);
  });
});
