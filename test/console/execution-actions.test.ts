import { describe, expect, it } from 'vitest';
import { retryName } from '../../lib/console/execution-actions.js';
import type { ExecutionDetail } from '../../lib/console/execution-detail.js';
import type { ExecutionEventsPage } from '../../lib/console/execution-events.js';
import { upgradePolicySchema } from '../../lib/planning/index.js';
import { consoleRequest, jsonHeaders, startUpgrade, untilDone, untilGate, withGates } from '../approvals/helpers.js';

const body = <T>(response: { body: string }) => JSON.parse(response.body) as T;

describe('the execution page for the on-call: events, links, stop and retry', () => {
  it('pages through the event history with each state’s input and output, as the Step Functions console shows it', async () => {
    await withGates(async (env) => {
      // Prepare
      const execution = startUpgrade(env, 'auto');
      await untilDone(env, execution);

      // Act
      const first = body<ExecutionEventsPage>(
        await consoleRequest('GET', `/api/executions/${execution.name}/events`, { query: { limit: '50' } }),
      );
      const pages = [first];
      for (let next = first.next; next; ) {
        const page = body<ExecutionEventsPage>(
          await consoleRequest('GET', `/api/executions/${execution.name}/events`, { query: { limit: '50', next } }),
        );
        pages.push(page);
        next = page.next;
      }

      // Assess
      const events = pages.flatMap((p) => p.events);
      expect(pages.length).toBeGreaterThan(1);
      expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
      expect(events[0]).toMatchObject({ type: 'ExecutionStarted', elapsedSeconds: 0 });
      expect(JSON.parse(events[0]?.input ?? '{}')).toMatchObject({ cluster: 'payments' });
      const planned = events.find((e) => e.type === 'TaskStateExited' && e.state === 'Plan upgrade');
      expect(JSON.parse(planned?.output ?? '{}').plan.hops).toHaveLength(1);
      const entered = events.find((e) => e.type === 'TaskStateEntered' && e.state === 'Upgrade control plane');
      expect(JSON.parse(entered?.input ?? '{}')).toMatchObject({ cluster: 'payments', hop: { to: '1.34' } });
      expect(events.at(-1)).toMatchObject({ type: 'ExecutionSucceeded' });
      const later = pages.at(-1)?.events[0];
      expect(later?.elapsedSeconds).toBeGreaterThan(0);
      expect(
        (await consoleRequest('GET', `/api/executions/${execution.name}/events`, { query: { limit: '501' } }))
          .statusCode,
      ).toBe(400);
      expect(
        (await consoleRequest('GET', `/api/executions/${execution.name}/events`, { query: { next: 'forged!' } }))
          .statusCode,
      ).toBe(400);
      expect((await consoleRequest('GET', '/api/executions/never-was/events')).statusCode).toBe(404);
    });
  });

  it('links the execution to the Step Functions console and its CloudWatch logs', async () => {
    await withGates(async (env) => {
      const execution = startUpgrade(env, 'auto');
      await untilDone(env, execution);

      const view = body<ExecutionDetail>(await consoleRequest('GET', `/api/executions/${execution.name}`));

      expect(view.executionArn).toBe(execution.executionArn);
      const [console, insights, group] = view.links;
      expect(console?.url).toBe(
        `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${encodeURIComponent(execution.executionArn)}`,
      );
      const stateMachine = execution.executionArn.split(':')[6] ?? '';
      const prefix = stateMachine.replace(/-upgrade-cluster$/, '');
      // The Logs Insights fragment decodes to a query for this execution over the task functions' log groups.
      const fragment = decodeURIComponent((insights?.url.split('#logsV2:')[1] ?? '').replace(/\$/g, '%'));
      expect(fragment).toMatch(/^logs-insights\?queryDetail=~\(end~'/);
      const decoded = fragment.replace(/\*([0-9a-f]{2})/g, (_, h: string) =>
        String.fromCharCode(Number.parseInt(h, 16)),
      );
      expect(decoded).toContain(`filter execution = "${execution.name}"`);
      expect(decoded).toContain(`~'/aws/lambda/${prefix}-nodegroups`);
      expect(decoded).toContain("timeType~'ABSOLUTE");
      expect(group?.url).toBe(
        `https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Fvendedlogs$252Fstates$252F${stateMachine}`,
      );
      expect(view.actions).toEqual([]);
    });
  });

  it('stops a running upgrade on record with who and why, then retries it as a new execution with the same input', async () => {
    await withGates(async (env) => {
      // Prepare: the upgrade waits at its first gate.
      const execution = startUpgrade(env, { mode: 'people' });
      await untilGate(env, execution);
      const path = (action: string) => `/api/executions/${execution.name}/${action}`;
      const running = body<ExecutionDetail>(await consoleRequest('GET', `/api/executions/${execution.name}`));
      expect(running.actions).toEqual(['stop']);

      // Act: refused without the console's header, or for an execution that never was; then stopped.
      const forged = await consoleRequest('POST', path('stop'), { body: {} });
      const unknown = await consoleRequest('POST', '/api/executions/never-was/stop', {
        headers: jsonHeaders,
        body: {},
      });
      const early = await consoleRequest('POST', path('retry'), { headers: jsonHeaders, body: {} });
      const stopped = await consoleRequest('POST', path('stop'), {
        headers: jsonHeaders,
        body: { comment: 'wrong window' },
      });
      await untilDone(env, execution);
      const again = await consoleRequest('POST', path('stop'), { headers: jsonHeaders, body: {} });

      // Assess the stop
      expect(forged.statusCode).toBe(403);
      expect(unknown.statusCode).toBe(404);
      expect(early.statusCode).toBe(409);
      expect(body<{ error: string }>(early).error).toContain('still running');
      expect(stopped.statusCode, stopped.body).toBe(200);
      expect(again.statusCode).toBe(409);
      expect(body<{ error: string }>(again).error).toBe('the upgrade is not running: it ended aborted');
      expect(execution.status).toBe('ABORTED');
      expect(execution.error).toBe('StoppedByOperator');
      expect(execution.cause).toMatch(/^Stopped by alice@example\.com in the console at 2026-11-23T.*: wrong window$/);
      const view = body<ExecutionDetail>(await consoleRequest('GET', `/api/executions/${execution.name}`));
      expect(view.actions).toEqual(['retry']);
      expect(view.failure?.summary).toContain('Stopped by alice@example.com');
      expect(view.failure?.nextStep).toContain('resumes a rotation from the marks it left');
      expect(env.world.account.clusterVersion('payments')).toBe('1.33');

      // Act: retry.
      const retried = await consoleRequest('POST', path('retry'), { headers: jsonHeaders, body: {} });
      const twice = await consoleRequest('POST', path('retry'), { headers: jsonHeaders, body: {} });

      // Assess the retry
      expect(retried.statusCode, retried.body).toBe(200);
      const retry = body<{ retry: string }>(retried).retry;
      expect(retry).toBe(`${execution.name}-r1`);
      const started = env.stepFunctions.describeExecution(execution.executionArn.replace(execution.name, retry));
      expect(started.status).toBe('RUNNING');
      expect(started.input).toEqual(execution.input);
      // One upgrade of a cluster at a time: the retry runs, so another is refused, naming it.
      expect(twice.statusCode).toBe(409);
      expect(body<{ running: string }>(twice).running).toBe(retry);
      await untilGate(env, started);
      expect(env.stepFunctions.pendingTasks().map((t) => t.executionArn)).toEqual([started.executionArn]);
    });
  });

  it('answers a malformed or oversized stop with 400 or 413, and a retry of a success with 409, changing nothing', async () => {
    await withGates(async (env) => {
      // Already on 1.33: an upgrade to it succeeds at once.
      const done = env.stepFunctions.startExecution({
        name: 'payments-done',
        input: { cluster: 'payments', region: 'eu-west-1', policy: upgradePolicySchema.parse({ target: '1.33' }) },
      });
      await untilDone(env, done);
      const running = startUpgrade(env, { mode: 'people' }, 'payments-waiting');
      await untilGate(env, running);
      const stop = `/api/executions/${running.name}/stop`;

      const malformed = await consoleRequest('POST', stop, { headers: jsonHeaders, body: { reason: 'x' } });
      const oversized = await consoleRequest('POST', stop, {
        headers: jsonHeaders,
        body: { comment: 'x'.repeat(17 * 1024) },
      });
      const success = await consoleRequest('POST', `/api/executions/${done.name}/retry`, {
        headers: jsonHeaders,
        body: {},
      });
      const badPage = await consoleRequest('GET', `/api/executions/${running.name}/events`, {
        query: { limit: 'ten' },
      });

      expect([malformed.statusCode, oversized.statusCode, success.statusCode, badPage.statusCode]).toEqual([
        400, 413, 409, 400,
      ]);
      expect(body<{ error: string }>(malformed).error).toBe('the body must be {"comment": "optional"}');
      expect(body<{ error: string }>(success).error).toBe('the upgrade succeeded: there is nothing to retry');
      expect(running.status).toBe('RUNNING');
      expect(env.stepFunctions.listExecutions({})).toHaveLength(2);
    });
  });

  it('lets only the cluster’s console approvers stop or retry, when the policy names them', async () => {
    await withGates(async (env) => {
      const execution = startUpgrade(env, { mode: 'people', approvers: { console: ['alice@example.com'] } });
      await untilGate(env, execution);

      const mallory = await consoleRequest('POST', `/api/executions/${execution.name}/stop`, {
        user: 'mallory@example.com',
        headers: jsonHeaders,
        body: {},
      });

      expect(mallory.statusCode).toBe(403);
      expect(body<{ error: string }>(mallory).error).toBe(
        "mallory@example.com is not on this cluster's console approver list, so cannot stop or retry its upgrade",
      );
      expect(execution.status).toBe('RUNNING');
    });
  });

  it('names retries after the execution they retry, within Step Functions’ 80 characters', () => {
    expect(retryName('payments-1-35-20261201-ab12cd', 1)).toBe('payments-1-35-20261201-ab12cd-r1');
    expect(retryName('payments-1-35-20261201-ab12cd-r1', 2)).toBe('payments-1-35-20261201-ab12cd-r2');
    const long = `${'x'.repeat(70)}-1-35-20261201-ab12cd`.slice(0, 80);
    expect(retryName(long, 12)).toHaveLength(80);
    expect(retryName(long, 12).endsWith('-r12')).toBe(true);
  });
});
