/**
 * End-of-support dates of EKS Kubernetes versions, and what extended support costs a cluster that stays behind.
 */
import { type EKSClient, paginateDescribeClusterVersions } from '@aws-sdk/client-eks';
import type { Log } from '../runtime/log.js';
import calendar from './eks-release-calendar.json' with { type: 'json' };
import { compareMinor, minorOf } from './minor.js';

export interface VersionSupport {
  version: string;
  releaseDate?: Date;
  endOfStandardSupport: Date;
  endOfExtendedSupport: Date;
  source: 'eks-api' | 'bundled-calendar';
}

/** The EKS Kubernetes release calendar shipped with the product, used when DescribeClusterVersions is unavailable. */
export const bundledSupportCalendar: {
  updatedAt: string;
  versions: Array<{ version: string; releaseDate: string; endOfStandardSupport: string; endOfExtendedSupport: string }>;
} = calendar;

export interface SupportCalendar {
  /** The support dates of a version ("1.32", or any version string of that minor); undefined if unknown. Throws InvalidInput for a string that is not a version. */
  get(version: string): VersionSupport | undefined;
  /** Every known version, oldest first. */
  versions(): VersionSupport[];
}

/** EKS pricing per cluster-hour in US dollars: standard 0.10, extended 0.60 (https://aws.amazon.com/eks/pricing/). */
export const eksClusterHourlyUsd: { standard: number; extended: number } = { standard: 0.1, extended: 0.6 };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// The calendar's dates are UTC days: EKS bills extended support from the start of the end-of-standard-support day.
const utcDay = (date: string): Date => new Date(`${date}T00:00:00Z`);

function bundledVersions(): VersionSupport[] {
  return bundledSupportCalendar.versions.map((v) => ({
    version: v.version,
    releaseDate: utcDay(v.releaseDate),
    endOfStandardSupport: utcDay(v.endOfStandardSupport),
    endOfExtendedSupport: utcDay(v.endOfExtendedSupport),
    source: 'bundled-calendar',
  }));
}

async function versionsFromEks(eks: EKSClient): Promise<VersionSupport[]> {
  const out: VersionSupport[] = [];
  for await (const page of paginateDescribeClusterVersions({ client: eks }, { includeAll: true })) {
    for (const v of page.clusterVersions ?? []) {
      if (v.clusterType && v.clusterType !== 'eks') continue;
      if (!v.clusterVersion || !v.endOfStandardSupportDate || !v.endOfExtendedSupportDate) continue;
      out.push({
        version: minorOf(v.clusterVersion),
        ...(v.releaseDate ? { releaseDate: v.releaseDate } : {}),
        endOfStandardSupport: v.endOfStandardSupportDate,
        endOfExtendedSupport: v.endOfExtendedSupportDate,
        source: 'eks-api',
      });
    }
  }
  return out;
}

/** The bundled calendar is stale once it is this old: AWS adds a version about every four months. */
export const CALENDAR_MAX_AGE_DAYS = 274;
/** AWS announces an end of standard support at least 60 days ahead, by which time a newer version is out. */
export const CALENDAR_MIN_STANDARD_SUPPORT_LEFT_DAYS = 60;
/** EKS ships a minor version about every four months; this long after the newest one, a newer one is out. */
export const CALENDAR_MAX_DAYS_SINCE_NEWEST_RELEASE = 150;

/** Why a support calendar no longer describes what EKS offers `at`, or nothing when it still does. */
export function calendarStaleness(
  calendar: {
    updatedAt: string;
    versions: Array<{ version: string; releaseDate: string; endOfStandardSupport: string }>;
  },
  at: Date,
): string[] {
  const reasons: string[] = [];
  // Whole UTC days, as the calendar counts them.
  const today = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const daysTo = (date: string) => Math.round((utcDay(date).getTime() - today) / DAY);
  const age = -daysTo(calendar.updatedAt);
  if (age > CALENDAR_MAX_AGE_DAYS) reasons.push(`it was last updated ${age} days ago (${calendar.updatedAt})`);
  const newest = calendar.versions.at(-1);
  if (!newest) return [...reasons, 'it lists no version'];
  const left = daysTo(newest.endOfStandardSupport);
  if (left < CALENDAR_MIN_STANDARD_SUPPORT_LEFT_DAYS) {
    reasons.push(
      `its newest version, ${newest.version}, ${left < 0 ? 'left' : 'leaves'} standard support on ${newest.endOfStandardSupport}`,
    );
  }
  const sinceRelease = -daysTo(newest.releaseDate);
  if (sinceRelease > CALENDAR_MAX_DAYS_SINCE_NEWEST_RELEASE) {
    reasons.push(
      `its newest version, ${newest.version}, was released ${sinceRelease} days ago (${newest.releaseDate}), so EKS has most likely released a newer one since`,
    );
  }
  return reasons;
}

const calendarUpdate =
  'update lib/versions/eks-release-calendar.json from the Amazon EKS Kubernetes release calendar (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar) and deploy';

/**
 * Support dates from EKS DescribeClusterVersions (includeAll, paginated), falling back per version to the bundled
 * calendar for the versions EKS did not list with dates, but never offering one newer than EKS's newest (not
 * released in that region yet). An API failure (access denied, throttled after SDK retries) logs a warning and
 * uses the bundled calendar; a bundled calendar that is stale at `now` logs a warning saying why.
 */
export async function loadSupportCalendar(deps: {
  eks: EKSClient;
  log: Log;
  now: () => Date;
}): Promise<SupportCalendar> {
  let fromApi: VersionSupport[] = [];
  let apiFailed = false;
  try {
    fromApi = await versionsFromEks(deps.eks);
  } catch (error) {
    apiFailed = true;
    const e = error as Error;
    deps.log.warn(
      'EKS DescribeClusterVersions failed; using the support dates bundled with the product. Allow eks:DescribeClusterVersions to the dispatch role for current dates.',
      { errorName: e.name, errorMessage: e.message, bundledCalendarUpdatedAt: bundledSupportCalendar.updatedAt },
    );
  }
  const stale = calendarStaleness(bundledSupportCalendar, deps.now());
  if (stale.length > 0) {
    deps.log.warn(
      apiFailed || fromApi.length === 0
        ? `The support dates bundled with the product are stale and are in use: ${stale.join('; ')}. Targets and end-of-support dates may be out of date until EKS DescribeClusterVersions answers; ${calendarUpdate}.`
        : `The support dates bundled with the product are stale (${stale.join('; ')}); EKS DescribeClusterVersions answered, so its dates are used. For runs where it does not, ${calendarUpdate}.`,
      { bundledCalendarUpdatedAt: bundledSupportCalendar.updatedAt, reasons: stale },
    );
  }
  const newestFromApi = fromApi
    .map((v) => v.version)
    .sort(compareMinor)
    .at(-1);
  const byVersion = new Map<string, VersionSupport>();
  for (const v of bundledVersions()) {
    if (newestFromApi && compareMinor(v.version, newestFromApi) > 0) continue;
    byVersion.set(v.version, v);
  }
  for (const v of fromApi) byVersion.set(v.version, v);
  const all = [...byVersion.values()].sort((a, b) => compareMinor(a.version, b.version));
  return {
    get: (version) => byVersion.get(minorOf(version)),
    versions: () => [...all],
  };
}

/** The extended-support premium an upgrade started at `upgradeAt` avoids: (extended - standard) per hour for every hour between max(upgradeAt, endOfStandardSupport) and endOfExtendedSupport (after which EKS upgrades the cluster itself). Zero if the upgrade lands after extended support ends. */
export function extendedSupportCostAvoided(support: VersionSupport, upgradeAt: Date): { usd: number; hours: number } {
  const from = Math.max(upgradeAt.getTime(), support.endOfStandardSupport.getTime());
  const hours = Math.max(0, support.endOfExtendedSupport.getTime() - from) / HOUR;
  const usd = Math.round(hours * (eksClusterHourlyUsd.extended - eksClusterHourlyUsd.standard) * 100) / 100;
  return { usd, hours };
}

/** Whole days from `at` to the end of standard support (negative once past). */
export function daysUntilEndOfStandardSupport(support: VersionSupport, at: Date): number {
  return Math.floor((support.endOfStandardSupport.getTime() - at.getTime()) / DAY);
}
