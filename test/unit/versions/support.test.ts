import {
  AccessDeniedException,
  DescribeClusterVersionsCommand,
  EKSClient,
  ThrottlingException,
} from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../../lib/errors.js';
import { MemoryLog } from '../../../lib/runtime/index.js';
import {
  bundledSupportCalendar,
  calendarStaleness,
  daysUntilEndOfStandardSupport,
  eksClusterHourlyUsd,
  extendedSupportCostAvoided,
  loadSupportCalendar,
  type VersionSupport,
} from '../../../lib/versions/index.js';
import { createWorld } from '../../sim/aws/harness.js';

const cluster = { name: 'prod', region: 'eu-west-1', version: '1.32' };
const meta = { $metadata: { httpStatusCode: 400 } };
/** A moment the bundled calendar is still current at (a month after its newest version's release). */
const beforeStale = () => new Date('2026-07-01T00:00:00Z');

describe('bundled EKS release calendar', () => {
  it('was current when it was last updated: its newest version then had more than 60 days of standard support left', () => {
    // The date the file says it was checked, never today's: time passing is the runtime warning's business.
    const updatedAt = new Date(`${bundledSupportCalendar.updatedAt}T00:00:00Z`);
    const newest = bundledSupportCalendar.versions.at(-1);

    expect(newest?.version).toBe('1.36');
    expect((newest?.releaseDate ?? '9999') <= bundledSupportCalendar.updatedAt).toBe(true);
    expect(calendarStaleness(bundledSupportCalendar, updatedAt).filter((r) => !r.includes('released'))).toEqual([]);
  });

  it("follows EKS's lifecycle: 14 months of standard support from the EKS release, then 12 of extended support", () => {
    const plusMonths = (date: string, months: number) => {
      const d = new Date(`${date}T00:00:00Z`);
      d.setUTCMonth(d.getUTCMonth() + months);
      return d.toISOString().slice(0, 10);
    };
    for (const v of bundledSupportCalendar.versions) {
      expect(v.endOfStandardSupport, v.version).toBe(plusMonths(v.releaseDate, 14));
      expect(v.endOfExtendedSupport, v.version).toBe(plusMonths(v.endOfStandardSupport, 12));
    }
  });

  it('holds well-formed dates in order: versions ascending, release < end of standard < end of extended support', () => {
    const iso = /^\d{4}-\d{2}-\d{2}$/;
    const versions = bundledSupportCalendar.versions;

    expect(bundledSupportCalendar.updatedAt).toMatch(iso);
    for (const [i, v] of versions.entries()) {
      expect(v.version).toMatch(/^1\.\d+$/);
      for (const date of [v.releaseDate, v.endOfStandardSupport, v.endOfExtendedSupport]) {
        expect(date).toMatch(iso);
        expect(new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10)).toBe(date);
      }
      expect(v.releaseDate < v.endOfStandardSupport && v.endOfStandardSupport < v.endOfExtendedSupport).toBe(true);
      if (i > 0) expect(Number(v.version.split('.')[1])).toBe(Number(versions[i - 1]?.version.split('.')[1]) + 1);
    }
  });

  it('agrees with what the simulated EKS reports for every version both know', async () => {
    const w = createWorld({ clusters: [cluster] });
    const { clusterVersions = [] } = await w.aws.eks.send(new DescribeClusterVersionsCommand({ includeAll: true }));

    for (const v of bundledSupportCalendar.versions) {
      const reported = clusterVersions.find((c) => c.clusterVersion === v.version);
      if (!reported) continue;
      expect(reported.endOfStandardSupportDate?.toISOString().slice(0, 10), v.version).toBe(v.endOfStandardSupport);
      expect(reported.endOfExtendedSupportDate?.toISOString().slice(0, 10), v.version).toBe(v.endOfExtendedSupport);
    }
  });
});

describe('loading support dates', () => {
  it('takes the dates from EKS DescribeClusterVersions, versions past extended support included', async () => {
    const w = createWorld({ clusters: [cluster] });
    const log = new MemoryLog();

    const calendar = await loadSupportCalendar({ eks: w.aws.eks, log, now: beforeStale });

    const calls = w.account.calls.filter((c) => c.command === 'DescribeClusterVersions');
    expect(calls.map((c) => c.input)).toEqual([{ includeAll: true }]);
    expect(calendar.get('1.32')).toEqual({
      version: '1.32',
      releaseDate: new Date('2025-01-23T00:00:00Z'),
      endOfStandardSupport: new Date('2026-03-23T00:00:00Z'),
      endOfExtendedSupport: new Date('2027-03-23T00:00:00Z'),
      source: 'eks-api',
    });
    // 1.28 left extended support in 2025: only listed with includeAll.
    expect(calendar.get('1.28')?.source).toBe('eks-api');
    expect(calendar.get('v1.34.1-eks-113cf36')?.version).toBe('1.34');
    expect(calendar.versions().map((v) => v.version)).toEqual([
      '1.28',
      '1.29',
      '1.30',
      '1.31',
      '1.32',
      '1.33',
      '1.34',
      '1.35',
    ]);
    expect(log.records.filter((r) => r.level === 'WARN')).toEqual([]);
  });

  it('follows every page, and takes a version EKS does not list from the bundled calendar', async () => {
    const eks = mockClient(EKSClient);
    eks
      .on(DescribeClusterVersionsCommand, { includeAll: true })
      .resolves({
        clusterVersions: [
          {
            clusterVersion: '1.35',
            clusterType: 'eks',
            endOfStandardSupportDate: new Date('2027-04-01T00:00:00Z'),
            endOfExtendedSupportDate: new Date('2028-04-01T00:00:00Z'),
          },
        ],
        nextToken: 'page-2',
      })
      .on(DescribeClusterVersionsCommand, { includeAll: true, nextToken: 'page-2' })
      .resolves({
        clusterVersions: [
          {
            clusterVersion: '1.34',
            endOfStandardSupportDate: new Date('2026-12-02T00:00:00Z'),
            endOfExtendedSupportDate: new Date('2027-12-02T00:00:00Z'),
          },
          // Without its dates, a listed version is no better than an unlisted one.
          { clusterVersion: '1.33' },
        ],
      });

    const calendar = await loadSupportCalendar({
      eks: new EKSClient({ region: 'eu-west-1' }),
      log: new MemoryLog(),
      now: beforeStale,
    });

    expect(eks.commandCalls(DescribeClusterVersionsCommand)).toHaveLength(2);
    expect(calendar.get('1.35')).toMatchObject({
      source: 'eks-api',
      endOfStandardSupport: new Date('2027-04-01T00:00:00Z'),
    });
    expect(calendar.get('1.34')?.source).toBe('eks-api');
    expect(calendar.get('1.33')).toMatchObject({
      source: 'bundled-calendar',
      endOfStandardSupport: new Date('2026-07-29T00:00:00Z'),
    });
    expect(calendar.get('1.29')?.source).toBe('bundled-calendar');
    expect(calendar.get('1.20')).toBeUndefined();
    expect(() => calendar.get('latest')).toThrow(InvalidInput);
    eks.restore();
  });

  it.each([
    [
      'access denied',
      new AccessDeniedException({ message: 'User is not authorized to perform: eks:DescribeClusterVersions', ...meta }),
    ],
    ['throttled after retries', new ThrottlingException({ message: 'Rate exceeded', ...meta })],
  ])('falls back to the bundled calendar with a warning when EKS refuses (%s)', async (_case, error) => {
    const eks = mockClient(EKSClient);
    eks.on(DescribeClusterVersionsCommand).rejects(error);
    const log = new MemoryLog();

    const calendar = await loadSupportCalendar({ eks: new EKSClient({ region: 'eu-west-1' }), log, now: beforeStale });

    expect(calendar.versions()).toHaveLength(bundledSupportCalendar.versions.length);
    expect(calendar.versions().every((v) => v.source === 'bundled-calendar')).toBe(true);
    expect(calendar.get('1.32')?.endOfStandardSupport).toEqual(new Date('2026-03-23T00:00:00Z'));
    expect(log.records).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: expect.stringMatching(/DescribeClusterVersions failed; using the support dates bundled/),
        errorName: error.name,
        bundledCalendarUpdatedAt: bundledSupportCalendar.updatedAt,
      }),
    ]);
    eks.restore();
  });
});

describe('extended support cost and days left', () => {
  const v132: VersionSupport = {
    version: '1.32',
    endOfStandardSupport: new Date('2026-03-23T00:00:00Z'),
    endOfExtendedSupport: new Date('2027-03-23T00:00:00Z'),
    source: 'bundled-calendar',
  };

  it('prices extended support at the EKS list prices', () => {
    expect(eksClusterHourlyUsd).toEqual({ standard: 0.1, extended: 0.6 });
  });

  it('avoids the full year of premium when the upgrade lands before the end of standard support', () => {
    expect(extendedSupportCostAvoided(v132, new Date('2026-01-10T00:00:00Z'))).toEqual({ usd: 4380, hours: 8760 });
    expect(extendedSupportCostAvoided(v132, v132.endOfStandardSupport)).toEqual({ usd: 4380, hours: 8760 });
  });

  it('prorates the premium during extended support', () => {
    const halfway = new Date('2026-09-21T12:00:00Z');

    expect(extendedSupportCostAvoided(v132, halfway)).toEqual({ usd: 2190, hours: 4380 });
    expect(extendedSupportCostAvoided(v132, new Date('2027-03-22T00:00:00Z'))).toEqual({ usd: 12, hours: 24 });
  });

  it('avoids nothing once extended support has ended', () => {
    expect(extendedSupportCostAvoided(v132, v132.endOfExtendedSupport)).toEqual({ usd: 0, hours: 0 });
    expect(extendedSupportCostAvoided(v132, new Date('2027-06-01T00:00:00Z'))).toEqual({ usd: 0, hours: 0 });
  });

  it('counts whole days to the end of standard support, negative once past it', () => {
    expect(daysUntilEndOfStandardSupport(v132, new Date('2026-03-13T00:00:00Z'))).toBe(10);
    expect(daysUntilEndOfStandardSupport(v132, new Date('2026-03-22T12:00:00Z'))).toBe(0);
    expect(daysUntilEndOfStandardSupport(v132, new Date('2026-03-23T00:00:01Z'))).toBe(-1);
    expect(daysUntilEndOfStandardSupport(v132, new Date('2026-04-02T00:00:00Z'))).toBe(-10);
  });
});

describe('a stale support calendar', () => {
  const calendar = {
    updatedAt: '2026-06-10',
    versions: [
      { version: '1.35', releaseDate: '2026-01-27', endOfStandardSupport: '2027-03-27' },
      { version: '1.36', releaseDate: '2026-06-02', endOfStandardSupport: '2027-08-02' },
    ],
  };
  const at = (date: string) => new Date(`${date}T12:00:00Z`);

  it('is current while recent, its newest version recent and far from the end of standard support', () => {
    expect(calendarStaleness(calendar, at('2026-06-10'))).toEqual([]);
    expect(calendarStaleness(calendar, at('2026-10-29'))).toEqual([]);
  });

  it('is stale once its newest version is five months old: EKS ships one about every four months', () => {
    expect(calendarStaleness(calendar, at('2026-12-03'))).toEqual([
      'its newest version, 1.36, was released 184 days ago (2026-06-02), so EKS has most likely released a newer one since',
    ]);
  });

  it('is stale once it is nine months old, or its newest version nears the end of standard support', () => {
    const reasons = calendarStaleness(calendar, at('2027-06-15'));
    expect(reasons).toContain('it was last updated 370 days ago (2026-06-10)');
    expect(reasons).toContain('its newest version, 1.36, leaves standard support on 2027-08-02');
    expect(calendarStaleness({ updatedAt: '2026-06-10', versions: [] }, at('2026-06-10'))).toEqual([
      'it lists no version',
    ]);
  });

  it('makes the product warn at run time, saying why and whether the bundled dates are in use', async () => {
    const staleAt = () => at('2027-01-15');
    const answered = mockClient(EKSClient);
    answered.on(DescribeClusterVersionsCommand).resolves({
      clusterVersions: [
        {
          clusterVersion: '1.36',
          clusterType: 'eks',
          endOfStandardSupportDate: new Date('2027-08-02T00:00:00Z'),
          endOfExtendedSupportDate: new Date('2028-08-02T00:00:00Z'),
        },
      ],
    });
    const log = new MemoryLog();
    await loadSupportCalendar({ eks: new EKSClient({ region: 'eu-west-1' }), log, now: staleAt });
    const [warning] = log.records.filter((r) => r.level === 'WARN');
    expect(warning?.message).toMatch(
      /stale \(its newest version, 1\.36, was released 227 days ago.*EKS DescribeClusterVersions answered, so its dates are used/,
    );
    expect(warning?.message).toContain('update lib/versions/eks-release-calendar.json');
    answered.restore();

    const refused = mockClient(EKSClient);
    refused.on(DescribeClusterVersionsCommand).rejects(new AccessDeniedException({ message: 'no', ...meta }));
    const fallback = new MemoryLog();
    await loadSupportCalendar({ eks: new EKSClient({ region: 'eu-west-1' }), log: fallback, now: staleAt });
    expect(fallback.records.filter((r) => r.level === 'WARN').map((r) => r.message)).toEqual([
      expect.stringMatching(/^EKS DescribeClusterVersions failed/),
      expect.stringMatching(/stale and are in use: .*Targets and end-of-support dates may be out of date/),
    ]);
    refused.restore();
  });

  it('never offers a version the bundled calendar knows but EKS does not list yet', async () => {
    const eks = mockClient(EKSClient);
    eks.on(DescribeClusterVersionsCommand).resolves({
      clusterVersions: [
        {
          clusterVersion: '1.35',
          clusterType: 'eks',
          endOfStandardSupportDate: new Date('2027-03-27T00:00:00Z'),
          endOfExtendedSupportDate: new Date('2028-03-27T00:00:00Z'),
        },
      ],
    });
    const calendar = await loadSupportCalendar({
      eks: new EKSClient({ region: 'eu-west-1' }),
      log: new MemoryLog(),
      now: beforeStale,
    });
    expect(calendar.get('1.36')).toBeUndefined();
    expect(calendar.versions().at(-1)?.version).toBe('1.35');
    expect(calendar.get('1.34')?.source).toBe('bundled-calendar');
    eks.restore();
  });
});
