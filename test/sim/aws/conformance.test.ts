/**
 * The simulated AWS held to botocore's service models over a corpus of whole runs: every scenario shipped in
 * scenarios/ upgraded through the real state machine, the fleet dispatched and upgraded, and approval gates
 * decided through the console API. Every answer must stay inside the models, every operation the product calls
 * must be in the corpus, the EKS waiters' acceptors must see the states AWS goes through, and
 * docs/aws-coverage.md is the table this corpus gives (regenerate it with UPDATE_AWS_COVERAGE=1).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatchLocally } from '../../../bin/commands/dispatch.js';
import { callerAccountId } from '../../../lib/aws/accounts.js';
import { s3FleetStore } from '../../../lib/fleet/store.js';
import { runScenario } from '../../../local/run.js';
import { type AwsCallRecord, observeAwsCalls } from '../../../sim/aws/recorder.js';
import { loadScenario } from '../../../sim/scenario.js';
import { consoleRequest, jsonHeaders, startUpgrade, untilDone, untilGate, withGates } from '../../approvals/helpers.js';
import { awsCoverageTable } from '../../referees/aws-coverage.js';
import { type ConformanceReport, checkCalls, mismatchLines, productOperations } from '../../referees/aws-models.js';
import { createWorld } from './harness.js';

const scenariosDir = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const coveragePath = fileURLToPath(new URL('../../../docs/aws-coverage.md', import.meta.url));

/** Runs `work` and returns the calls the simulated AWS answered meanwhile. */
async function recording(work: () => Promise<unknown>): Promise<AwsCallRecord[]> {
  const calls: AwsCallRecord[] = [];
  const stop = observeAwsCalls((c) => calls.push(c));
  try {
    await work();
  } finally {
    stop();
  }
  return calls;
}

const people = { mode: 'people', gates: { beforeNodes: false } } as const;

/** Gates decided the ways people decide them (approved, rejected in the console), and an upgrade stopped and retried. */
async function consoleDecisions(): Promise<void> {
  for (const decision of ['approve', 'reject'] as const) {
    await withGates(async (env) => {
      const execution = startUpgrade(env, people, `payments-${decision}`);
      await untilGate(env, execution);
      await consoleRequest('GET', '/api/executions');
      await consoleRequest('GET', `/api/executions/${execution.name}`);
      const listed = await consoleRequest('GET', '/api/approvals');
      const [gate] = (JSON.parse(listed.body) as { approvals: Array<{ decide: string }> }).approvals;
      await consoleRequest('POST', gate?.decide ?? '', { headers: jsonHeaders, body: { decision } });
      await untilDone(env, execution);
      await consoleRequest('GET', `/api/executions/${execution.name}/events`, { query: { limit: '20' } });
    });
  }
  // The on-call stops an upgrade at its gate, then retries it.
  await withGates(async (env) => {
    const execution = startUpgrade(env, people, 'payments-stop');
    await untilGate(env, execution);
    await consoleRequest('POST', `/api/executions/${execution.name}/stop`, { headers: jsonHeaders, body: {} });
    await untilDone(env, execution);
    await consoleRequest('POST', `/api/executions/${execution.name}/retry`, { headers: jsonHeaders, body: {} });
  });
}

/**
 * Production paths no local run takes: the fleet snapshot read back (the console reads it; a local dispatch
 * writes it), an absent snapshot, and the own account asked of STS (Lambda's environment names it locally).
 */
async function outsideRuns(): Promise<void> {
  const world = createWorld({ clusters: [{ name: 'store', region: 'eu-west-1', version: '1.33' }] });
  world.account.createBucket('fleet-snapshots', 'eu-west-1');
  const store = s3FleetStore({ s3: world.aws.s3, bucket: 'fleet-snapshots' });
  await store.read();
  await store.write({ generatedAt: '2026-12-01T02:00:00Z', trigger: 'schedule', clusters: [] });
  await store.read();
  await callerAccountId(world.aws.sts);
}

const upgradeScenarios = readdirSync(scenariosDir)
  .filter((f) => f.endsWith('.yaml') && f !== 'fleet.yaml')
  .sort();

describe('the simulated AWS, held to botocore’s service models over whole runs', () => {
  const byRun = new Map<string, AwsCallRecord[]>();
  const summaries = new Map<string, { clusters: number; result: Awaited<ReturnType<typeof runScenario>> }>();
  let report: ConformanceReport;

  beforeAll(async () => {
    for (const file of upgradeScenarios) {
      const scenario = loadScenario(`${scenariosDir}${file}`);
      byRun.set(
        file,
        await recording(async () => {
          const result = await runScenario(scenario);
          summaries.set(file, { clusters: scenario.clusters.length, result });
        }),
      );
    }
    byRun.set(
      'fleet dispatch',
      await recording(() => dispatchLocally({ scenario: `${scenariosDir}fleet.yaml`, apply: true })),
    );
    byRun.set('console decisions', await recording(consoleDecisions));
    byRun.set('outside runs', await recording(outsideRuns));
    report = checkCalls([...byRun.values()].flat());
  }, 300_000);

  it('runs every shipped scenario to a summary of each of its clusters, and says why one stopped', () => {
    expect([...summaries.keys()]).toEqual(upgradeScenarios);
    for (const [file, { clusters, result }] of summaries) {
      expect(result.clusters, file).toHaveLength(clusters);
      for (const c of result.clusters) {
        expect(['SUCCEEDED', 'FAILED'], `${file} ${c.name}`).toContain(c.status);
        if (c.status === 'FAILED') expect(c.cause?.length ?? 0, `${file} ${c.name}`).toBeGreaterThan(20);
      }
    }
  });

  it('answers every call of the corpus inside the models: members, types, enums, ranges, errors, statuses', () => {
    expect(report.distinctCalls).toBeGreaterThan(500);
    expect(mismatchLines(report)).toBe('');
  });

  it('has every operation the product calls in the corpus, each answered at least once', () => {
    const called = Object.keys(report.operations);
    const missing = productOperations().filter((op) => !called.includes(op));
    expect(missing).toEqual([]);
    expect(productOperations().length).toBeGreaterThanOrEqual(38);
  });

  it('goes through states that bring the EKS waiters to success and never to failure when nothing fails', () => {
    const demo = checkCalls(byRun.get('demo.yaml') ?? []);
    for (const waiter of ['eks.ClusterActive', 'eks.NodegroupActive', 'eks.AddonActive']) {
      expect(demo.waiters[waiter], waiter).toBeDefined();
      expect(demo.waiters[waiter]?.success, waiter).toBeGreaterThan(0);
      expect(demo.waiters[waiter]?.failure, waiter).toBe(0);
    }
  });

  it('reaches the waiters’ failure states only where the scenario makes the resource fail', () => {
    const health = checkCalls(byRun.get('readiness-health.yaml') ?? []);
    // The scenario's add-on is DEGRADED: AddonActive would stop with a failure, as against AWS.
    expect(health.waiters['eks.AddonActive']?.failure).toBeGreaterThan(0);
  });

  it('exercises the response fields the product reads: add-on compatibility insights and launch templates', () => {
    const seen = (op: string) => report.operations[op]?.outputPaths ?? [];
    expect(seen('eks.DescribeInsight')).toContain('insight.categorySpecificSummary.addonCompatibilityDetails[].name');
    expect(seen('eks.DescribeNodegroup')).toContain('nodegroup.launchTemplate.id');
    expect(seen('eks.DescribeNodegroup')).toContain('nodegroup.launchTemplate.version');
  });

  it('keeps docs/aws-coverage.md the table this corpus gives', () => {
    const table = awsCoverageTable(report, productOperations());
    if (process.env.UPDATE_AWS_COVERAGE) writeFileSync(coveragePath, table);
    const current = readFileSync(coveragePath, 'utf8');
    expect(
      current,
      'docs/aws-coverage.md is stale: run UPDATE_AWS_COVERAGE=1 npx vitest run test/sim/aws/conformance.test.ts',
    ).toBe(table);
  });
});
