import { describe, expect, it } from 'vitest';
import type { LocalEnvironment } from '../../local/environment.js';
import {
  consoleRequest,
  jsonHeaders,
  lastApprovalEmail,
  startUpgrade,
  statesEntered,
  untilDone,
  untilGate,
  withGates,
} from './helpers.js';

/** Approves the gate waiting in the console, as a signed-in user. */
async function approveInConsole(user = 'alice@example.com', comment?: string) {
  const listed = JSON.parse((await consoleRequest('GET', '/api/approvals', { user })).body) as {
    approvals: Array<{ decide: string; gate: string }>;
  };
  const gate = listed.approvals[0];
  if (!gate) throw new Error('no gate is waiting');
  const decided = await consoleRequest('POST', gate.decide, {
    user,
    headers: jsonHeaders,
    body: { decision: 'approve', ...(comment ? { comment } : {}) },
  });
  return { gate: gate.gate, statusCode: decided.statusCode };
}

/** A stand-in for the readiness function that reports these findings (another team owns the real checks). */
function readinessReporting(findings: Array<{ id: string; severity: string; message: string; hard?: boolean }>) {
  return {
    readiness: async () => ({
      cluster: 'payments',
      blockers: findings.filter((f) => f.severity === 'blocker').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      findings: findings.map((f) => ({ ...f, objects: ['payments'], fix: 'fix it' })),
    }),
  };
}

const decisions = (env: LocalEnvironment, executionArn: string) =>
  env.stepFunctions
    .describeExecution(executionArn)
    .history.filter((e) => e.type === 'TaskSucceeded')
    .map((e) => e.output as { approver: string; gate: string; channel: string });

describe('approval gates in the upgrade state machine', () => {
  it('stops cleanly when nobody decides before the timeout, and notifies', async () => {
    await withGates(async (env) => {
      // Prepare
      const execution = startUpgrade(env, { mode: 'people', timeoutSeconds: { beforeHop: 3600 } });

      // Act: nobody answers; the virtual clock reaches the gate's timeout, the only thing left.
      await untilDone(env, execution);

      // Assess
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('ApprovalTimedOut');
      expect(execution.cause).toContain('within 3600 seconds');
      expect(env.clock.elapsedSeconds()).toBe(3600);
      const scheduled = execution.history.find((e) => e.type === 'TaskScheduled');
      expect(scheduled?.timeoutInSeconds).toBe(3600);
      expect(execution.history.some((e) => e.type === 'TaskTimedOut')).toBe(true);
      expect(statesEntered(execution).slice(-4)).toEqual([
        'Approve hop',
        'Hop approval timed out',
        'Notify upgrade stopped',
        'Upgrade stopped',
      ]);
      expect(env.world.account.published.at(-1)?.subject).toBe(
        'EKS upgrade stopped: payments (eu-west-1) (nobody approved in time)',
      );
      expect(env.world.account.clusterVersion('payments')).toBe('1.33');
    });
  });

  it('continues on timeout when the policy says so, with the policy on record as the approver', async () => {
    await withGates(async (env) => {
      // Prepare
      const execution = startUpgrade(env, {
        mode: 'people',
        onTimeout: 'approve',
        timeoutSeconds: { beforeHop: 3600 },
      });

      // Act: the hop gate times out; the node gate is approved in the console.
      await untilGate(env, execution);
      await untilGate(env, execution);
      const nodes = await approveInConsole();
      await untilDone(env, execution);

      // Assess
      expect(nodes).toEqual({ gate: 'before-nodes', statusCode: 200 });
      expect(execution.status).toBe('SUCCEEDED');
      const exit = execution.history.find(
        (e) => e.type === 'TaskStateExited' && e.stateName === 'Hop approval timed out',
      );
      expect((exit?.output as { approvals?: { hop?: unknown } } | undefined)?.approvals?.hop).toMatchObject({
        approved: true,
        approver: 'policy:on-timeout',
        channel: 'policy',
        decidedAt: '2026-11-23T10:00:00.000Z',
      });
      expect(decisions(env, execution.executionArn)).toMatchObject([
        { gate: 'before-nodes', approver: 'alice@example.com' },
      ]);
    });
  });

  it('with approvals "auto", answers every gate at once on record as the policy, and sends no approval email', async () => {
    await withGates(async (env) => {
      const execution = startUpgrade(env, 'auto');
      await untilDone(env, execution);
      expect(execution.status).toBe('SUCCEEDED');
      expect(decisions(env, execution.executionArn)).toMatchObject([
        { gate: 'before-hop', approver: 'policy:auto', channel: 'policy' },
        { gate: 'before-nodes', approver: 'policy:auto', channel: 'policy' },
      ]);
      expect(env.world.account.published.some((m) => m.attributes.kind?.StringValue === 'approval-requested')).toBe(
        false,
      );
    });
  });

  it('asks only at the gates the policy names', async () => {
    await withGates(async (env) => {
      // Act
      const execution = startUpgrade(env, { mode: 'people', gates: { beforeHop: false } });
      await untilGate(env, execution);
      const asked = await approveInConsole();
      await untilDone(env, execution);

      // Assess
      expect(asked.gate).toBe('before-nodes');
      expect(statesEntered(execution)).not.toContain('Approve hop');
      expect(execution.status).toBe('SUCCEEDED');
    });
  });

  it('offers an override for soft readiness blockers; approving it runs the hop without asking again', async () => {
    const report = readinessReporting([
      { id: 'deprecated-api', severity: 'blocker', message: 'PodSecurityPolicy still in use' },
      { id: 'nodes-not-ready', severity: 'warning', message: '1 nodes are not Ready' },
    ]);
    await withGates(
      async (env) => {
        // Act
        const execution = startUpgrade(env, {
          mode: 'people',
          gates: { overrideReadiness: true, beforeNodes: false },
        });
        await untilGate(env, execution);
        const { email } = lastApprovalEmail(env);
        const override = await approveInConsole('sre-lead@example.com', 'PSP removal is tracked in OPS-42');
        await untilDone(env, execution);

        // Assess
        expect(override).toEqual({ gate: 'override-readiness', statusCode: 200 });
        expect(email.subject).toContain('Override readiness blockers on payments?');
        expect(email.message).toContain('[blocker] deprecated-api: PodSecurityPolicy still in use (payments)');
        expect(email.message).toContain('[warning] nodes-not-ready');
        expect(execution.status).toBe('SUCCEEDED');
        expect(statesEntered(execution)).not.toContain('Approve hop');
        expect(decisions(env, execution.executionArn)).toMatchObject([
          { gate: 'override-readiness', approver: 'sre-lead@example.com', channel: 'console' },
        ]);
        expect(env.world.account.clusterVersion('payments')).toBe('1.34');
      },
      { functions: report },
    );
  });

  it('never offers an override for a blocker marked hard: the upgrade stops with ReadinessBlocked', async () => {
    const report = readinessReporting([
      { id: 'deprecated-api', severity: 'blocker', message: 'PodSecurityPolicy still in use' },
      { id: 'cluster-health', severity: 'blocker', message: 'subnets out of IP addresses', hard: true },
    ]);
    await withGates(
      async (env) => {
        const execution = startUpgrade(env, { mode: 'people', gates: { overrideReadiness: true } });
        await untilDone(env, execution);
        expect(execution.status).toBe('FAILED');
        expect(execution.error).toBe('ReadinessBlocked');
        expect(execution.cause).toContain('cannot be overridden');
        expect(execution.cause).toContain('cluster-health');
        expect(env.world.account.published.some((m) => m.attributes.kind?.StringValue === 'approval-requested')).toBe(
          false,
        );
        expect(env.world.account.calls.some((c) => c.command === 'UpdateClusterVersion')).toBe(false);
      },
      { functions: report },
    );
  });

  it('stops on blockers when the policy offers no override', async () => {
    const report = readinessReporting([{ id: 'deprecated-api', severity: 'blocker', message: 'PSP in use' }]);
    await withGates(
      async (env) => {
        const execution = startUpgrade(env, { mode: 'people' });
        await untilDone(env, execution);
        expect(execution.error).toBe('ReadinessBlocked');
        expect(execution.cause).toContain('The policy offers no override');
        expect(statesEntered(execution)).toContain('Notify failure');
      },
      { functions: report },
    );
  });

  it('holds simulated time while a person may still answer (interactive runs), then goes on with their decision', async () => {
    await withGates(async (env) => {
      // Prepare
      env.clock.holdForPeople = true;
      const execution = startUpgrade(env, { mode: 'people', gates: { beforeNodes: false } });
      let done = false;
      void execution.done.then(() => {
        done = true;
      });

      // Act: the clock runs while someone else (here: later in this test) decides.
      const running = env.clock.runUntil(() => done);
      for (let i = 0; i < 2000 && env.stepFunctions.pendingTasks().length === 0; i++) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      for (let i = 0; i < 200; i++) await new Promise((resolve) => setImmediate(resolve));
      const waited = env.clock.elapsedSeconds();
      await approveInConsole();
      await running;

      // Assess: time stood still at the gate instead of jumping to its one-day timeout.
      expect(waited).toBeLessThan(60);
      expect(execution.status).toBe('SUCCEEDED');
      expect(env.clock.elapsedSeconds()).toBeLessThan(86_400);
    });
  });
  it('shows readiness as of now at the node rotation gate: checked again after the add-ons moved', async () => {
    await withGates(
      async (env) => {
        // Prepare: both gates wait for people; coredns starts behind 1.34's default.
        const execution = startUpgrade(env, { mode: 'people' });
        const waiting = async () =>
          JSON.parse((await consoleRequest('GET', '/api/approvals', { user: 'alice@example.com' })).body) as {
            approvals: Array<{
              gate: string;
              content: { readiness: string[] };
              readiness?: { findings: Array<{ id: string }> };
            }>;
          };
        await untilGate(env, execution);
        const first = (await waiting()).approvals[0];

        // Act
        await approveInConsole();
        await untilGate(env, execution);
        const second = (await waiting()).approvals[0];

        // Assess
        expect(first?.gate).toBe('before-hop');
        expect(first?.readiness?.findings.map((f) => f.id)).toContain('addon-behind-default');
        expect(second?.gate).toBe('before-nodes');
        expect(second?.readiness?.findings.map((f) => f.id)).not.toContain('addon-behind-default');
        expect(second?.content.readiness[0]).toMatch(
          /^Checked again just now, with the control plane and add-ons on 1\.34: /,
        );
        const entered = statesEntered(execution);
        expect(entered.slice(entered.indexOf('Upgrade add-ons'))).toContain('Recheck readiness');
        expect(entered.indexOf('Recheck readiness')).toBe(entered.indexOf('Approve node rotation') - 1);
      },
      {},
      (scenario) => {
        const coredns = scenario.clusters[0]?.addons.find((a) => a.name === 'coredns');
        if (coredns) coredns.version = 'v1.12.1-eksbuild.2';
      },
    );
  });
});
