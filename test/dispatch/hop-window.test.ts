import { describe, expect, it } from 'vitest';
import { hopWindow } from '../../lib/dispatch/index.js';
import { InvalidPolicy } from '../../lib/errors.js';
import { upgradePolicySchema } from '../../lib/planning/index.js';

const policy = (change: Record<string, unknown>) =>
  upgradePolicySchema.parse({
    maintenanceWindows: [{ cron: '0 2 * * TUE-THU', duration: '4h', timezone: 'Europe/Berlin' }],
    exclusions: [{ name: 'year-end freeze', start: '2026-12-18', end: '2027-01-04', timezone: 'Europe/Berlin' }],
    ...change,
  });

describe('the window check before a control plane update', () => {
  it('goes on inside a window with time left', () => {
    expect(hopWindow(policy({}), new Date('2026-12-01T02:00:00Z'))).toEqual({
      open: true,
      reason: 'inside a maintenance window',
      closesAt: '2026-12-01T05:00:00Z',
    });
  });

  it('waits past an exclusion for the first window after it, as an RFC 3339 instant a Wait state reads', () => {
    expect(hopWindow(policy({}), new Date('2026-12-22T02:00:00Z'))).toEqual({
      open: false,
      reason: 'inside the exclusion "year-end freeze"; waiting for 2027-01-05T01:00:00Z',
      waitUntil: '2027-01-05T01:00:00Z',
    });
  });

  it('waits when the window closes sooner than minWindowRemaining', () => {
    const late = hopWindow(policy({ minWindowRemaining: '2h' }), new Date('2026-12-01T03:30:00Z'));
    expect(late).toMatchObject({ open: false, waitUntil: '2026-12-02T01:00:00Z' });
    expect(late.reason).toMatch(/^the window closes at 2026-12-01T05:00:00Z, too soon to start/);
  });

  it('refuses a schedule with no opening, saying what to check', () => {
    const never = policy({
      maintenanceWindows: [{ cron: '0 2 * * *', duration: '30m', timezone: 'UTC' }],
      minWindowRemaining: '1h',
    });
    expect(() => hopWindow(never, new Date('2026-12-01T02:00:00Z'))).toThrow(InvalidPolicy);
    expect(() => hopWindow(never, new Date('2026-12-01T02:00:00Z'))).toThrow(
      /no maintenance window with enough time left/,
    );
  });
});
