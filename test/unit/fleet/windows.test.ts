import { describe, expect, it } from 'vitest';
import { InvalidInput, InvalidPolicy } from '../../../lib/errors.js';
import {
  type ExclusionSpec,
  nextOpening,
  scheduleProblems,
  type WindowSchedule,
  windowState,
} from '../../../lib/fleet/index.js';

const at = (iso: string) => new Date(iso);
const one = (cron: string, duration: string, timezone = 'UTC', exclusions: ExclusionSpec[] = []): WindowSchedule => ({
  windows: [{ cron, duration, timezone }],
  exclusions,
});
/** Every start of the schedule's windows from `from`, as ISO strings (each opening of at least 1 ms, windows not overlapping). */
function starts(schedule: WindowSchedule, from: string, count: number): string[] {
  const out: string[] = [];
  let cursor = at(from);
  for (let i = 0; i < count; i++) {
    const next = nextOpening(schedule, cursor, { minOpenMs: 1 });
    if (!next) break;
    out.push(next.start.toISOString());
    cursor = next.end;
  }
  return out;
}

describe('maintenance windows: cron in the window time zone', () => {
  it('is open inside a window and closed outside it, with when it closes or next opens', () => {
    const schedule = one('0 22 * * SAT', '4h');

    const inside = windowState(schedule, at('2026-11-21T23:00:00Z'));
    const outside = windowState(schedule, at('2026-11-22T09:00:00Z'));

    expect(inside).toEqual({ open: true, closesAt: at('2026-11-22T02:00:00Z') });
    expect(outside).toEqual({ open: false, reason: 'outside-window', nextOpen: at('2026-11-28T22:00:00Z') });
  });

  it('counts a window that started before and is still running as open, across midnight, month and year ends', () => {
    const nightly = one('0 22 * * *', '4h');

    expect(windowState(nightly, at('2026-11-23T01:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-11-23T02:00:00Z'),
    });
    expect(windowState(nightly, at('2026-02-01T01:59:59Z'))).toEqual({
      open: true,
      closesAt: at('2026-02-01T02:00:00Z'),
    });
    expect(windowState(nightly, at('2027-01-01T01:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2027-01-01T02:00:00Z'),
    });
    expect(windowState(nightly, at('2027-01-01T02:00:00Z'))).toMatchObject({ open: false, reason: 'outside-window' });
    expect(windowState(one('0 22 31 12 *', '4h'), at('2027-01-01T01:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2027-01-01T02:00:00Z'),
    });
  });

  it('opens at the start instant and closes at the end instant (start included, end excluded)', () => {
    const schedule = one('0 22 * * *', '4h');

    expect(windowState(schedule, at('2026-11-22T22:00:00Z')).open).toBe(true);
    expect(windowState(schedule, at('2026-11-22T21:59:59.999Z')).open).toBe(false);
    expect(windowState(schedule, at('2026-11-23T02:00:00Z')).open).toBe(false);
  });

  it('reads the cron in the window time zone, in a zone without DST too (Asia/Tokyo is UTC+9 all year)', () => {
    const tokyo = one('0 3 * * MON-FRI', '2h', 'Asia/Tokyo');

    // 03:00 Monday in Tokyo is 18:00 Sunday UTC.
    expect(starts(tokyo, '2026-11-21T00:00:00Z', 3)).toEqual([
      '2026-11-22T18:00:00.000Z',
      '2026-11-23T18:00:00.000Z',
      '2026-11-24T18:00:00.000Z',
    ]);
    expect(starts(tokyo, '2026-07-01T00:00:00Z', 1)).toEqual(['2026-07-01T18:00:00.000Z']);
  });

  it('accepts names, ranges, lists and steps, case-insensitively', () => {
    const schedule = one('0,30 9-13/2 * jan,JUL Mon-Fri', '10m');

    expect(starts(schedule, '2026-06-30T23:00:00Z', 7)).toEqual([
      '2026-07-01T09:00:00.000Z',
      '2026-07-01T09:30:00.000Z',
      '2026-07-01T11:00:00.000Z',
      '2026-07-01T11:30:00.000Z',
      '2026-07-01T13:00:00.000Z',
      '2026-07-01T13:30:00.000Z',
      '2026-07-02T09:00:00.000Z',
    ]);
    expect(starts(one('*/20 4 1 * *', '5m'), '2026-11-22T00:00:00Z', 4)).toEqual([
      '2026-12-01T04:00:00.000Z',
      '2026-12-01T04:20:00.000Z',
      '2026-12-01T04:40:00.000Z',
      '2027-01-01T04:00:00.000Z',
    ]);
    // "a/step" runs from a to the end of the field.
    expect(starts(one('45/5 4 1 1 *', '1m'), '2026-12-31T00:00:00Z', 4)).toEqual([
      '2027-01-01T04:45:00.000Z',
      '2027-01-01T04:50:00.000Z',
      '2027-01-01T04:55:00.000Z',
      '2028-01-01T04:45:00.000Z',
    ]);
  });

  it('takes both 0 and 7 as Sunday', () => {
    const expected = ['2026-11-22T06:00:00.000Z', '2026-11-29T06:00:00.000Z'];

    expect(starts(one('0 6 * * 0', '1h'), '2026-11-21T00:00:00Z', 2)).toEqual(expected);
    expect(starts(one('0 6 * * 7', '1h'), '2026-11-21T00:00:00Z', 2)).toEqual(expected);
    expect(starts(one('0 6 * * 5-7', '1h'), '2026-11-21T00:00:00Z', 3)).toEqual([
      '2026-11-21T06:00:00.000Z',
      '2026-11-22T06:00:00.000Z',
      '2026-11-27T06:00:00.000Z',
    ]);
  });

  it('matches either day field when both are restricted (the standard cron rule), only day-of-month otherwise', () => {
    // 2026-11-13 is a Friday; 2026-12-13 a Sunday.
    expect(starts(one('0 0 13 * FRI', '1h'), '2026-11-14T00:00:00Z', 4)).toEqual([
      '2026-11-20T00:00:00.000Z',
      '2026-11-27T00:00:00.000Z',
      '2026-12-04T00:00:00.000Z',
      '2026-12-11T00:00:00.000Z',
    ]);
    expect(starts(one('0 0 13 * FRI', '1h'), '2026-12-12T00:00:00Z', 2)).toEqual([
      '2026-12-13T00:00:00.000Z',
      '2026-12-18T00:00:00.000Z',
    ]);
    expect(starts(one('0 0 13 * *', '1h'), '2026-11-14T00:00:00Z', 2)).toEqual([
      '2026-12-13T00:00:00.000Z',
      '2027-01-13T00:00:00.000Z',
    ]);
  });

  it('merges overlapping windows, so it closes when the last of them ends', () => {
    const schedule: WindowSchedule = {
      windows: [
        { cron: '0 20 * * SAT', duration: '3h', timezone: 'UTC' },
        { cron: '0 22 * * SAT', duration: '4h', timezone: 'UTC' },
      ],
      exclusions: [],
    };

    expect(windowState(schedule, at('2026-11-21T21:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-11-22T02:00:00Z'),
    });
  });

  it('is always open without windows, except in exclusions', () => {
    const schedule: WindowSchedule = {
      windows: [],
      exclusions: [{ name: 'year-end freeze', start: '2026-12-20', end: '2027-01-05' }],
    };

    expect(windowState(schedule, at('2026-11-22T09:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-12-20T00:00:00Z'),
    });
    expect(windowState(schedule, at('2026-12-31T12:00:00Z'))).toEqual({
      open: false,
      reason: 'excluded',
      exclusion: 'year-end freeze',
      nextOpen: at('2027-01-06T00:00:00Z'),
    });
    expect(nextOpening(schedule, at('2027-01-02T00:00:00Z'))?.start).toEqual(at('2027-01-06T00:00:00Z'));
  });
});

describe('maintenance windows across daylight saving time', () => {
  // Transitions: Europe/Berlin 2026-03-29 and 2027-03-28 at 01:00Z (02:00 CET -> 03:00 CEST), 2026-10-25 and
  // 2027-10-31 at 01:00Z (03:00 CEST -> 02:00 CET); America/New_York 2026-03-08 and 2027-03-14 at 07:00Z
  // (02:00 EST -> 03:00 EDT), 2026-11-01 and 2027-11-07 at 06:00Z (02:00 EDT -> 01:00 EST).
  const springForward = [
    {
      zone: 'Europe/Berlin',
      cron: '30 2 * * SUN',
      day: '2026-03-29',
      gapEnds: '2026-03-29T01:00:00Z',
      weekBefore: '2026-03-22T01:30:00Z',
    },
    {
      zone: 'Europe/Berlin',
      cron: '30 2 * * SUN',
      day: '2027-03-28',
      gapEnds: '2027-03-28T01:00:00Z',
      weekBefore: '2027-03-21T01:30:00Z',
    },
    {
      zone: 'America/New_York',
      cron: '30 2 * * SUN',
      day: '2026-03-08',
      gapEnds: '2026-03-08T07:00:00Z',
      weekBefore: '2026-03-01T07:30:00Z',
    },
    {
      zone: 'America/New_York',
      cron: '30 2 * * SUN',
      day: '2027-03-14',
      gapEnds: '2027-03-14T07:00:00Z',
      weekBefore: '2027-03-07T07:30:00Z',
    },
  ];

  it.each(springForward)(
    'starts a window whose start time does not exist ($zone, $day) at the first instant after the gap',
    ({ zone, cron, day, gapEnds, weekBefore }) => {
      const schedule = one(cron, '2h', zone);

      const opening = nextOpening(schedule, at(`${day}T00:00:00Z`));
      const before = nextOpening(schedule, new Date(Date.parse(weekBefore) - 60_000));

      expect(opening).toEqual({ start: at(gapEnds), end: new Date(Date.parse(gapEnds) + 2 * 3_600_000) });
      expect(before?.start).toEqual(at(weekBefore));
      expect(windowState(schedule, new Date(Date.parse(gapEnds) - 1))).toMatchObject({
        open: false,
        nextOpen: at(gapEnds),
      });
    },
  );

  const fallBack = [
    {
      zone: 'Europe/Berlin',
      cron: '30 2 * * *',
      day: '2026-10-25',
      first: '2026-10-25T00:30:00Z',
      second: '2026-10-25T01:30:00Z',
      nextDay: '2026-10-26T01:30:00Z',
    },
    {
      zone: 'Europe/Berlin',
      cron: '30 2 * * *',
      day: '2027-10-31',
      first: '2027-10-31T00:30:00Z',
      second: '2027-10-31T01:30:00Z',
      nextDay: '2027-11-01T01:30:00Z',
    },
    {
      zone: 'America/New_York',
      cron: '30 1 * * *',
      day: '2026-11-01',
      first: '2026-11-01T05:30:00Z',
      second: '2026-11-01T06:30:00Z',
      nextDay: '2026-11-02T06:30:00Z',
    },
    {
      zone: 'America/New_York',
      cron: '30 1 * * *',
      day: '2027-11-07',
      first: '2027-11-07T05:30:00Z',
      second: '2027-11-07T06:30:00Z',
      nextDay: '2027-11-08T06:30:00Z',
    },
  ];

  it.each(fallBack)(
    'starts a window whose start time occurs twice ($zone, $day) once, at the first occurrence',
    ({ zone, cron, day, first, second, nextDay }) => {
      const schedule = one(cron, '30m', zone);

      expect(starts(schedule, `${day}T00:00:00Z`, 2)).toEqual([at(first).toISOString(), at(nextDay).toISOString()]);
      expect(windowState(schedule, at(second))).toEqual({
        open: false,
        reason: 'outside-window',
        nextOpen: at(nextDay),
      });
    },
  );

  it('starts an hourly window once in the repeated hour', () => {
    // Berlin 2026-10-25: 02:30 CEST (00:30Z), then 02:30 CET (01:30Z) is the same wall time again and is skipped.
    expect(starts(one('30 * * * *', '10m', 'Europe/Berlin'), '2026-10-24T23:00:00Z', 4)).toEqual([
      '2026-10-24T23:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T02:30:00.000Z',
      '2026-10-25T03:30:00.000Z',
    ]);
  });

  it('keeps the real duration in elapsed time when a window spans a transition', () => {
    // Starts 00:00 CET on 2026-03-29 (23:00Z the day before); 4 elapsed hours end at 05:00 CEST on the wall clock.
    const spring = one('0 0 29 3 *', '4h', 'Europe/Berlin');
    // Starts 00:00 EDT on 2026-11-01 (04:00Z); 4 elapsed hours end at 03:00 EST on the wall clock.
    const autumn = one('0 0 1 11 *', '4h', 'America/New_York');

    expect(windowState(spring, at('2026-03-29T02:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-03-29T03:00:00Z'),
    });
    expect(windowState(autumn, at('2026-11-01T07:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-11-01T08:00:00Z'),
    });
  });

  it('keeps the local start time across the change of offset', () => {
    const weekly = one('0 22 * * SAT', '4h', 'Europe/Berlin');

    expect(starts(weekly, '2026-10-17T00:00:00Z', 2)).toEqual(['2026-10-17T20:00:00.000Z', '2026-10-24T20:00:00.000Z']);
    expect(starts(weekly, '2026-10-25T00:00:00Z', 1)).toEqual(['2026-10-31T21:00:00.000Z']);
  });
});

describe('maintenance exclusions', () => {
  const freeze: ExclusionSpec = { name: 'year-end freeze', start: '2026-12-20', end: '2027-01-05' };

  it('wins over a window and says which exclusion and when it next opens, across a year end', () => {
    const schedule = one('0 22 * * SAT', '4h', 'UTC', [freeze]);

    expect(windowState(schedule, at('2026-12-26T23:00:00Z'))).toEqual({
      open: false,
      reason: 'excluded',
      exclusion: 'year-end freeze',
      nextOpen: at('2027-01-09T22:00:00Z'),
    });
    expect(nextOpening(schedule, at('2026-12-19T23:30:00Z'))).toEqual({
      start: at('2027-01-09T22:00:00Z'),
      end: at('2027-01-10T02:00:00Z'),
    });
  });

  it('clips closesAt at the start of the next exclusion', () => {
    const schedule = one('0 22 * * SAT', '4h', 'UTC', [freeze]);

    expect(windowState(schedule, at('2026-12-19T23:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-12-20T00:00:00Z'),
    });
  });

  it('resumes a window that is still running when an exclusion ends', () => {
    const schedule = one('0 20 * * *', '6h', 'UTC', [
      { name: 'release night', start: '2026-11-24T19:00:00Z', end: '2026-11-24T23:00:00Z' },
    ]);

    expect(windowState(schedule, at('2026-11-24T22:00:00Z'))).toMatchObject({
      reason: 'excluded',
      nextOpen: at('2026-11-24T23:00:00Z'),
    });
    expect(windowState(schedule, at('2026-11-24T23:30:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-11-25T02:00:00Z'),
    });
  });

  it('reads whole dates in the exclusion time zone, end day included', () => {
    const schedule: WindowSchedule = {
      windows: [],
      exclusions: [{ name: 'black friday', start: '2026-11-27', end: '2026-11-30', timezone: 'America/New_York' }],
    };

    expect(windowState(schedule, at('2026-11-27T04:59:59Z')).open).toBe(true);
    expect(windowState(schedule, at('2026-11-27T05:00:00Z'))).toMatchObject({ open: false, exclusion: 'black friday' });
    expect(windowState(schedule, at('2026-12-01T04:59:59Z'))).toMatchObject({ open: false, exclusion: 'black friday' });
    expect(windowState(schedule, at('2026-12-01T05:00:00Z')).open).toBe(true);
  });

  it('takes date-times with their offset', () => {
    const schedule: WindowSchedule = {
      windows: [],
      exclusions: [{ name: 'migration', start: '2026-12-01T18:00:00+01:00', end: '2026-12-02T06:00:00+01:00' }],
    };

    expect(windowState(schedule, at('2026-12-01T16:59:00Z')).open).toBe(true);
    expect(windowState(schedule, at('2026-12-01T17:00:00Z'))).toMatchObject({ open: false, reason: 'excluded' });
    expect(windowState(schedule, at('2026-12-02T05:00:00Z'))).toEqual({ open: true, closesAt: expect.any(Date) });
  });
});

describe('next opening', () => {
  it('starts at `from` inside a window with enough time left, else at the next window that has it', () => {
    const schedule = one('0 22 * * *', '4h');

    expect(nextOpening(schedule, at('2026-11-22T23:00:00Z'))).toEqual({
      start: at('2026-11-22T23:00:00Z'),
      end: at('2026-11-23T02:00:00Z'),
    });
    expect(nextOpening(schedule, at('2026-11-23T01:30:00Z'))).toEqual({
      start: at('2026-11-23T22:00:00Z'),
      end: at('2026-11-24T02:00:00Z'),
    });
    expect(nextOpening(schedule, at('2026-11-23T01:30:00Z'), { minOpenMs: 15 * 60_000 })?.start).toEqual(
      at('2026-11-23T01:30:00Z'),
    );
  });

  it('skips a window an exclusion cuts shorter than the minimum', () => {
    const schedule = one('0 22 * * *', '4h', 'UTC', [
      { name: 'audit', start: '2026-11-22T22:30:00Z', end: '2026-11-23T01:30:00Z' },
    ]);

    expect(nextOpening(schedule, at('2026-11-22T21:00:00Z'), { minOpenMs: 60 * 60_000 })).toEqual({
      start: at('2026-11-23T22:00:00Z'),
      end: at('2026-11-24T02:00:00Z'),
    });
    expect(nextOpening(schedule, at('2026-11-22T21:00:00Z'), { minOpenMs: 30 * 60_000 })).toEqual({
      start: at('2026-11-22T22:00:00Z'),
      end: at('2026-11-22T22:30:00Z'),
    });
  });

  it('looks no further than the horizon', () => {
    const yearly = one('0 0 1 1 *', '4h');

    expect(nextOpening(yearly, at('2026-02-01T00:00:00Z'), { horizonDays: 30 })).toBeUndefined();
    expect(nextOpening(yearly, at('2026-02-01T00:00:00Z'))?.start).toEqual(at('2027-01-01T00:00:00Z'));
    expect(nextOpening(one('0 3 29 2 *', '1h'), at('2026-03-01T00:00:00Z'))).toBeUndefined();
    expect(nextOpening(one('0 3 29 2 *', '1h'), at('2026-03-01T00:00:00Z'), { horizonDays: 800 })?.start).toEqual(
      at('2028-02-29T03:00:00Z'),
    );
  });

  it('finds a weekly window behind a year-long exclusion, over the default 400-day horizon', () => {
    const schedule = one('0 22 * * SAT', '4h', 'Europe/Berlin', [
      { name: 'long freeze', start: '2026-01-01', end: '2027-01-20' },
    ]);

    expect(nextOpening(schedule, at('2026-01-01T00:00:00Z'))).toEqual({
      start: at('2027-01-23T21:00:00Z'),
      end: at('2027-01-24T01:00:00Z'),
    });
  });

  it('refuses options that make no sense, saying what to pass', () => {
    const schedule = one('0 22 * * *', '4h');

    expect(() => nextOpening(schedule, at('2026-11-22T00:00:00Z'), { horizonDays: 0 })).toThrow(InvalidInput);
    expect(() => nextOpening(schedule, at('2026-11-22T00:00:00Z'), { minOpenMs: -1 })).toThrow(/minOpenMs/);
    expect(() => windowState(schedule, new Date('not a date'))).toThrow(/at must be a valid Date/);
  });
});

describe('schedule validation', () => {
  const problemsOfCron = (cron: string) => scheduleProblems(one(cron, '1h'));

  it('accepts a valid schedule', () => {
    expect(
      scheduleProblems({
        windows: [
          { cron: '0 22 * * SAT', duration: '4h', timezone: 'Europe/Berlin' },
          { cron: '*/30 1-3 1,15 JAN-MAR 0-7', duration: '1h30m', timezone: 'America/New_York' },
          { cron: '0 0 * * *', duration: '7d', timezone: 'UTC' },
        ],
        exclusions: [{ name: 'freeze', start: '2026-12-20', end: '2027-01-05', timezone: 'Asia/Tokyo' }],
      }),
    ).toEqual([]);
  });

  it.each([
    ['0 0 * * * *', /windows\[0\]\.cron: .*6 fields; seconds are not supported/],
    ['0 0 * *', /windows\[0\]\.cron: .*4 fields; use 5/],
    ['0 0 L * *', /"L" \(last day\) is not supported/],
    ['0 0 15W * *', /"W" \(nearest weekday\) is not supported/],
    ['0 0 * * MON#2', /"#" \(nth weekday of the month\) is not supported/],
    ['0 0 ? * MON', /"\?" \(no specific value\) is not supported/],
    ['0 0 * * 5L', /"L" \(last day\) is not supported/],
    ['@weekly', /shorthands such as @weekly are not supported/],
    ['60 0 * * *', /minute 60 is out of range 0-59/],
    ['0 24 * * *', /hour 24 is out of range 0-23/],
    ['0 0 0 * *', /day-of-month 0 is out of range 1-31/],
    ['0 0 * 13 *', /month 13 is out of range 1-12/],
    ['0 0 * * 8', /day-of-week 8 is out of range 0-7/],
    ['0 0 * * MONDAY', /day-of-week "MONDAY" is not a number or a name \(SUN\.\.SAT\)/],
    ['0 0 * FOO *', /month "FOO" is not a number or a name \(JAN\.\.DEC\)/],
    ['0 0 * * FRI-MON', /range "FRI-MON" runs backwards/],
    ['*/0 0 * * *', /step "\/0" must be a whole number of at least 1/],
    ['0 0 31 2 *', /never matches/],
    ['', /cron: is missing/],
  ])('reports cron %j', (cron, message) => {
    const problems = problemsOfCron(cron);

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it.each([
    ['4 hours', /windows\[0\]\.duration: "4 hours" is not a duration; write it like "4h", "90m" or "1h30m"/],
    ['0h', /is empty; a window must last at least 1m/],
    ['7d1m', /is longer than 7d/],
    ['', /duration: is missing/],
  ])('reports duration %j', (duration, message) => {
    const problems = scheduleProblems(one('0 0 * * *', duration));

    expect(problems).toEqual([expect.stringMatching(message)]);
  });

  it('reports an unknown time zone on a window or an exclusion', () => {
    const problems = scheduleProblems({
      windows: [{ cron: '0 0 * * *', duration: '1h', timezone: 'Europe/Atlantis' }],
      exclusions: [{ name: 'x', start: '2026-12-01', end: '2026-12-02', timezone: 'CEST+1' }],
    });

    expect(problems).toEqual([
      expect.stringMatching(/^windows\[0\]\.timezone: "Europe\/Atlantis" is not an IANA time zone/),
      expect.stringMatching(/^exclusions\[0\]\.timezone: "CEST\+1" is not an IANA time zone/),
    ]);
  });

  it('reports exclusions that end before they start, bad dates, missing offsets and duplicate names', () => {
    const problems = scheduleProblems({
      windows: [],
      exclusions: [
        { name: 'backwards', start: '2027-01-05', end: '2026-12-20' },
        { name: 'bad', start: '2026-02-30', end: 'next week' },
        { name: 'backwards', start: '2026-12-01T10:00', end: '2026-12-01T12:00:00Z' },
        { name: '', start: '2026-12-01', end: '2026-12-01' },
      ],
    });

    expect(problems).toEqual([
      'exclusions[0].end: "2026-12-20" is not after start "2027-01-05"; swap them or fix the dates',
      'exclusions[1].start: "2026-02-30" is not a calendar date',
      expect.stringMatching(/^exclusions\[1\]\.end: "next week" is not a date; use a date like "2026-12-15"/),
      'exclusions[2].name: "backwards" is used by another exclusion; give each its own name',
      'exclusions[2].start: "2026-12-01T10:00" has no UTC offset; add one ("Z" or "+01:00") or use a whole date',
      expect.stringMatching(/^exclusions\[3\]\.name: is missing/),
    ]);
  });

  it('accepts a one-day exclusion whose start and end are the same date', () => {
    const schedule: WindowSchedule = {
      windows: [],
      exclusions: [{ name: 'launch', start: '2026-12-01', end: '2026-12-01' }],
    };

    expect(scheduleProblems(schedule)).toEqual([]);
    expect(windowState(schedule, at('2026-12-01T23:59:00Z'))).toMatchObject({ open: false, exclusion: 'launch' });
  });

  it('makes windowState and nextOpening throw InvalidPolicy carrying the problems', () => {
    const schedule = one('0 0 L * *', '4 hours');

    expect(() => windowState(schedule, at('2026-11-22T00:00:00Z'))).toThrow(InvalidPolicy);
    expect(() => nextOpening(schedule, at('2026-11-22T00:00:00Z'))).toThrow(
      /maintenance schedule is invalid: windows\[0\]\.cron: .*"L".*; windows\[0\]\.duration: "4 hours"/,
    );
  });
});
