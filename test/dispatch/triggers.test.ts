import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidInput, InvalidPolicy } from '../../lib/errors.js';
import { s3FleetStore } from '../../lib/fleet/index.js';
import { fleetBucket } from '../../local/environment.js';
import {
  cluster,
  decisionOf,
  fleet,
  healthEvent,
  invokeDispatch,
  policyWith,
  schedule,
  shippedPolicy,
  untilDone,
  withFleet,
} from './helpers.js';

const anyTime = policyWith('target: latest');
const arnOf = (name: string) => `arn:aws:eks:eu-west-1:111122223333:cluster/${name}`;
const sample = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../events/${name}`, import.meta.url), 'utf8'));

describe('enrolment and targets', () => {
  it('decides every cluster of the region, each for a reason a person understands', async () => {
    // Prepare
    const scenario = fleet('2026-12-01T02:00:00Z', [
      cluster('current', { version: '1.35' }),
      cluster('sandbox', { tags: { 'eks-upgrade/enabled': 'false' } }),
      cluster('gold', { tags: { 'eks-upgrade/policy': 'gold' } }),
      cluster('pinned', { tags: { 'eks-upgrade/target': '1.33' } }),
      cluster('behind', { version: '1.33' }),
    ]);

    await withFleet(scenario, anyTime, async (env) => {
      // Act
      const result = await invokeDispatch(env, schedule);

      // Assess
      expect(decisionOf(result, 'current')).toMatchObject({
        decision: 'nothing-to-do',
        enrolled: true,
        policyGroup: 'dev',
        reason: 'already on 1.35 (latest version EKS offers (1.35))',
      });
      expect(decisionOf(result, 'sandbox')).toMatchObject({
        decision: 'not-enrolled',
        enrolled: false,
        reason: 'tag eks-upgrade/enabled=true is not set',
      });
      expect(decisionOf(result, 'gold')).toMatchObject({ decision: 'invalid-policy', enrolled: true });
      expect(decisionOf(result, 'gold').reason).toContain('eks-upgrade/policy=gold names no policy group');
      expect(decisionOf(result, 'pinned').decision).toBe('invalid-policy');
      expect(decisionOf(result, 'pinned').reason).toContain('older than the cluster');
      expect(decisionOf(result, 'behind')).toMatchObject({ decision: 'started', hops: ['1.34', '1.35'] });
      expect(env.stepFunctions.listExecutions().map((e) => (e.input as { cluster: string }).cluster)).toEqual([
        'behind',
      ]);
    });
  });

  it('reports without starting anything on a dry run, and writes the fleet snapshot when it applies', async () => {
    const scenario = fleet('2026-12-01T02:00:00Z', [cluster('orders')]);
    await withFleet(scenario, anyTime, async (env) => {
      const store = s3FleetStore({ s3: env.deps.aws('eu-west-1').s3, bucket: fleetBucket });
      const dry = await invokeDispatch(env, { ...schedule, dryRun: true });
      expect(decisionOf(dry, 'orders').decision).toBe('would-start');
      expect(dry.started).toBe(0);
      expect(env.stepFunctions.listExecutions()).toEqual([]);
      expect(await store.read()).toBeUndefined();

      await invokeDispatch(env, schedule);
      const snapshot = await store.read();
      expect(snapshot).toMatchObject({ generatedAt: '2026-12-01T02:00:00.000Z', trigger: 'schedule' });
      expect(snapshot?.clusters.map((c) => [c.cluster.name, c.decision])).toEqual([['orders', 'started']]);
    });
  });
});

describe('AWS Health end-of-support events', () => {
  it('decides only the clusters the event names, in either category, and refuses foreign events', async () => {
    const scenario = fleet('2026-12-01T02:00:00Z', [cluster('orders'), cluster('search')]);
    await withFleet(scenario, anyTime, async (env) => {
      const planned = sample('health-eks-end-of-support-planned-change.json');
      const result = await invokeDispatch(env, planned);
      expect(result.decisions.map((d) => [d.cluster.name, d.decision])).toEqual([['orders', 'started']]);

      const foreign = {
        ...(planned as object),
        detail: { ...(planned as { detail: object }).detail, eventTypeCategory: 'issue' },
      };
      await expect(invokeDispatch(env, foreign)).rejects.toThrow(InvalidInput);
      const line = env.log.records.at(-1);
      expect(line?.level).toBe('ERROR');
      expect(String(line?.error)).toMatch(/category scheduledChange or plannedChange.*detail\.eventTypeCategory/);
      expect(env.stepFunctions.listExecutions()).toHaveLength(1);
    });
  });

  it('says a cluster ARN it does not know was not found, and decides the others', async () => {
    const scenario = fleet('2026-12-01T02:00:00Z', [cluster('orders')]);
    await withFleet(scenario, anyTime, async (env) => {
      const result = await invokeDispatch(env, healthEvent([arnOf('retired'), arnOf('orders')]));
      expect(decisionOf(result, 'retired')).toMatchObject({
        decision: 'not-found',
        reason: 'no cluster retired in account 111122223333, eu-west-1 (named by the AWS Health event)',
      });
      expect(decisionOf(result, 'orders').decision).toBe('started');
    });
  });

  it('starts one execution for a duplicate event, and none for a repeat after it ended', async () => {
    const scenario = fleet('2026-12-01T02:00:00Z', [cluster('orders')]);
    await withFleet(scenario, anyTime, async (env) => {
      // Act: EventBridge delivers the same event twice, then once more after the upgrade finished.
      const event = healthEvent([arnOf('orders'), arnOf('orders')]);
      const first = await invokeDispatch(env, event);
      const second = await invokeDispatch(env, event);
      const [execution] = env.stepFunctions.listExecutions();
      if (!execution) throw new Error('no execution started');
      await untilDone(env, execution);
      const third = await invokeDispatch(env, healthEvent([arnOf('orders')]));

      // Assess
      expect(first.decisions.map((d) => d.decision)).toEqual(['started']);
      expect(second.decisions.map((d) => d.decision)).toEqual(['already-running']);
      expect(decisionOf(second, 'orders').executionName).toBe(execution.name);
      expect(execution.status).toBe('SUCCEEDED');
      // Upgraded: nothing left to do, and no second execution.
      expect(decisionOf(third, 'orders').decision).toBe('nothing-to-do');
      expect(env.stepFunctions.listExecutions()).toHaveLength(1);
    });
  });
  it('tells a running upgrade by its cluster ARN, not by a name prefix', async () => {
    const scenario = fleet('2026-12-01T02:00:00Z', [cluster('orders'), cluster('orders-eu')]);
    await withFleet(scenario, anyTime, async (env) => {
      await invokeDispatch(env, healthEvent([arnOf('orders')]));
      const result = await invokeDispatch(env, schedule);
      expect(result.decisions.map((d) => [d.cluster.name, d.decision])).toEqual([
        ['orders', 'already-running'],
        ['orders-eu', 'started'],
      ]);
    });
  });
});

describe('failures', () => {
  it('rides out a throttled EKS API, and keeps a cluster it cannot describe from stopping the others', async () => {
    // Prepare: DescribeCluster throttles its first 3 calls in the region; DescribeClusterVersions every call.
    const scenario = fleet('2026-12-01T02:00:00Z', [
      cluster('orders', {
        faults: [
          { type: 'throttle', service: 'eks', operation: 'DescribeCluster', times: 3 },
          { type: 'throttle', service: 'eks', operation: 'DescribeClusterVersions', times: 1000 },
        ],
      }),
      cluster('search'),
    ]);

    await withFleet(scenario, anyTime, async (env) => {
      const result = await invokeDispatch(env, { ...schedule, dryRun: true });
      expect(result.decisions.map((d) => d.decision)).toEqual(['would-start', 'would-start']);
      // Support dates come from the calendar bundled with the product when EKS will not say.
      expect(decisionOf(result, 'orders')).toMatchObject({
        supportSource: 'bundled-calendar',
        endOfStandardSupport: '2026-12-02T00:00:00.000Z',
      });
    });

    // Throttled past every retry in eu-west-1; eu-central-1 answers.
    const stubborn = fleet('2026-12-01T02:00:00Z', [
      cluster('orders', { faults: [{ type: 'throttle', service: 'eks', operation: 'DescribeCluster', times: 100 }] }),
      cluster('search', { region: 'eu-central-1' }),
    ]);
    await withFleet(stubborn, anyTime, async (env) => {
      const result = await invokeDispatch(env, schedule);
      expect(decisionOf(result, 'orders').decision).toBe('error');
      expect(decisionOf(result, 'orders').reason).toMatch(/^cannot describe it: ThrottlingException/);
      expect(decisionOf(result, 'search').decision).toBe('started');
    });
  });

  it('stops before anything starts when the policy file is bad, naming the field', async () => {
    const scenario = fleet('2026-12-01T02:00:00Z', [cluster('orders')]);
    const bad = shippedPolicy.replace(
      'duration: 4h, timezone: Europe/Berlin }\n  exclusions',
      'duration: 4 hours, timezone: Europe/Berlin }\n  exclusions',
    );
    await withFleet(scenario, bad, async (env) => {
      const path = env.deps.settings.policyFile;
      const attempt = invokeDispatch(env, schedule);
      await expect(attempt).rejects.toThrow(InvalidPolicy);
      await expect(attempt).rejects.toThrow(
        `${path} is not a valid upgrade policy file:\n  - defaults.maintenanceWindows[0].duration: must be a duration such as "4h"`,
      );
      expect(env.stepFunctions.listExecutions()).toEqual([]);
    });
  });
});
