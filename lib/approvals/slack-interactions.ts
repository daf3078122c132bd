import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { decideGate } from './decide.js';
import type { ApprovalDeps } from './deps.js';
import type { ApprovalDecision } from './gate.js';
import { executionArnPrefix, latestGate } from './gates.js';
import { isSlackApprover, slackActionIds } from './slack.js';
import { verifySlackRequest } from './slack-signature.js';

export type SlackInteractionResult =
  | { status: 'unauthorized'; reason: string }
  | { status: 'ignored'; reason: string }
  | { status: 'not-allowed'; user: string }
  | { status: 'closed' }
  | { status: 'decided'; decision: ApprovalDecision };

// https://api.slack.com/reference/interaction-payloads/block-actions (only the fields we read)
const blockActions = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().min(1), username: z.string().optional(), name: z.string().optional() }),
  channel: z.object({ id: z.string() }).optional(),
  message: z.object({ ts: z.string() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});

const buttonValue = z.object({ executionArn: z.string(), gateId: z.string().min(1) });

function parsePayload(rawBody: Buffer): z.infer<typeof blockActions> | undefined {
  try {
    const payload = new URLSearchParams(rawBody.toString('utf8')).get('payload');
    const parsed = blockActions.safeParse(payload ? JSON.parse(payload) : undefined);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function tell(slack: WebClient | undefined, where: { channel?: string; user: string }, text: string) {
  if (!slack || !where.channel) return;
  await slack.chat.postEphemeral({ channel: where.channel, user: where.user, text }).catch(() => undefined);
}

/**
 * Handles a click on an Approve or Reject button. The request's signature is verified first, before anything
 * of it is read; then the gate is looked up in the execution's history (it must still be open and be the gate
 * the button was posted for), the clicking user is checked against the policy's approvers, and the decision is
 * recorded and shown in the message.
 */
export async function handleSlackInteraction(
  deps: ApprovalDeps,
  request: { headers: Record<string, string | undefined>; rawBody: Buffer },
): Promise<SlackInteractionResult> {
  const signingSecret = await deps.slackSigningSecret();
  const check = verifySlackRequest({
    signingSecret,
    headers: request.headers,
    rawBody: request.rawBody,
    now: deps.now(),
  });
  if (!check.valid) {
    deps.log.warn('refused a Slack request that failed verification', { reason: check.reason });
    return { status: 'unauthorized', reason: check.reason };
  }
  const payload = parsePayload(request.rawBody);
  const action = payload?.actions[0];
  if (!payload || !action) return { status: 'ignored', reason: 'not a block action' };
  if (action.action_id !== slackActionIds.approve && action.action_id !== slackActionIds.reject)
    return { status: 'ignored', reason: `unknown action ${action.action_id}` };
  let value: z.infer<typeof buttonValue>;
  try {
    value = buttonValue.parse(JSON.parse(action.value ?? ''));
  } catch {
    return { status: 'ignored', reason: 'the button carries no gate' };
  }
  if (!deps.stateMachineArn || !value.executionArn.startsWith(executionArnPrefix(deps.stateMachineArn)))
    return { status: 'ignored', reason: 'the button names an execution of another state machine' };
  const slack = await deps.slack();
  const where = { user: payload.user.id, ...(payload.channel ? { channel: payload.channel.id } : {}) };
  const gate = await latestGate(deps, value.executionArn);
  if (!gate || gate.gateId !== value.gateId || !gate.open) {
    await tell(slack, where, 'This approval is no longer waiting: it was decided, timed out, or its upgrade ended.');
    return { status: 'closed' };
  }
  const approvers = gate.request.policy.approvals.approvers;
  const restricted = Boolean(approvers.slackUserIds || approvers.slackUserGroupId);
  const allowed = slack ? await isSlackApprover(slack, approvers, payload.user.id) : !restricted;
  if (!allowed) {
    deps.log.warn('a Slack user not on the approver list tried to decide', { user: payload.user.id });
    await tell(slack, where, 'You are not on the approver list for this cluster; nothing was recorded.');
    return { status: 'not-allowed', user: payload.user.id };
  }
  const name = payload.user.username ?? payload.user.name;
  const message =
    gate.slackMessage ??
    (payload.channel && payload.message ? { channel: payload.channel.id, ts: payload.message.ts } : undefined);
  const result = await decideGate(
    deps,
    { ...gate, ...(message ? { slackMessage: message } : {}) },
    {
      approved: action.action_id === slackActionIds.approve,
      approver: `slack:${payload.user.id}${name ? ` (${name})` : ''}`,
      channel: 'slack',
      slackUserId: payload.user.id,
    },
  );
  if (result.outcome === 'already-closed') {
    await tell(slack, where, 'This approval was already decided or has timed out; nothing changed.');
    return { status: 'closed' };
  }
  return { status: 'decided', decision: result.decision };
}
