import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ExecutionDetail, StageView } from '../../lib/console/execution-detail.js';
import { failureAdvice } from '../../lib/console/execution-failure.js';
import { errorNames } from '../../lib/errors.js';
import { upgradePolicySchema } from '../../lib/planning/index.js';
import { createLocalEnvironment, type LocalEnvironment } from '../../local/environment.js';
import type { LocalExecution } from '../../local/stepfunctions.js';
import { loadScenario } from '../../sim/scenario.js';
import { consoleRequest, jsonHeaders, startUpgrade, untilDone, untilGate, withGates } from '../approvals/helpers.js';

const scenarioPath = (name: string) => fileURLToPath(new URL(`../../scenarios/${name}.yaml`, import.meta.url));

/** Runs the first cluster of a scenario to the end with its own policy, then hands the environment over. */
async function finishedRun<T>(
  scenarioName: string,
  work: (env: LocalEnvironment, execution: LocalExecution) => Promise<T>,
): Promise<T> {
  const scenario = loadScenario(scenarioPath(scenarioName));
  const env = await createLocalEnvironment(scenario);
  try {
    const cluster = scenario.clusters[0];
    if (!cluster) throw new Error(`${scenarioName} has no cluster`);
    const execution = env.stepFunctions.startExecution({
      name: `${cluster.name}-run`,
      input: { cluster: cluster.name, region: cluster.region, policy: upgradePolicySchema.parse(cluster.policy) },
    });
    await untilDone(env, execution);
    return await work(env, execution);
  } finally {
    await env.close();
  }
}

/** GET /api/executions/{name} through the console function, signed in. */
async function detail(name: string): Promise<ExecutionDetail> {
  const response = await consoleRequest('GET', `/api/executions/${name}`);
  expect(response.statusCode, response.body).toBe(200);
  return JSON.parse(response.body) as ExecutionDetail;
}

const summary = (stages: StageView[]) => stages.map((s) => [s.label, s.status]);

describe('the execution page’s view of an upgrade', () => {
  it('lays out a finished two-hop upgrade stage by stage, with durations, node counts and the policy’s approvals', async () => {
    await finishedRun('demo', async (_env, execution) => {
      // Act
      const view = await detail(execution.name);

      // Assess
      expect(view).toMatchObject({
        cluster: 'demo',
        region: 'eu-west-1',
        from: '1.32',
        to: '1.34',
        status: 'SUCCEEDED',
      });
      expect(view.current).toBeUndefined();
      expect(view.failure).toBeUndefined();
      expect(view.hops.map((h) => [h.from, h.to, h.status])).toEqual([
        ['1.32', '1.33', 'succeeded'],
        ['1.33', '1.34', 'succeeded'],
      ]);
      const [first] = view.hops;
      expect(summary(first?.stages ?? [])).toEqual([
        ['Readiness', 'succeeded'],
        ['Approval before the hop', 'succeeded'],
        ['Control plane 1.32 → 1.33', 'succeeded'],
        ['Add-ons', 'succeeded'],
        ['Approval before node rotation', 'succeeded'],
        ['Node group general', 'succeeded'],
        ['Validation', 'succeeded'],
      ]);
      const byId = new Map(first?.stages.map((s) => [s.id, s]));
      // The control plane update takes about ten simulated minutes; each stage ends when the next one starts.
      expect(byId.get('control-plane')?.durationSeconds).toBeGreaterThan(300);
      expect(byId.get('control-plane')?.endedAt).toBe(byId.get('addons')?.startedAt);
      expect(byId.get('addons')?.progress).toEqual({ done: 4, total: 4 });
      expect(byId.get('nodegroup:general')?.progress).toEqual({ done: 4, total: 4 });
      expect(view.approvals.map((a) => [a.hop.index, a.gate, a.status, a.approver, a.channel])).toEqual([
        [1, 'before-hop', 'approved', 'policy:auto', 'policy'],
        [1, 'before-nodes', 'approved', 'policy:auto', 'policy'],
        [2, 'before-hop', 'approved', 'policy:auto', 'policy'],
        [2, 'before-nodes', 'approved', 'policy:auto', 'policy'],
      ]);
      expect(view.approvals.every((a) => a.decide === undefined)).toBe(true);
    });
  });

  it('explains a failed control plane update and what to do next; the stages after it were not run', async () => {
    await finishedRun('control-plane-fails', async (_env, execution) => {
      const view = await detail(execution.name);

      expect(view.status).toBe('FAILED');
      expect(view.failure).toMatchObject({
        error: 'ControlPlaneUpdateFailed',
        cause: expect.stringContaining("EKS could not reach the cluster's subnets"),
        summary: expect.stringContaining('the cluster stays on its version'),
        nextStep: expect.stringContaining('run dispatch again'),
        hop: { index: 1, from: '1.32', to: '1.33' },
        stage: 'Control plane 1.32 → 1.33',
      });
      expect(summary(view.hops[0]?.stages ?? [])).toEqual([
        ['Readiness', 'succeeded'],
        ['Approval before the hop', 'succeeded'],
        ['Control plane 1.32 → 1.33', 'failed'],
        ['Add-ons', 'skipped'],
        ['Approval before node rotation', 'skipped'],
        ['Node group general', 'skipped'],
        ['Validation', 'skipped'],
      ]);
      expect(view.hops[0]?.stages.at(-1)?.detail).toBe('not reached: the upgrade ended before');
    });
  });

  it('names the PodDisruptionBudget that blocked a drain, and how far the rotation got', async () => {
    await finishedRun('pdb-blocks-drain', async (_env, execution) => {
      const view = await detail(execution.name);

      expect(view.failure).toMatchObject({
        error: 'PodEvictionBlocked',
        budgets: ['default/ledger-pdb'],
        summary:
          'Draining node group general was blocked by PodDisruptionBudget default/ledger-pdb; nothing was forced.',
        stage: 'Node group general',
      });
      expect(view.failure?.nextStep).toMatch(/^Scale the workload up or relax PodDisruptionBudget default\/ledger-pdb/);
      const group = view.hops[0]?.stages.find((s) => s.id === 'nodegroup:general');
      expect(group?.status).toBe('failed');
      expect(group?.progress?.done).toBeGreaterThan(0);
      expect(group?.progress?.done).toBeLessThan(group?.progress?.total ?? 0);
    });
  });

  it('shows which old nodes are being emptied while a drain is held, and the pod and budget that hold it', async () => {
    const scenario = loadScenario(scenarioPath('pdb-blocks-drain'));
    const env = await createLocalEnvironment(scenario);
    try {
      // Prepare
      const cluster = scenario.clusters[0];
      const execution = env.stepFunctions.startExecution({
        name: 'strict-run',
        input: { cluster: cluster?.name, region: cluster?.region, policy: upgradePolicySchema.parse(cluster?.policy) },
      });
      const held = () =>
        execution.history.some((e) => {
          const progress = (e.output as { progress?: { draining?: Array<{ heldBy: unknown[] }> } } | undefined)
            ?.progress;
          return e.stateName === 'Check node group' && (progress?.draining ?? []).some((d) => d.heldBy.length > 0);
        });

      // Act: run until a check of the rotation finds the drain held, and look then.
      await env.clock.runUntil(() => held() || execution.status !== 'RUNNING');
      const view = await detail(execution.name);

      // Assess
      const group = view.hops[0]?.stages.find((s) => s.id === 'nodegroup:general');
      expect(group?.status).toBe('running');
      const draining = group?.draining ?? [];
      expect(draining.length).toBeGreaterThan(0);
      const holding = draining.flatMap((d) => d.heldBy);
      expect(holding[0]).toMatchObject({
        pod: expect.stringMatching(/^default\/ledger-/),
        budget: 'default/ledger-pdb',
        budgetDetail: 'needs 2 healthy, has 2, allows 0 disruptions',
      });
      const node = draining.find((d) => d.heldBy.length > 0);
      expect(node?.podsLeft).toBeGreaterThanOrEqual(node?.heldBy.length ?? 1);
    } finally {
      await env.close();
    }
  });

  it('renders the readiness report blockers first, with objects and fixes, when blockers stop the hop', async () => {
    await finishedRun('readiness-versions', async (_env, execution) => {
      const view = await detail(execution.name);
      const readiness = view.hops[0]?.readiness;

      expect(view.failure).toMatchObject({
        error: 'ReadinessBlocked',
        nextStep: expect.stringMatching(/^Fix the blockers/),
      });
      expect(readiness?.blockers).toBe(4);
      const severities = readiness?.findings.map((f) => f.severity) ?? [];
      expect(severities.slice(0, 4)).toEqual(['blocker', 'blocker', 'blocker', 'blocker']);
      expect(severities.slice(4).every((s) => s !== 'blocker')).toBe(true);
      expect(readiness?.findings.find((f) => f.id === 'amazon-linux-2')).toMatchObject({
        hard: true,
        objects: ['nodegroup/al2-workers (AL2_x86_64)'],
        fix: expect.stringContaining('Amazon Linux 2023'),
      });
      expect(summary(view.hops[0]?.stages ?? []).slice(0, 2)).toEqual([
        ['Readiness', 'failed'],
        ['Readiness override', 'failed'],
      ]);
      expect(view.approvals.map((a) => [a.gate, a.status])).toEqual([['override-readiness', 'not-offered']]);
    });
  });

  it('shows the gate a running upgrade waits at, then who approved it with their comment, then the rejection as the cause', async () => {
    await withGates(async (env) => {
      // Prepare: people decide both gates.
      const execution = startUpgrade(env, { mode: 'people' }, 'payments-1-34-20261123');
      await untilGate(env, execution);

      // Act + Assess: waiting at the hop gate.
      const waiting = await detail(execution.name);
      expect(waiting.status).toBe('RUNNING');
      expect(waiting.current).toEqual({ hop: 1, stage: 'Approval before the hop', step: 'Approve hop' });
      const gateStage = waiting.hops[0]?.stages.find((s) => s.id === 'gate:before-hop');
      expect(gateStage).toMatchObject({ status: 'running', step: 'Approve hop', detail: 'waiting for a decision' });
      expect(waiting.hops[0]?.stages.find((s) => s.id === 'control-plane')?.status).toBe('pending');
      const [gate] = waiting.approvals;
      expect(gate).toMatchObject({ gate: 'before-hop', status: 'waiting', expiresAt: '2026-11-24T09:00:00.000Z' });

      const approved = await consoleRequest('POST', gate?.decide ?? '', {
        user: 'bob@example.com',
        headers: jsonHeaders,
        body: { decision: 'approve', comment: 'window agreed' },
      });
      expect(approved.statusCode).toBe(200);
      await untilGate(env, execution);
      const atNodes = await detail(execution.name);
      expect(atNodes.approvals[0]).toMatchObject({
        status: 'approved',
        approver: 'bob@example.com',
        channel: 'console',
        comment: 'window agreed',
      });
      expect(summary(atNodes.hops[0]?.stages ?? []).slice(1, 5)).toEqual([
        ['Approval before the hop', 'succeeded'],
        ['Control plane 1.33 → 1.34', 'succeeded'],
        ['Add-ons', 'succeeded'],
        ['Approval before node rotation', 'running'],
      ]);

      await consoleRequest('POST', atNodes.approvals[1]?.decide ?? '', {
        user: 'carol@example.com',
        headers: jsonHeaders,
        body: { decision: 'reject', comment: 'drain after the sale' },
      });
      await untilDone(env, execution);
      const stopped = await detail(execution.name);
      expect(stopped.status).toBe('FAILED');
      expect(stopped.approvals[1]).toMatchObject({
        status: 'rejected',
        approver: 'carol@example.com',
        comment: 'drain after the sale',
      });
      expect(stopped.failure).toMatchObject({
        error: 'ApprovalRejected',
        summary: 'carol@example.com rejected the approval before node rotation via console: “drain after the sale”.',
        stage: 'Approval before node rotation',
      });
      expect(stopped.hops[0]?.stages.find((s) => s.id === 'nodegroup:general')?.status).toBe('skipped');
    });
  });

  it('shows the wait for a maintenance window as a stage of its own when the policy has windows', async () => {
    await withGates(async (env) => {
      // Prepare: the approvals scenario starts on a Monday at 09:00 UTC; the only window opens at 22:00.
      const policy = upgradePolicySchema.parse({
        target: '1.34',
        approvals: 'auto',
        maintenanceWindows: [{ cron: '0 22 * * *', duration: '4h', timezone: 'UTC' }],
      });
      const execution = env.stepFunctions.startExecution({
        name: 'payments-window',
        input: { cluster: 'payments', region: 'eu-west-1', policy },
      });
      await untilDone(env, execution);

      // Act
      const view = await detail(execution.name);

      // Assess
      const stages = view.hops[0]?.stages ?? [];
      expect(stages.map((s) => s.id).slice(0, 4)).toEqual(['readiness', 'gate:before-hop', 'window', 'control-plane']);
      const window = stages.find((s) => s.id === 'window');
      expect(window).toMatchObject({ label: 'Maintenance window', status: 'succeeded' });
      expect(window?.durationSeconds).toBe(13 * 3600);
      expect(stages.find((s) => s.id === 'control-plane')?.startedAt).toBe('2026-11-23T22:00:00.000Z');
    });
  });

  it('has its own what-to-do-next for every error the state machine can end with', () => {
    const generic = failureAdvice('SomethingElse', '').nextStep;
    for (const name of errorNames) {
      const advice = failureAdvice(name, 'cause');
      expect(advice.nextStep, name).not.toBe(generic);
      expect(advice.summary, name).not.toContain('unexpected error');
    }
  });

  it('answers 404 for an execution that does not exist or a name no execution can have', async () => {
    await withGates(async () => {
      const missing = await consoleRequest('GET', '/api/executions/payments-1-34-20991231');
      const malformed = await consoleRequest('GET', '/api/executions/..%2F..%2Fetc');

      expect(missing.statusCode).toBe(404);
      expect(JSON.parse(missing.body).error).toContain('no upgrade execution named "payments-1-34-20991231"');
      expect(malformed.statusCode).toBe(404);
    });
  });
});
