import { describe, expect, it } from 'vitest';
import type { FleetView } from '../../lib/console/index.js';
import { clusterArnHash } from '../../lib/dispatch/names.js';
import type { FleetClusterStatus, FleetSnapshot, FleetStore } from '../../lib/fleet/types.js';
import { consoleDeps, get, manyExecutions, type RecordedExecution, recordedExecutions } from './helpers.js';

const now = new Date('2026-11-23T09:00:00Z');
const memoryStore = (snapshot: FleetSnapshot | undefined): FleetStore => ({
  read: async () => snapshot,
  write: async () => undefined,
});

function status(name: string, region: string, extra: Partial<FleetClusterStatus>): FleetClusterStatus {
  return {
    cluster: { accountId: '111122223333', region, name, arn: `arn:aws:eks:${region}:111122223333:cluster/${name}` },
    enrolled: true,
    hops: ['1.34'],
    version: '1.33',
    target: '1.34',
    decision: 'wait-window',
    reason: 'waits for its maintenance window',
    ...extra,
  };
}

const day = (d: string) => new Date(`${d}T00:00:00Z`);
const execution = (
  name: string,
  s: RecordedExecution['status'],
  start: string,
  cluster: string,
  region = 'eu-west-1',
): RecordedExecution => ({
  name,
  status: s,
  startDate: new Date(start),
  ...(s === 'RUNNING' ? {} : { stopDate: new Date(Date.parse(start) + 3_600_000) }),
  input: { cluster, region },
});

describe('GET /api/fleet', () => {
  it('joins the snapshot with the running execution and the last result of each cluster, with days left from now', async () => {
    // Prepare: payments runs now (and failed yesterday), search failed last, payments in us-east-1 (same name,
    // another region) succeeded under a hand-given name, and a thousand executions of another cluster are older.
    const paymentsArn = 'arn:aws:eks:eu-west-1:111122223333:cluster/payments';
    const snapshot: FleetSnapshot = {
      generatedAt: '2026-11-23T02:00:00Z',
      trigger: 'schedule',
      clusters: [
        status('payments', 'eu-west-1', {
          endOfStandardSupport: '2026-12-10T00:00:00Z',
          decision: 'started',
          executionName: `payments-1-34-20261123-${clusterArnHash(paymentsArn)}`,
        }),
        status('payments', 'us-east-1', { endOfStandardSupport: '2027-06-01T00:00:00Z' }),
        status('search', 'eu-west-1', { endOfStandardSupport: '2026-11-01T00:00:00Z', atRisk: true }),
        status('sandbox', 'eu-west-1', { enrolled: false, decision: 'not-enrolled', reason: 'no enrolment tag' }),
      ],
    };
    const { sfn, calls } = recordedExecutions([
      execution(`payments-1-34-20261123-${clusterArnHash(paymentsArn)}`, 'RUNNING', '2026-11-23T02:00:00Z', 'payments'),
      execution(`payments-1-34-20261122-${clusterArnHash(paymentsArn)}`, 'FAILED', '2026-11-22T02:00:00Z', 'payments'),
      execution('search-1-34-20261121', 'FAILED', '2026-11-21T02:00:00Z', 'search'),
      execution('search-1-34-20261120', 'SUCCEEDED', '2026-11-20T02:00:00Z', 'search'),
      execution('payments-by-hand', 'SUCCEEDED', '2026-11-19T02:00:00Z', 'payments', 'us-east-1'),
      ...manyExecutions(1000, ['other'], day('2026-10-01').getTime()),
    ]);

    // Act
    const response = await get(consoleDeps(sfn, { fleet: memoryStore(snapshot), now }), '/api/fleet');
    const view = response.json() as Extract<FleetView, { snapshot: true }>;
    const [eu, us, search] = view.clusters;

    // Assess
    expect(response.statusCode).toBe(200);
    expect(view).toMatchObject({ snapshot: true, generatedAt: '2026-11-23T02:00:00Z', trigger: 'schedule' });
    expect(view.clusters.map((c) => c.cluster.name)).toEqual(['payments', 'payments', 'search']);
    expect(view.notEnrolled).toBe(1);
    expect(eu).toMatchObject({
      daysLeft: 16,
      band: 'soon',
      running: { name: `payments-1-34-20261123-${clusterArnHash(paymentsArn)}`, startDate: '2026-11-23T02:00:00.000Z' },
      lastResult: { name: `payments-1-34-20261122-${clusterArnHash(paymentsArn)}`, status: 'FAILED' },
    });
    expect(us).toMatchObject({ band: 'ok', lastResult: { name: 'payments-by-hand', status: 'SUCCEEDED' } });
    expect(us?.running).toBeUndefined();
    expect(search).toMatchObject({ daysLeft: -23, band: 'extended', atRisk: true, lastResult: { status: 'FAILED' } });
    expect(search?.running).toBeUndefined();
    // Bounded: two listings, and the input read only for the execution whose name two clusters share.
    expect(calls.ListExecutionsCommand).toBe(2);
    expect(calls.DescribeExecutionCommand).toBe(1);
  });

  it('says dispatch has not run yet, and how to run it, when there is no snapshot', async () => {
    const { sfn } = recordedExecutions([]);
    const view = (await get(consoleDeps(sfn, { fleet: memoryStore(undefined) }), '/api/fleet')).json() as FleetView;
    expect(view).toMatchObject({ snapshot: false, message: expect.stringContaining('Dispatch has not run yet') });
    expect(view.snapshot === false && view.howTo.join('\n')).toContain('dispatch');
  });

  it('says the fleet store is not configured when the console has none', async () => {
    const { sfn } = recordedExecutions([]);
    const view = (await get(consoleDeps(sfn), '/api/fleet')).json() as FleetView;
    expect(view).toMatchObject({ snapshot: false, message: expect.stringContaining('FLEET_BUCKET') });
  });
});
