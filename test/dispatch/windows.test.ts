import { describe, expect, it } from 'vitest';
import { cluster, decisionOf, fleet, invokeDispatch, policyWith, schedule, withFleet } from './helpers.js';

// Tuesday to Thursday 02:00-06:00 Berlin; a freeze over new year.
const weekdays = policyWith(
  [
    'maintenanceWindows: [{ cron: "0 2 * * TUE-THU", duration: 4h, timezone: Europe/Berlin }]',
    'exclusions: [{ name: year-end freeze, start: "2026-12-18", end: "2027-01-04", timezone: Europe/Berlin }]',
  ].join('\n'),
);

describe('dispatch inside and outside maintenance windows', () => {
  it('starts an upgrade inside its window, named for the cluster, target, day and ARN', async () => {
    // Prepare: Tuesday 2026-12-01 03:00 Berlin.
    const scenario = fleet('2026-12-01T02:00:00Z', [cluster('orders')]);

    await withFleet(scenario, weekdays, async (env) => {
      // Act
      const result = await invokeDispatch(env, schedule);

      // Assess
      const d = decisionOf(result, 'orders');
      expect(d.decision).toBe('started');
      expect(d.executionName).toMatch(/^orders-1-35-20261201-[0-9a-f]{6}$/);
      expect(d).toMatchObject({
        version: '1.34',
        target: '1.35',
        hops: ['1.35'],
        plannedStart: '2026-12-01T02:00:00.000Z',
      });
      expect(d.reason).toContain('window open until 2026-12-01 05:00 UTC');
      const [execution] = env.stepFunctions.listExecutions();
      expect(execution?.name).toBe(d.executionName);
      expect(execution?.input).toMatchObject({
        cluster: 'orders',
        region: 'eu-west-1',
        accountId: '111122223333',
        policy: {
          target: '1.35',
          maintenanceWindows: [{ cron: '0 2 * * TUE-THU', duration: '4h', timezone: 'Europe/Berlin' }],
          endOfStandardSupport: { '1.34': '2026-12-02T00:00:00.000Z' },
        },
      });
      expect(result.started).toBe(1);
    });
  });

  it('waits outside its window and names the next opening', async () => {
    // Prepare: Friday 2026-12-04 03:00 Berlin: the next window is Tuesday 02:00 Berlin (01:00 UTC).
    const scenario = fleet('2026-12-04T02:00:00Z', [cluster('orders', { version: '1.33' })]);

    await withFleet(scenario, weekdays, async (env) => {
      const d = decisionOf(await invokeDispatch(env, schedule), 'orders');
      expect(d.decision).toBe('wait-window');
      expect(d.plannedStart).toBe('2026-12-08T01:00:00.000Z');
      expect(d.reason).toContain('outside its maintenance windows; planned for 2026-12-08 01:00 UTC');
      expect(env.stepFunctions.listExecutions()).toEqual([]);
    });
  });

  it('does not start with less than minWindowRemaining left in the window', async () => {
    // Prepare: Tuesday 05:30 Berlin, the window closes at 06:00.
    const scenario = fleet('2026-12-01T04:30:00Z', [cluster('orders')]);

    await withFleet(scenario, weekdays, async (env) => {
      const d = decisionOf(await invokeDispatch(env, schedule), 'orders');
      expect(d.decision).toBe('wait-window');
      expect(d.reason).toContain('the window closes at 2026-12-01 05:00 UTC, 30m away, less than the 1h');
      expect(d.plannedStart).toBe('2026-12-02T01:00:00.000Z');
    });
  });

  it('waits out an exclusion even inside a window, and plans the first window after it', async () => {
    // Prepare: Tuesday 2026-12-22, inside the year-end freeze.
    const scenario = fleet('2026-12-22T02:00:00Z', [cluster('orders', { version: '1.33' })]);

    await withFleet(scenario, weekdays, async (env) => {
      const d = decisionOf(await invokeDispatch(env, schedule), 'orders');
      expect(d.decision).toBe('wait-exclusion');
      expect(d.reason).toContain('inside the exclusion "year-end freeze"');
      // 2027-01-04 is the freeze's last day; Tuesday 2027-01-05 02:00 Berlin is the first window after it.
      expect(d.plannedStart).toBe('2027-01-05T01:00:00.000Z');
      expect(env.stepFunctions.listExecutions()).toEqual([]);
    });
  });
});

describe('daylight saving time at the window edges (Sunday 02:00 Berlin, 2 h)', () => {
  const sundays = policyWith('maintenanceWindows: [{ cron: "0 2 * * SUN", duration: 2h, timezone: Europe/Berlin }]');
  const at = async (instant: string) => {
    const scenario = fleet(instant, [cluster('orders')]);
    return withFleet(scenario, sundays, async (env) => decisionOf(await invokeDispatch(env, schedule), 'orders'));
  };

  it('spring forward (2027-03-28): 02:00 does not exist, the window opens at 03:00 CEST', async () => {
    // 01:30 CET (00:30 UTC): before the window.
    const before = await at('2027-03-28T00:30:00Z');
    expect(before.decision).toBe('wait-window');
    expect(before.plannedStart).toBe('2027-03-28T01:00:00.000Z');
    // 03:30 CEST (01:30 UTC): inside, until 05:00 CEST.
    const inside = await at('2027-03-28T01:30:00Z');
    expect(inside.decision).toBe('started');
    expect(inside.reason).toContain('window open until 2027-03-28 03:00 UTC');
  });

  it('fall back (2026-10-25): the window opens at the first 02:00 and lasts 2 elapsed hours', async () => {
    // 02:30 CEST (00:30 UTC): inside.
    const inside = await at('2026-10-25T00:30:00Z');
    expect(inside.decision).toBe('started');
    expect(inside.reason).toContain('window open until 2026-10-25 02:00 UTC');
    // The second 02:30 (CET, 01:30 UTC): 30 minutes left, too few.
    const late = await at('2026-10-25T01:30:00Z');
    expect(late.decision).toBe('wait-window');
    // 03:30 CET (02:30 UTC): outside; next Sunday 02:00 CET.
    const after = await at('2026-10-25T02:30:00Z');
    expect(after.decision).toBe('wait-window');
    expect(after.plannedStart).toBe('2026-11-01T01:00:00.000Z');
  });
});
