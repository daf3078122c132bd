import { describe, expect, it } from 'vitest';
import { handler as consoleApi } from '../../functions/console.js';
import type { PendingGateView } from '../../lib/console/index.js';
import {
  consoleRequest,
  type HttpResult,
  jsonHeaders,
  startUpgrade,
  untilDone,
  untilGate,
  withGates,
} from './helpers.js';

const people = { mode: 'people', gates: { beforeNodes: false } } as const;

async function pending(user?: string): Promise<PendingGateView[]> {
  const listed = await consoleRequest('GET', '/api/approvals', user ? { user } : {});
  expect(listed.statusCode).toBe(200);
  return (JSON.parse(listed.body) as { approvals: PendingGateView[] }).approvals;
}

describe('console API for approval gates, behind the JWT authorizer', () => {
  it('lists pending gates with what they ask, what readiness found, and when they expire, never the token', async () => {
    await withGates(async (env) => {
      // Prepare
      const execution = startUpgrade(env, people, 'payments-1-34-20261123');
      await untilGate(env, execution);

      // Act
      const listed = await consoleRequest('GET', '/api/approvals');
      const gates = (JSON.parse(listed.body) as { approvals: PendingGateView[] }).approvals;

      // Assess
      expect(gates).toHaveLength(1);
      expect(gates[0]).toMatchObject({
        executionName: 'payments-1-34-20261123',
        cluster: 'payments',
        gate: 'before-hop',
        hop: { index: 1, from: '1.33', to: '1.34' },
        requestedAt: '2026-11-23T09:00:00.000Z',
        expiresAt: '2026-11-24T09:00:00.000Z',
        content: { title: 'Approve hop 1 of 1 (1.33 → 1.34) on payments?' },
        readiness: { blockers: 0, warnings: 0 },
      });
      expect(gates[0]?.content.plan[0]).toBe('Upgrade the control plane from 1.33 to 1.34.');
      const [token] = env.stepFunctions.pendingTasks().map((t) => t.token);
      expect(listed.body).not.toContain(token);
    });
  });

  it('records an approval as the signed-in user with their comment, then lists nothing', async () => {
    await withGates(async (env) => {
      // Prepare
      const execution = startUpgrade(env, people);
      await untilGate(env, execution);
      const [gate] = await pending();

      // Act
      const decided = await consoleRequest('POST', gate?.decide ?? '', {
        user: 'bob@example.com',
        headers: jsonHeaders,
        body: { decision: 'approve', comment: 'go' },
      });
      await untilDone(env, execution);

      // Assess
      expect(decided.statusCode).toBe(200);
      expect(execution.status).toBe('SUCCEEDED');
      expect(execution.history.find((e) => e.type === 'TaskSucceeded')?.output).toEqual({
        approved: true,
        gate: 'before-hop',
        approver: 'bob@example.com',
        channel: 'console',
        decidedAt: '2026-11-23T09:00:00.000Z',
        comment: 'go',
      });
      expect(await pending()).toEqual([]);
      const again = await consoleRequest('POST', gate?.decide ?? '', {
        headers: jsonHeaders,
        body: { decision: 'reject' },
      });
      expect(again.statusCode).toBe(409);
      // A repeat says who decided, and when.
      expect(JSON.parse(again.body)).toMatchObject({
        error: 'this gate was already approved by bob@example.com at 2026-11-23T09:00:00.000Z',
        closed: { kind: 'decided', approved: true, approver: 'bob@example.com' },
      });
    });
  });

  it('answers 404 for an execution or gate that never was, 413 for a body no decision needs, never a 500', async () => {
    await withGates(async (env) => {
      const execution = startUpgrade(env, people);
      await untilGate(env, execution);
      const [gate] = await pending();
      const post = (path: string, body: unknown) => consoleRequest('POST', path, { headers: jsonHeaders, body });
      const unknownExecution = await post('/api/approvals/nobody-ran-this/abc123', { decision: 'approve' });
      const unknownGate = await post(`/api/approvals/${execution.name}/not-a-gate`, { decision: 'approve' });
      const huge = await post(gate?.decide ?? '', { decision: 'approve', comment: 'x'.repeat(2 * 1024 * 1024) });
      expect(unknownExecution).toMatchObject({
        statusCode: 404,
        body: expect.stringContaining('no execution nobody-ran-this'),
      });
      expect(unknownGate).toMatchObject({
        statusCode: 404,
        body: expect.stringContaining('has no approval gate not-a-gate'),
      });
      expect(huge.statusCode).toBe(413);
      // Nothing was decided by any of them.
      expect(await pending()).toHaveLength(1);
    });
  });

  it('answers 409 with who decided when the gate was decided meanwhile, even once the upgrade waits at the next one', async () => {
    await withGates(async (env) => {
      const execution = startUpgrade(env, { mode: 'people' });
      await untilGate(env, execution);
      const [first] = await pending();
      await consoleRequest('POST', first?.decide ?? '', {
        user: 'bob@example.com',
        headers: jsonHeaders,
        body: { decision: 'approve' },
      });
      await untilGate(env, execution);
      const [second] = await pending();
      expect(second?.gate).toBe('before-nodes');
      // A second person's click on the first gate, sent before their page refreshed.
      const late = await consoleRequest('POST', first?.decide ?? '', {
        user: 'carol@example.com',
        headers: jsonHeaders,
        body: { decision: 'approve' },
      });
      expect(late.statusCode).toBe(409);
      expect(JSON.parse(late.body)).toMatchObject({
        error: expect.stringMatching(/^this gate was already approved by bob@example\.com at /),
      });
      expect(await pending()).toEqual([expect.objectContaining({ gate: 'before-nodes' })]);
    });
  });

  it('rejects with a reason: the execution stops with ApprovalRejected naming the user and the reason', async () => {
    await withGates(async (env) => {
      const execution = startUpgrade(env, people);
      await untilGate(env, execution);
      const [gate] = await pending();
      await consoleRequest('POST', gate?.decide ?? '', {
        headers: jsonHeaders,
        body: { decision: 'reject', comment: 'quarter-end freeze' },
      });
      await untilDone(env, execution);
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('ApprovalRejected');
      expect(execution.cause).toContain('Rejected by alice@example.com via console');
      expect(execution.cause).toContain('quarter-end freeze');
    });
  });

  it('refuses state changes without the JSON content type and the console header (CSRF), and bad bodies', async () => {
    await withGates(async (env) => {
      // Prepare
      const execution = startUpgrade(env, people);
      await untilGate(env, execution);
      const [gate] = await pending();
      const path = gate?.decide ?? '';

      // Act: what a cross-site form could send, then malformed requests.
      const form = await consoleRequest('POST', path, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'decision=approve',
      });
      const noHeader = await consoleRequest('POST', path, {
        headers: { 'content-type': 'application/json' },
        body: { decision: 'approve' },
      });
      const textPlain = await consoleRequest('POST', path, {
        headers: { 'content-type': 'text/plain', 'x-eks-upgrade-console': '1' },
        body: { decision: 'approve' },
      });
      const badBody = await consoleRequest('POST', path, { headers: jsonHeaders, body: { decision: 'yes' } });
      const otherGate = await consoleRequest('POST', path.replace(gate?.id ?? '', 'forged-gate-id'), {
        headers: jsonHeaders,
        body: { decision: 'approve' },
      });
      const get = await consoleRequest('GET', path);

      // Assess
      expect([form, noHeader, textPlain].map((r) => r.statusCode)).toEqual([403, 403, 403]);
      expect(badBody.statusCode).toBe(400);
      expect(otherGate.statusCode).toBe(404);
      expect(get.statusCode).toBe(405);
      expect(env.stepFunctions.pendingTasks()).toHaveLength(1);
      expect(execution.status).toBe('RUNNING');
    });
  });

  it('lets only the policy’s console approvers decide, and nobody without the authorizer’s claims', async () => {
    await withGates(async (env) => {
      // Prepare
      const execution = startUpgrade(env, { ...people, approvers: { console: ['carol@example.com'] } });
      await untilGate(env, execution);
      const [gate] = await pending();
      const decide = (user: string) =>
        consoleRequest('POST', gate?.decide ?? '', { user, headers: jsonHeaders, body: { decision: 'approve' } });

      // Act
      const outsider = await decide('mallory@example.com');
      const unauthenticated = (await consoleApi({
        rawPath: gate?.decide ?? '',
        requestContext: { http: { method: 'POST' } },
        headers: jsonHeaders,
        body: JSON.stringify({ decision: 'approve' }),
      })) as HttpResult;
      const pendingAfter = env.stepFunctions.pendingTasks().length;
      const listed = await decide('carol@example.com');
      await untilDone(env, execution);

      // Assess
      expect(outsider.statusCode).toBe(403);
      expect(outsider.body).toContain('not on this cluster');
      expect(unauthenticated.statusCode).toBe(401);
      expect(pendingAfter).toBe(1);
      expect(listed.statusCode).toBe(200);
      expect(execution.status).toBe('SUCCEEDED');
    });
  });
});
