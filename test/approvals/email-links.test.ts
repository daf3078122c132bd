import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sealApprovalLink } from '../../lib/approvals/index.js';
import {
  lastApprovalEmail,
  openLink,
  startUpgrade,
  statesEntered,
  untilDone,
  untilGate,
  withGates,
} from './helpers.js';

const people = { mode: 'people', gates: { beforeNodes: false } } as const;

describe('approval emails with signed links, through the upgrade state machine', () => {
  it('sends an email that says which cluster and hop, what will happen and what readiness found, with two links', async () => {
    await withGates(async (env) => {
      // Act
      const execution = startUpgrade(env, people);
      await untilGate(env, execution);

      // Assess
      const { email, approve, reject } = lastApprovalEmail(env);
      expect(email.subject).toBe('EKS upgrade approval needed: Approve hop 1 of 1 (1.33 -> 1.34) on payments?');
      expect(email.message).toContain('start hop 1 of 1 (1.33 → 1.34) on payments (eu-west-1)');
      expect(email.message).toContain('Upgrade the control plane from 1.33 to 1.34.');
      expect(email.message).toContain('What readiness found:\n  - Checked just now: 0 blocker(s), 0 warning(s).');
      expect(email.message).toContain('If nobody decides in time, the upgrade stops cleanly');
      expect(approve).not.toBe(reject);
      // The task token is in the history only; neither the email nor the links carry it in clear.
      const [token] = env.stepFunctions.pendingTasks().map((t) => t.token);
      expect(token).toBeDefined();
      expect(email.message).not.toContain(token);
      expect(Buffer.from(approve, 'base64url').toString('latin1')).not.toContain(token);
    });
  });

  it('decides nothing on GET: the page shows the request and a form, and the gate keeps waiting', async () => {
    await withGates(async (env) => {
      // Prepare
      const execution = startUpgrade(env, people);
      await untilGate(env, execution);
      const { approve, reject } = lastApprovalEmail(env);

      // Act: a link scanner or a preview opens both links.
      const approvePage = await openLink('GET', approve);
      const rejectPage = await openLink('GET', reject);

      // Assess
      expect(approvePage.statusCode).toBe(200);
      expect(approvePage.body).toContain('<form method="post"');
      expect(approvePage.body).toContain('payments');
      expect(approvePage.headers?.['referrer-policy']).toBe('no-referrer');
      expect(approvePage.headers?.['cache-control']).toBe('no-store');
      expect(rejectPage.body.indexOf('value="reject"')).toBeLessThan(rejectPage.body.indexOf('value="approve"'));
      expect(env.stepFunctions.pendingTasks()).toHaveLength(1);
      expect(execution.status).toBe('RUNNING');
      expect(execution.history.some((e) => e.type === 'TaskSucceeded' || e.type === 'TaskFailed')).toBe(false);
    });
  });

  it('approves on POST, returns the decision as the task output, and answers a replay with who decided', async () => {
    await withGates(async (env) => {
      // Prepare
      const execution = startUpgrade(env, people);
      await untilGate(env, execution);
      const { approve, reject } = lastApprovalEmail(env);

      // Act
      const approved = await openLink('POST', approve, { decision: 'approve', comment: 'change window agreed' });
      const replay = await openLink('POST', approve, { decision: 'approve' });
      const other = await openLink('POST', reject, { decision: 'reject' });
      // Opening the link again shows how the gate closed, not a form that says nothing was decided.
      const reopened = await openLink('GET', approve);
      await untilDone(env, execution);

      // Assess
      expect(approved.statusCode).toBe(200);
      expect(approved.body).toContain('continues');
      for (const again of [replay, other, reopened]) {
        expect(again.statusCode).toBe(410);
        expect(again.body).toContain('already approved by email link holder at 2026-11-23T09:00:00.000Z');
        expect(again.body).not.toContain('Nothing has been decided yet');
      }
      expect(execution.status).toBe('SUCCEEDED');
      const decision = execution.history.find((e) => e.type === 'TaskSucceeded')?.output;
      expect(decision).toEqual({
        approved: true,
        gate: 'before-hop',
        approver: 'email link holder',
        channel: 'email',
        decidedAt: '2026-11-23T09:00:00.000Z',
        comment: 'change window agreed',
      });
      expect(env.world.account.clusterVersion('payments')).toBe('1.34');
    });
  });

  it('rejects on POST: the execution stops cleanly before the hop, says who and why, and changed nothing', async () => {
    await withGates(async (env) => {
      // Prepare
      const execution = startUpgrade(env, people);
      await untilGate(env, execution);
      const { reject, approve } = lastApprovalEmail(env);

      // Act
      const rejected = await openLink('POST', reject, { decision: 'reject', comment: 'not during the sale' });
      await untilDone(env, execution);
      const afterEnd = await openLink('POST', approve, { decision: 'approve' });

      // Assess
      expect(rejected.statusCode).toBe(200);
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('ApprovalRejected');
      const cause = JSON.parse(execution.cause ?? '{}') as { errorMessage: string; decision: { comment: string } };
      expect(cause.errorMessage).toContain('Rejected by email link holder via email');
      expect(cause.decision.comment).toBe('not during the sale');
      expect(statesEntered(execution)).toContain('Notify upgrade stopped');
      expect(statesEntered(execution)).not.toContain('Notify failure');
      expect(statesEntered(execution)).not.toContain('Upgrade control plane');
      expect(env.world.account.calls.some((c) => c.command === 'UpdateClusterVersion')).toBe(false);
      expect(env.world.account.clusterVersion('payments')).toBe('1.33');
      const stopped = env.world.account.published.at(-1);
      expect(stopped?.subject).toBe('EKS upgrade stopped: payments (eu-west-1) (rejected at an approval gate)');
      expect(stopped?.message).toContain('not during the sale');
      // A link of a finished execution gets a page, not an error.
      expect(afterEnd.statusCode).toBe(410);
      expect(afterEnd.body).toContain('already rejected by email link holder at');
    });
  });

  it('refuses forged, altered and expired links with a page saying so, and the gate keeps waiting', async () => {
    await withGates(async (env) => {
      // Prepare
      const execution = startUpgrade(env, people);
      await untilGate(env, execution);
      const { approve } = lastApprovalEmail(env);
      const [pending] = env.stepFunctions.pendingTasks();
      const payload = {
        taskToken: pending?.token ?? '',
        executionArn: execution.executionArn,
        gate: 'before-hop' as const,
        cluster: 'payments',
        hop: '1.33 → 1.34',
      };
      const at = env.clock.now().getTime();
      const forged = sealApprovalLink({ ...payload, expiresAt: at + 3600_000 }, randomBytes(32).toString('base64'));
      const altered = `${approve.slice(0, 40)}${approve[40] === 'A' ? 'B' : 'A'}${approve.slice(41)}`;
      const expired = sealApprovalLink({ ...payload, expiresAt: at - 1 }, env.secrets.approvalLinkKey);

      // Act
      const pages = {
        forged: await openLink('POST', forged, { decision: 'approve' }),
        altered: await openLink('POST', altered, { decision: 'approve' }),
        truncated: await openLink('GET', approve.slice(0, 20)),
        expired: await openLink('POST', expired, { decision: 'approve' }),
      };

      // Assess
      expect(pages.forged.statusCode).toBe(403);
      expect(pages.altered.statusCode).toBe(403);
      expect(pages.altered.body).toContain('it was changed or was not issued by this orchestrator');
      expect(pages.truncated.statusCode).toBe(403);
      expect(pages.expired.statusCode).toBe(410);
      expect(pages.expired.body).toContain('expired');
      for (const page of Object.values(pages)) expect(page.body).not.toMatch(/at .*\.ts:\d+|Error:/);
      expect(env.stepFunctions.pendingTasks()).toHaveLength(1);
      expect(execution.status).toBe('RUNNING');
    });
  });

  it('expires its links with the gate: after the timeout a link shows "expired" and the upgrade has stopped', async () => {
    await withGates(async (env) => {
      // Prepare
      const execution = startUpgrade(env, { ...people, timeoutSeconds: { beforeHop: 7200 } });
      await untilGate(env, execution);
      const { approve } = lastApprovalEmail(env);

      // Act: nobody answers; simulated time reaches the gate's timeout.
      await untilDone(env, execution);
      const late = await openLink('POST', approve, { decision: 'approve' });

      // Assess
      expect(execution.error).toBe('ApprovalTimedOut');
      expect(late.statusCode).toBe(410);
      expect(late.body).toContain('this approval link expired at 2026-11-23T11:00:00.000Z');
    });
  });
});
