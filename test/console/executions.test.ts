import { describe, expect, it } from 'vitest';
import type { ExecutionsPage } from '../../lib/console/index.js';
import { consoleDeps, get, manyExecutions, recordedExecutions } from './helpers.js';

async function page(deps: ReturnType<typeof consoleDeps>, query: Record<string, string>): Promise<ExecutionsPage> {
  const response = await get(deps, '/api/executions', query);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as ExecutionsPage;
}

/** Every page of a listing, following `next`. */
async function allPages(
  deps: ReturnType<typeof consoleDeps>,
  query: Record<string, string>,
): Promise<ExecutionsPage[]> {
  const pages: ExecutionsPage[] = [];
  let next: string | undefined;
  do {
    const p = await page(deps, { ...query, ...(next ? { next } : {}) });
    pages.push(p);
    next = p.next;
  } while (next && pages.length < 200);
  return pages;
}

describe('GET /api/executions', () => {
  it('lists newest first, 50 a page, with cluster and target, and pages through all without gaps or repeats', async () => {
    // Prepare
    const records = manyExecutions(120, ['payments', 'search']);
    const { sfn } = recordedExecutions(records);

    // Act
    const pages = await allPages(consoleDeps(sfn), {});

    // Assess
    expect(pages.map((p) => p.executions.length)).toEqual([50, 50, 20]);
    const names = pages.flatMap((p) => p.executions.map((e) => e.name));
    expect(names).toEqual(records.map((r) => r.name));
    expect(pages[0]?.executions[0]).toMatchObject({ cluster: 'payments', target: '1.34', status: 'SUCCEEDED' });
    expect(pages[2]?.next).toBeUndefined();
  });

  it("says the orchestrator's time, so pages measure ages on its clock (simulated time in a local run)", async () => {
    const { sfn } = recordedExecutions(manyExecutions(3, ['payments']));
    const now = new Date('2027-02-01T10:00:00Z');

    const response = await get(consoleDeps(sfn, { now }), '/api/executions');

    expect(response.headers?.['x-eks-upgrade-now']).toBe(now.toISOString());
  });

  it('filters by status in Step Functions', async () => {
    const { sfn } = recordedExecutions(manyExecutions(120, ['payments', 'search']));
    const pages = await allPages(consoleDeps(sfn), { status: 'FAILED' });
    const rows = pages.flatMap((p) => p.executions);
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['FAILED']));
  });

  it('filters by cluster by name, never mistaking a cluster whose name starts the same, across pages', async () => {
    // Prepare: payments-eu's names start with "payments-".
    const { sfn, calls } = recordedExecutions(manyExecutions(3000, ['payments', 'payments-eu', 'search']));
    const deps = consoleDeps(sfn);

    // Act
    const first = await page(deps, { cluster: 'payments' });
    const listCalls = calls.ListExecutionsCommand;
    const second = await page(deps, { cluster: 'payments', next: first.next ?? '' });
    const failed = await allPages(deps, { cluster: 'payments-eu', status: 'FAILED' });

    // Assess
    expect(first.executions).toHaveLength(50);
    expect(second.executions).toHaveLength(50);
    expect(new Set([...first.executions, ...second.executions].map((e) => e.cluster))).toEqual(new Set(['payments']));
    expect(second.executions[0]?.startDate).not.toBe(first.executions[49]?.startDate);
    expect(Date.parse(second.executions[0]?.startDate ?? '')).toBeLessThan(
      Date.parse(first.executions[49]?.startDate ?? ''),
    );
    expect(listCalls).toBe(1);
    expect(calls.DescribeExecutionCommand).toBeUndefined();
    const rows = failed.flatMap((p) => p.executions);
    expect(rows.length).toBe(
      manyExecutions(3000, ['payments', 'payments-eu', 'search']).filter(
        (r) => r.name.startsWith('payments-eu-') && r.status === 'FAILED',
      ).length,
    );
    expect(rows.every((r) => r.cluster === 'payments-eu' && r.status === 'FAILED')).toBe(true);
  });

  it('scans a bounded number of executions per request and says where to continue', async () => {
    // Prepare: 5,000 executions of other clusters, then the three of "rare", the oldest.
    const others = manyExecutions(5000, ['payments', 'search']);
    const rare = manyExecutions(3, ['rare'], Date.parse('2025-01-01T00:00:00Z'));
    const { sfn, calls } = recordedExecutions([...others, ...rare]);
    const deps = consoleDeps(sfn);

    // Act
    const first = await page(deps, { cluster: 'rare' });
    const callsForFirst = calls.ListExecutionsCommand;
    const rest = await allPages(deps, { cluster: 'rare', next: first.next ?? '' });

    // Assess
    expect(first).toMatchObject({ executions: [], scanned: 2000, partial: true });
    expect(first.next).toBeDefined();
    expect(callsForFirst).toBe(2);
    expect(rest.flatMap((p) => p.executions).map((e) => e.cluster)).toEqual(['rare', 'rare', 'rare']);
    expect(rest.at(-1)?.next).toBeUndefined();
  });

  it('reads the cluster of executions started under other names from their input', async () => {
    const { sfn, calls } = recordedExecutions([
      {
        name: 'payments-by-hand',
        status: 'SUCCEEDED',
        startDate: new Date('2026-11-20T10:00:00Z'),
        stopDate: new Date('2026-11-20T11:00:00Z'),
        input: { cluster: 'payments', region: 'eu-west-1', policy: { target: '1.33' } },
      },
      {
        name: 'search-1-34-20261119',
        status: 'FAILED',
        startDate: new Date('2026-11-19T10:00:00Z'),
        input: { cluster: 'search', region: 'eu-west-1' },
      },
    ]);
    const listed = await page(consoleDeps(sfn), {});
    const filtered = await page(consoleDeps(sfn), { cluster: 'payments' });
    expect(listed.executions.map((e) => [e.name, e.cluster, e.target])).toEqual([
      ['payments-by-hand', 'payments', '1.33'],
      ['search-1-34-20261119', 'search', '1.34'],
    ]);
    expect(filtered.executions.map((e) => e.name)).toEqual(['payments-by-hand']);
    expect(calls.DescribeExecutionCommand).toBe(2);
  });

  it('answers bad filters and forged tokens with 400 and what to fix', async () => {
    const { sfn } = recordedExecutions(manyExecutions(10, ['payments']));
    const deps = consoleDeps(sfn);
    const cases = [
      [{ status: 'DONE' }, 'status must be one of'],
      [{ cluster: '../etc' }, 'cluster must be an EKS cluster name'],
      [{ limit: '5000' }, 'limit must be a whole number from 1 to 100'],
      [{ next: 'not-a-token' }, 'was not issued by this console'],
    ] as const;
    for (const [query, message] of cases) {
      const response = await get(deps, '/api/executions', { ...query });
      expect(response.statusCode, JSON.stringify(query)).toBe(400);
      expect(response.json().error).toContain(message);
    }
  });
});
