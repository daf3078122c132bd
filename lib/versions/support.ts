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

/** Support dates from EKS DescribeClusterVersions (includeAll, paginated), falling back per version to the bundled calendar; an API failure (access denied, throttled after SDK retries) logs a warning and uses the bundled calendar. */
export async function loadSupportCalendar(deps: { eks: EKSClient; log: Log }): Promise<SupportCalendar> {
  let fromApi: VersionSupport[] = [];
  try {
    fromApi = await versionsFromEks(deps.eks);
  } catch (error) {
    const e = error as Error;
    deps.log.warn(
      'EKS DescribeClusterVersions failed; using the support dates bundled with the product. Allow eks:DescribeClusterVersions to the dispatch role for current dates.',
      { errorName: e.name, errorMessage: e.message, bundledCalendarUpdatedAt: bundledSupportCalendar.updatedAt },
    );
  }
  const byVersion = new Map<string, VersionSupport>();
  for (const v of bundledVersions()) byVersion.set(v.version, v);
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
