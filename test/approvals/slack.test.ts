import { describe, expect, it } from 'vitest';
import type { LocalEnvironment } from '../../local/environment.js';
import type { SimSlackMessage } from '../../sim/slack.js';
import { consoleRequest, jsonHeaders, slackRequest, startUpgrade, untilDone, untilGate, withGates } from './helpers.js';

const channel = 'C0APPROVALS';
const slackPolicy = (approvers: Record<string, unknown> = {}) => ({
  mode: 'people',
  email: false,
  gates: { beforeNodes: false },
  slack: { channel },
  approvers,
});

/** The latest approval request (the channel also gets the upgrade's lifecycle notifications). */
function message(env: LocalEnvironment): SimSlackMessage {
  const posted = env.slack?.messages.findLast((m) => JSON.stringify(m.blocks).includes('eks-upgrade-approve'));
  if (!posted) throw new Error('no approval request was posted to Slack');
  return posted;
}

const click = (env: LocalEnvironment, actionId: 'eks-upgrade-approve' | 'eks-upgrade-reject', user = 'U0ALICE') =>
  (env.slack as NonNullable<LocalEnvironment['slack']>).buttonClick({
    message: message(env),
    actionId,
    user: { id: user, username: user.slice(2).toLowerCase() },
    now: env.clock.now(),
  });

const withSlack = <T>(work: (env: LocalEnvironment) => Promise<T>) =>
  withGates(work, { slack: { userGroups: { S0SRE: ['U0BOB'] } } });

describe('Slack approvals: Block Kit message, signed interactivity, update after the decision', () => {
  it('posts the request with Approve and Reject buttons that name the gate, not its token', async () => {
    await withSlack(async (env) => {
      // Act
      const execution = startUpgrade(env, slackPolicy());
      await untilGate(env, execution);

      // Assess
      const posted = message(env);
      expect(posted.channel).toBe(channel);
      expect(posted.text).toContain('Approve hop 1 of 1 (1.33 → 1.34) on payments?');
      expect(posted.blocks.map((b) => b.type)).toEqual([
        'header',
        'section',
        'section',
        'section',
        'context',
        'actions',
      ]);
      const buttons = posted.blocks.at(-1)?.elements as Array<{ action_id: string; style: string; value: string }>;
      expect(buttons.map((b) => [b.action_id, b.style])).toEqual([
        ['eks-upgrade-approve', 'primary'],
        ['eks-upgrade-reject', 'danger'],
      ]);
      expect(JSON.parse(buttons[0]?.value ?? '{}')).toMatchObject({ executionArn: execution.executionArn });
      const [token] = env.stepFunctions.pendingTasks().map((t) => t.token);
      expect(JSON.stringify(posted)).not.toContain(token);
      // The request's record in the history says where the message went, for the update after the decision.
      const submitted = execution.history.find((e) => e.type === 'TaskSubmitted');
      expect(submitted?.output).toMatchObject({ Payload: { channels: { slack: { channel, ts: posted.ts } } } });
    });
  });

  it('records a click on Approve as the Slack user, continues the upgrade, and replaces the buttons', async () => {
    await withSlack(async (env) => {
      // Prepare
      const execution = startUpgrade(env, slackPolicy());
      await untilGate(env, execution);

      // Act
      const answer = await slackRequest(click(env, 'eks-upgrade-approve'));
      await untilDone(env, execution);

      // Assess
      expect(answer.statusCode).toBe(200);
      expect(execution.status).toBe('SUCCEEDED');
      expect(execution.history.find((e) => e.type === 'TaskSucceeded')?.output).toMatchObject({
        approved: true,
        approver: 'slack:U0ALICE (alice)',
        channel: 'slack',
      });
      const update = message(env).updates.at(-1);
      expect(update?.blocks.some((b) => b.type === 'actions')).toBe(false);
      expect(JSON.stringify(update?.blocks)).toContain('Approved by <@U0ALICE> via slack at 2026-11-23T09:00:00.000Z');
    });
  });

  it('stops the upgrade on Reject, and a replayed click changes nothing', async () => {
    await withSlack(async (env) => {
      // Prepare
      const execution = startUpgrade(env, slackPolicy());
      await untilGate(env, execution);
      const rejectClick = click(env, 'eks-upgrade-reject');

      // Act
      await slackRequest(rejectClick);
      await untilDone(env, execution);
      const replay = await slackRequest(rejectClick);

      // Assess
      expect(execution.error).toBe('ApprovalRejected');
      expect(replay.statusCode).toBe(200);
      expect(env.slack?.ephemerals.at(-1)?.text).toContain('no longer waiting');
      expect(message(env).updates).toHaveLength(1);
    });
  });

  it('refuses requests that fail verification before reading them, and the gate keeps waiting', async () => {
    await withSlack(async (env) => {
      // Prepare
      const execution = startUpgrade(env, slackPolicy());
      await untilGate(env, execution);
      const genuine = click(env, 'eks-upgrade-approve');
      const slack = env.slack as NonNullable<LocalEnvironment['slack']>;
      const historyReads = () => env.log.records.length;
      const before = historyReads();

      // Act
      const answers = [
        // tampered body: another user's click under the genuine signature
        await slackRequest({ ...genuine, body: genuine.body.replace('U0ALICE', 'U0MALLORY') }),
        // signed with another secret
        await slackRequest({
          ...genuine,
          headers: slack.sign(genuine.body, env.clock.now(), 'not-the-signing-secret'),
        }),
        // signed six minutes ago (a replay)
        await slackRequest({
          ...genuine,
          headers: slack.sign(genuine.body, new Date(env.clock.now().getTime() - 360_000)),
        }),
        // no signature headers
        await slackRequest({ body: genuine.body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      ];

      // Assess
      expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 401]);
      const refusals = env.log.records.slice(before).filter((r) => r.message.startsWith('refused a Slack request'));
      expect(refusals.map((r) => r.reason)).toEqual([
        'bad-signature',
        'bad-signature',
        'stale-timestamp',
        'missing-headers',
      ]);
      expect(env.stepFunctions.pendingTasks()).toHaveLength(1);
      expect(message(env).updates).toHaveLength(0);
      expect(execution.status).toBe('RUNNING');
    });
  });

  it('lets only listed approvers decide: a user id, or a member of the listed user group', async () => {
    await withSlack(async (env) => {
      // Prepare
      const execution = startUpgrade(env, slackPolicy({ slackUserIds: ['U0CAROL'], slackUserGroupId: 'S0SRE' }));
      await untilGate(env, execution);

      // Act
      await slackRequest(click(env, 'eks-upgrade-approve', 'U0ALICE'));
      const pendingAfterOutsider = env.stepFunctions.pendingTasks().length;
      await slackRequest(click(env, 'eks-upgrade-approve', 'U0BOB'));
      await untilDone(env, execution);

      // Assess
      expect(pendingAfterOutsider).toBe(1);
      expect(env.slack?.ephemerals[0]).toMatchObject({
        user: 'U0ALICE',
        text: expect.stringContaining('not on the approver list'),
      });
      expect(execution.status).toBe('SUCCEEDED');
      expect(execution.history.find((e) => e.type === 'TaskSucceeded')?.output).toMatchObject({
        approver: 'slack:U0BOB (bob)',
      });
    });
  });

  it('updates the Slack message when the gate is decided elsewhere (console) or times out', async () => {
    await withSlack(async (env) => {
      // Prepare: two executions, one decided in the console, one left to time out.
      const decided = startUpgrade(env, slackPolicy(), 'payments-decided');
      await untilGate(env, decided);
      const first = message(env);

      // Act
      const listed = JSON.parse((await consoleRequest('GET', '/api/approvals')).body) as {
        approvals: Array<{ decide: string }>;
      };
      await consoleRequest('POST', listed.approvals[0]?.decide ?? '', {
        headers: jsonHeaders,
        body: { decision: 'reject', comment: 'freeze' },
      });
      await untilDone(env, decided);
      const timesOut = startUpgrade(env, { ...slackPolicy(), timeoutSeconds: { beforeHop: 600 } }, 'payments-timeout');
      await untilDone(env, timesOut);

      // Assess
      expect(JSON.stringify(first.updates.at(-1)?.blocks)).toContain('Rejected by alice@example.com via console');
      expect(JSON.stringify(first.updates.at(-1)?.blocks)).toContain('freeze');
      expect(timesOut.error).toBe('ApprovalTimedOut');
      expect(JSON.stringify(message(env).updates.at(-1)?.blocks)).toContain(
        'Nobody decided within 600 s: the upgrade stopped.',
      );
    });
  });
});
