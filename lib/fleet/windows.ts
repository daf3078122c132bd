/**
 * Maintenance windows and exclusions: when an automatic upgrade may start.
 *
 * A window is a 5-field cron for its start, read in an IANA time zone, and a duration. Windows may overlap; the time
 * they cover together is open. Exclusions (periods with no upgrades, like GKE maintenance exclusions) always win.
 *
 * Daylight saving time, the rule users rely on:
 * - A start time that does not exist (it falls in the spring-forward gap, e.g. 02:30 Europe/Berlin on the last Sunday
 *   of March) starts at the first valid instant after the gap (03:00 local).
 * - A start time that occurs twice (the fall-back overlap) starts once, at its first occurrence.
 * - A window lasts its duration in elapsed time: a 4h window that spans a transition ends 4 real hours after it
 *   started, whatever the wall clock says then.
 */
import { InvalidInput, InvalidPolicy } from '../errors.js';

/** A recurring window: a 5-field cron for the start (minute hour day-of-month month day-of-week, in `timezone`), how long it lasts, an IANA time zone. */
export interface MaintenanceWindowSpec {
  cron: string;
  /** Like "4h", "90m", "1h30m" or "1d"; at most 7d. */
  duration: string;
  timezone: string;
}

/** A period with no upgrades, like GKE maintenance exclusions. `start`/`end` are ISO dates ("2026-12-15", whole days, end day included) or ISO date-times with offset; date-only values are read in `timezone` (default UTC). */
export interface ExclusionSpec {
  name: string;
  start: string;
  end: string;
  timezone?: string;
}

/** No windows means always open (exclusions still apply). */
export interface WindowSchedule {
  windows: MaintenanceWindowSpec[];
  exclusions: ExclusionSpec[];
}

export type WindowState =
  /** `closesAt`: the end of the current window, clipped by the next exclusion (the horizon end when nothing closes it within it). */
  | { open: true; closesAt: Date }
  /** `nextOpen`: the next instant an upgrade may start, if any within the horizon. */
  | { open: false; reason: 'outside-window' | 'excluded'; exclusion?: string; nextOpen?: Date };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MAX_DURATION_MS = 7 * DAY;
const DEFAULT_HORIZON_DAYS = 400;
const DEFAULT_MIN_OPEN_MS = HOUR;

// ---------------------------------------------------------------------------------------------------------------
// Time zones, through Intl.DateTimeFormat

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function timeZoneProblem(timeZone: unknown): string | undefined {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') {
    return 'is missing; use an IANA time zone such as "Europe/Berlin", "America/New_York" or "UTC"';
  }
  try {
    formatter(timeZone);
    return undefined;
  } catch {
    return `"${timeZone}" is not an IANA time zone; use one such as "Europe/Berlin", "America/New_York" or "UTC"`;
  }
}

/** The zone's offset from UTC at an instant, in ms (local = utc + offset). */
function offsetAt(utcMs: number, timeZone: string): number {
  const whole = Math.floor(utcMs / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(whole)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const local = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return local - whole;
}

/**
 * The instant of a local wall time (given as ms since the epoch as if the wall time were UTC). A wall time in a
 * spring-forward gap maps to the first instant after the gap; one that occurs twice maps to its first occurrence.
 */
function localToUtc(localMs: number, timeZone: string): number {
  const before = offsetAt(localMs - DAY, timeZone);
  const after = offsetAt(localMs + DAY, timeZone);
  const withBefore = localMs - before;
  const withAfter = localMs - after;
  const valid = [withBefore, withAfter].filter((t) => t + offsetAt(t, timeZone) === localMs);
  if (valid.length > 0) return Math.min(...valid);
  // In the gap: the transition lies between the two readings; find its first minute.
  let lo = Math.min(withBefore, withAfter);
  let hi = Math.max(withBefore, withAfter);
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (offsetAt(mid, timeZone) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Days since 1970-01-01 of the local calendar date of an instant. */
function localDayOf(utcMs: number, timeZone: string): number {
  return Math.floor((utcMs + offsetAt(utcMs, timeZone)) / DAY);
}

// ---------------------------------------------------------------------------------------------------------------
// Cron (5 fields, standard syntax)

interface CronField {
  label: string;
  min: number;
  max: number;
  names?: readonly string[];
  namesHint?: string;
}

const monthNames = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const cronFields: readonly CronField[] = [
  { label: 'minute', min: 0, max: 59 },
  { label: 'hour', min: 0, max: 23 },
  { label: 'day-of-month', min: 1, max: 31 },
  { label: 'month', min: 1, max: 12, names: monthNames, namesHint: 'JAN..DEC' },
  { label: 'day-of-week', min: 0, max: 7, names: dayNames, namesHint: 'SUN..SAT' },
];

interface CronMatcher {
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  /** Both day fields restricted: a day matches when either matches (the standard cron rule). */
  eitherDay: boolean;
  domRestricted: boolean;
  dowRestricted: boolean;
}

const cronExample = 'e.g. "0 22 * * SAT" for Saturdays at 22:00';

function parseValue(text: string, field: CronField): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < field.min || n > field.max) {
      throw new Error(`${field.label} ${n} is out of range ${field.min}-${field.max}`);
    }
    return n;
  }
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index >= 0) return index + (field.label === 'month' ? 1 : 0);
  const names = field.namesHint ? ` or a name (${field.namesHint})` : '';
  throw new Error(`${field.label} "${text}" is not a number${names}`);
}

function parseField(text: string, field: CronField): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const match = /^([^/]+)(?:\/(.*))?$/.exec(item);
    if (!match) throw new Error(`${field.label} "${text}" has an empty list item`);
    const [, base = '', stepText] = match;
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) {
        throw new Error(`${field.label} step "/${stepText}" must be a whole number of at least 1`);
      }
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (base === '*') {
      from = field.min;
      to = field.max;
    } else if (base.includes('-')) {
      const [a = '', b = '', ...rest] = base.split('-');
      if (rest.length > 0 || a === '' || b === '')
        throw new Error(`${field.label} range "${base}" is not of the form a-b`);
      from = parseValue(a, field);
      to = parseValue(b, field);
      if (to < from) {
        throw new Error(`${field.label} range "${base}" runs backwards; write it low-high or as a list (e.g. "5,6,0")`);
      }
    } else {
      from = parseValue(base, field);
      // "a/step" means from a to the end of the field, as in Vixie cron.
      to = stepText === undefined ? from : field.max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

const daysInMonthMax = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function parseCron(cron: unknown): CronMatcher {
  if (typeof cron !== 'string' || cron.trim() === '') {
    throw new Error(`is missing; write the window's start as a 5-field cron, ${cronExample}`);
  }
  const text = cron.trim();
  if (text.startsWith('@')) {
    throw new Error(`"${text}": shorthands such as @weekly are not supported; write the 5 fields, ${cronExample}`);
  }
  const parts = text.split(/\s+/);
  if (parts.length === 6) {
    throw new Error(
      `"${text}" has 6 fields; seconds are not supported, use 5 (minute hour day-of-month month day-of-week), ${cronExample}`,
    );
  }
  if (parts.length !== 5) {
    throw new Error(
      `"${text}" has ${parts.length} field${parts.length === 1 ? '' : 's'}; use 5 (minute hour day-of-month month day-of-week), ${cronExample}`,
    );
  }
  const unsupported: Array<[RegExp, string]> = [
    [/\?/, '"?" (no specific value) is not supported; use "*"'],
    [/L/i, '"L" (last day) is not supported; list the days instead'],
    [/W/i, '"W" (nearest weekday) is not supported; list the days instead'],
    [/#/, '"#" (nth weekday of the month) is not supported; combine a day-of-month range with a weekday instead'],
  ];
  const fields = parts.map((part, i) => {
    const field = cronFields[i] as CronField;
    const withoutNames = field.names ? part.replace(new RegExp(field.names.join('|'), 'gi'), '') : part;
    for (const [pattern, message] of unsupported) {
      if (pattern.test(withoutNames)) throw new Error(`"${text}": ${field.label} "${part}": ${message}`);
    }
    try {
      return parseField(part, field);
    } catch (error) {
      throw new Error(`"${text}": ${(error as Error).message}`);
    }
  });
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = fields as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (daysOfWeek.delete(7)) daysOfWeek.add(0);
  const domRestricted = parts[2] !== '*';
  const dowRestricted = parts[4] !== '*';
  if (domRestricted && !dowRestricted) {
    const possible = [...months].some((m) => [...daysOfMonth].some((d) => d <= (daysInMonthMax[m - 1] ?? 31)));
    if (!possible) throw new Error(`"${text}" never matches: no month in it has that day of the month`);
  }
  return {
    minutes: [...minutes].sort((a, b) => a - b),
    hours: [...hours].sort((a, b) => a - b),
    daysOfMonth,
    months,
    daysOfWeek,
    eitherDay: domRestricted && dowRestricted,
    domRestricted,
    dowRestricted,
  };
}

function dayMatches(cron: CronMatcher, day: number): boolean {
  const date = new Date(day * DAY);
  if (!cron.months.has(date.getUTCMonth() + 1)) return false;
  const dom = cron.daysOfMonth.has(date.getUTCDate());
  const dow = cron.daysOfWeek.has(date.getUTCDay());
  if (cron.eitherDay) return dom || dow;
  return (!cron.domRestricted || dom) && (!cron.dowRestricted || dow);
}

// ---------------------------------------------------------------------------------------------------------------
// Durations and exclusion dates

function parseDuration(duration: unknown): number {
  const hint = 'write it like "4h", "90m" or "1h30m" (at most 7d)';
  if (typeof duration !== 'string' || duration.trim() === '') throw new Error(`is missing; ${hint}`);
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/.exec(duration.trim());
  if (!match) throw new Error(`"${duration}" is not a duration; ${hint}`);
  const ms = Number(match[1] ?? 0) * DAY + Number(match[2] ?? 0) * HOUR + Number(match[3] ?? 0) * MINUTE;
  if (ms === 0) throw new Error(`"${duration}" is empty; a window must last at least 1m`);
  if (ms > MAX_DURATION_MS)
    throw new Error(`"${duration}" is longer than 7d; split it or use no windows (always open)`);
  return ms;
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** An exclusion bound as an instant; date-only ends are exclusive midnights of the next day (the end day counts). */
function parseBound(value: unknown, timeZone: string, bound: 'start' | 'end'): number {
  const hint = 'use a date like "2026-12-15" or a date-time with offset like "2026-12-15T18:00:00+01:00"';
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`is missing; ${hint}`);
  const date = datePattern.exec(value);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const local = Date.UTC(y, m - 1, d);
    const check = new Date(local);
    if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) throw new Error(`"${value}" is not a calendar date`);
    return localToUtc(bound === 'end' ? local + DAY : local, timeZone);
  }
  if (dateTimePattern.test(value)) {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new Error(`"${value}" is not a valid date-time; ${hint}`);
    return ms;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw new Error(`"${value}" has no UTC offset; add one ("Z" or "+01:00") or use a whole date`);
  }
  throw new Error(`"${value}" is not a date; ${hint}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Compiling and validating a schedule

interface CompiledWindow {
  cron: CronMatcher;
  durationMs: number;
  timezone: string;
}

interface CompiledExclusion {
  name: string;
  start: number;
  end: number;
}

interface CompiledSchedule {
  windows: CompiledWindow[];
  /** Sorted by start. */
  exclusions: CompiledExclusion[];
}

function compile(schedule: WindowSchedule): { compiled?: CompiledSchedule; problems: string[] } {
  const problems: string[] = [];
  if (schedule === null || typeof schedule !== 'object') {
    return { problems: ['schedule: must be an object with `windows` and `exclusions` lists'] };
  }
  const windowSpecs: unknown = schedule.windows ?? [];
  const exclusionSpecs: unknown = schedule.exclusions ?? [];
  if (!Array.isArray(windowSpecs)) problems.push('windows: must be a list (empty for always open)');
  if (!Array.isArray(exclusionSpecs)) problems.push('exclusions: must be a list (may be empty)');
  const windows: CompiledWindow[] = [];
  for (const [i, spec] of (Array.isArray(windowSpecs) ? windowSpecs : []).entries()) {
    const at = `windows[${i}]`;
    const w = (spec ?? {}) as Partial<MaintenanceWindowSpec>;
    const attempt = <T>(field: string, f: () => T): T | undefined => {
      try {
        return f();
      } catch (error) {
        problems.push(`${at}.${field}: ${(error as Error).message}`);
        return undefined;
      }
    };
    const cron = attempt('cron', () => parseCron(w.cron));
    const durationMs = attempt('duration', () => parseDuration(w.duration));
    const zoneProblem = timeZoneProblem(w.timezone);
    if (zoneProblem) problems.push(`${at}.timezone: ${zoneProblem}`);
    if (cron && durationMs && !zoneProblem) windows.push({ cron, durationMs, timezone: w.timezone as string });
  }
  const exclusions: CompiledExclusion[] = [];
  const names = new Set<string>();
  for (const [i, spec] of (Array.isArray(exclusionSpecs) ? exclusionSpecs : []).entries()) {
    const at = `exclusions[${i}]`;
    const x = (spec ?? {}) as Partial<ExclusionSpec>;
    if (typeof x.name !== 'string' || x.name.trim() === '') {
      problems.push(
        `${at}.name: is missing; name the exclusion (e.g. "year-end freeze") so people see why upgrades wait`,
      );
    } else if (names.has(x.name)) {
      problems.push(`${at}.name: "${x.name}" is used by another exclusion; give each its own name`);
    } else {
      names.add(x.name);
    }
    const timezone = x.timezone ?? 'UTC';
    const zoneProblem = x.timezone === undefined ? undefined : timeZoneProblem(x.timezone);
    if (zoneProblem) {
      problems.push(`${at}.timezone: ${zoneProblem}`);
      continue;
    }
    const bound = (field: 'start' | 'end'): number | undefined => {
      try {
        return parseBound(x[field], timezone, field);
      } catch (error) {
        problems.push(`${at}.${field}: ${(error as Error).message}`);
        return undefined;
      }
    };
    const start = bound('start');
    const end = bound('end');
    if (start === undefined || end === undefined) continue;
    if (end <= start) {
      problems.push(`${at}.end: "${x.end}" is not after start "${x.start}"; swap them or fix the dates`);
      continue;
    }
    exclusions.push({ name: x.name ?? '', start, end });
  }
  exclusions.sort((a, b) => a.start - b.start);
  return problems.length > 0 ? { problems } : { compiled: { windows, exclusions }, problems };
}

/** Problems with a schedule, each naming the field (`windows[0].cron: ...`); empty when valid. */
export function scheduleProblems(schedule: WindowSchedule): string[] {
  return compile(schedule).problems;
}

function compileOrThrow(schedule: WindowSchedule): CompiledSchedule {
  const { compiled, problems } = compile(schedule);
  if (!compiled) throw new InvalidPolicy(`the maintenance schedule is invalid: ${problems.join('; ')}`);
  return compiled;
}

// ---------------------------------------------------------------------------------------------------------------
// Open periods

interface Interval {
  start: number;
  end: number;
}

/** Window starts in [lo, hi], ascending, one per local start time (see the DST rule above). */
function* windowStarts(window: CompiledWindow, lo: number, hi: number): Generator<number> {
  const { cron, timezone } = window;
  const lastDay = localDayOf(hi, timezone) + 1;
  let previous = Number.NEGATIVE_INFINITY;
  for (let day = localDayOf(lo, timezone) - 1; day <= lastDay; day++) {
    if (!dayMatches(cron, day)) continue;
    const midnight = day * DAY;
    // Zones change offset at most once around a given day; when it is the same on both sides there is no gap or
    // overlap that day and every wall time maps with one subtraction.
    const offsetBefore = offsetAt(midnight - DAY, timezone);
    const steady = offsetBefore === offsetAt(midnight + 2 * DAY, timezone);
    for (const hour of cron.hours) {
      for (const minute of cron.minutes) {
        const local = midnight + hour * HOUR + minute * MINUTE;
        const start = steady ? local - offsetBefore : localToUtc(local, timezone);
        if (start <= previous || start < lo) continue;
        if (start > hi) return;
        previous = start;
        yield start;
      }
    }
  }
}

/** Window intervals that may cover [from, hi], merged where they overlap or touch, ascending. */
function* windowIntervals(windows: CompiledWindow[], from: number, hi: number): Generator<Interval> {
  if (windows.length === 0) {
    yield { start: from, end: hi };
    return;
  }
  const streams = windows.map((w) => ({ starts: windowStarts(w, from - w.durationMs, hi), durationMs: w.durationMs }));
  const heads = streams.map((s) => s.starts.next());
  let current: Interval | undefined;
  for (;;) {
    let pick = -1;
    for (const [i, head] of heads.entries()) {
      if (head.done) continue;
      const best = pick >= 0 ? heads[pick] : undefined;
      if (!best || best.done || head.value < best.value) pick = i;
    }
    if (pick < 0) break;
    const head = heads[pick] as IteratorYieldResult<number>;
    const stream = streams[pick] as (typeof streams)[number];
    const next: Interval = { start: head.value, end: head.value + stream.durationMs };
    heads[pick] = stream.starts.next();
    if (current && next.start <= current.end) {
      current.end = Math.max(current.end, next.end);
    } else {
      if (current) yield current;
      current = next;
    }
  }
  if (current) yield current;
}

/** Open periods (windows minus exclusions) that end after `from`, ascending. */
function* openPeriods(schedule: CompiledSchedule, from: number, hi: number): Generator<Interval> {
  for (const interval of windowIntervals(schedule.windows, from, hi)) {
    let cursor = interval.start;
    for (const x of schedule.exclusions) {
      if (x.end <= cursor) continue;
      if (x.start >= interval.end) break;
      if (x.start > cursor) yield* endingAfter({ start: cursor, end: x.start }, from);
      cursor = Math.max(cursor, x.end);
      if (cursor >= interval.end) break;
    }
    if (cursor < interval.end) yield* endingAfter({ start: cursor, end: interval.end }, from);
  }
}

function* endingAfter(interval: Interval, from: number): Generator<Interval> {
  if (interval.end > from) yield interval;
}

function instant(value: Date, name: string): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidInput(`${name} must be a valid Date`);
  return ms;
}

function horizonEnd(from: number, horizonDays: number | undefined): number {
  const days = horizonDays ?? DEFAULT_HORIZON_DAYS;
  if (!Number.isFinite(days) || days <= 0) {
    throw new InvalidInput(`horizonDays must be a positive number of days (got ${horizonDays})`);
  }
  return from + days * DAY;
}

/** Whether an upgrade may start at `at`. Throws InvalidPolicy when the schedule is invalid. */
export function windowState(schedule: WindowSchedule, at: Date): WindowState {
  const compiled = compileOrThrow(schedule);
  const now = instant(at, 'at');
  const hi = horizonEnd(now, undefined);
  const excluded = compiled.exclusions.find((x) => x.start <= now && now < x.end);
  const next = openPeriods(compiled, now, hi).next();
  const period = next.done ? undefined : next.value;
  if (period && period.start <= now && !excluded) return { open: true, closesAt: new Date(period.end) };
  const nextOpen = period && period.start <= hi ? { nextOpen: new Date(period.start) } : {};
  if (excluded) return { open: false, reason: 'excluded', exclusion: excluded.name, ...nextOpen };
  return { open: false, reason: 'outside-window', ...nextOpen };
}

/** The first opening at or after `from` with at least `minOpenMs` left before it closes (default 1 h), within `horizonDays` (default 400); undefined if none. Throws InvalidPolicy when the schedule is invalid. */
export function nextOpening(
  schedule: WindowSchedule,
  from: Date,
  options: { minOpenMs?: number; horizonDays?: number } = {},
): { start: Date; end: Date } | undefined {
  const compiled = compileOrThrow(schedule);
  const begin = instant(from, 'from');
  const hi = horizonEnd(begin, options.horizonDays);
  const minOpenMs = options.minOpenMs ?? DEFAULT_MIN_OPEN_MS;
  if (!Number.isFinite(minOpenMs) || minOpenMs < 0) {
    throw new InvalidInput(`minOpenMs must be zero or a positive number of milliseconds (got ${options.minOpenMs})`);
  }
  for (const period of openPeriods(compiled, begin, hi)) {
    const start = Math.max(period.start, begin);
    if (start > hi) return undefined;
    if (period.end - start >= minOpenMs) return { start: new Date(start), end: new Date(period.end) };
  }
  return undefined;
}
