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

  it('shows a cluster as the upgrade that succeeded after the snapshot left it, not as dispatch saw it', async () => {
    // Prepare: at 02:00 dispatch saw checkout on 1.34, at risk, and started its upgrade; it succeeded at 03:00.
    const checkoutArn = 'arn:aws:eks:eu-west-1:111122223333:cluster/checkout';
    const name = `checkout-1-35-20261123-${clusterArnHash(checkoutArn)}`;
    const snapshot: FleetSnapshot = {
      generatedAt: '2026-11-23T02:00:00Z',
      trigger: 'schedule',
      clusters: [
        status('checkout', 'eu-west-1', {
          version: '1.34',
          target: '1.35',
          hops: ['1.35'],
          endOfStandardSupport: '2026-12-02T00:00:00Z',
          supportSource: 'eks-api',
          atRisk: true,
          plannedStart: '2026-11-23T02:00:00Z',
          decision: 'started',
          executionName: name,
        }),
        status('ledger', 'eu-west-1', {
          version: '1.35',
          target: '1.35',
          hops: [],
          endOfStandardSupport: '2027-03-27T00:00:00Z',
          endOfExtendedSupport: '2028-03-27T00:00:00Z',
          supportSource: 'eks-api',
          decision: 'nothing-to-do',
        }),
        status('reports', 'us-east-1', { version: '1.33', target: '1.35', hops: ['1.34', '1.35'] }),
      ],
    };
    const { sfn } = recordedExecutions([
      {
        ...execution(name, 'SUCCEEDED', '2026-11-23T02:00:00Z', 'checkout'),
        output: { plan: { fromVersion: '1.34', toVersion: '1.35' } },
      },
      // Upgraded one hop of two, an hour ago, by an execution started by hand.
      {
        ...execution('reports-by-hand', 'SUCCEEDED', '2026-11-23T07:00:00Z', 'reports', 'us-east-1'),
        output: { plan: { fromVersion: '1.33', toVersion: '1.34' } },
      },
    ]);

    // Act
    const view = (await get(consoleDeps(sfn, { fleet: memoryStore(snapshot), now }), '/api/fleet')).json() as Extract<
      FleetView,
      { snapshot: true }
    >;

    // Assess
    const [checkout, ledger, reports] = view.clusters;
    expect(checkout).toMatchObject({
      version: '1.35',
      target: '1.35',
      hops: [],
      endOfStandardSupport: '2027-03-27T00:00:00Z',
      supportSource: 'eks-api',
      band: 'ok',
      upgradedSinceDispatch: { from: '1.34', to: '1.35', execution: name, at: '2026-11-23T03:00:00.000Z' },
      lastResult: { name, status: 'SUCCEEDED' },
    });
    expect(checkout?.atRisk).toBeUndefined();
    expect(checkout?.plannedStart).toBeUndefined();
    expect(ledger?.upgradedSinceDispatch).toBeUndefined();
    // No cluster of the snapshot is on 1.34 in us-east-1: the bundled calendar gives 1.34's dates.
    expect(reports).toMatchObject({
      version: '1.34',
      hops: ['1.35'],
      supportSource: 'bundled-calendar',
      upgradedSinceDispatch: { from: '1.33', to: '1.34', execution: 'reports-by-hand' },
    });
    expect(reports?.endOfStandardSupport).toBe('2026-12-02T00:00:00.000Z');
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
