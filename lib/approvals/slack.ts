import type { WebClient } from '@slack/web-api';
import type { ApprovalPolicy } from '../planning/policy.js';
import { decisionLine, gateContent } from './content.js';
import type { ApprovalDecision, GateRequest } from './gate.js';

/** A Block Kit block; Slack's own types accept any `{ type }` object. */
type Block = { type: string; [field: string]: unknown };

/** Where an approval message was posted, so that it can be updated after the decision. */
export interface SlackMessageRef {
  channel: string;
  ts: string;
}

/** The value of the Approve/Reject buttons: which gate of which execution. Nothing secret. */
export interface SlackButtonValue {
  executionArn: string;
  gateId: string;
}

export const slackActionIds = { approve: 'eks-upgrade-approve', reject: 'eks-upgrade-reject' } as const;

// Slack mrkdwn treats &, < and > as control characters (https://api.slack.com/reference/surfaces/formatting).
export const mrkdwn = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const plain = (text: string, max = 150): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function detailBlocks(request: GateRequest, expiresAt: Date): Block[] {
  const content = gateContent(request);
  const seconds = Math.floor(expiresAt.getTime() / 1000);
  return [
    { type: 'header', text: { type: 'plain_text', text: plain(content.title) } },
    { type: 'section', text: { type: 'mrkdwn', text: mrkdwn(content.asks) } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*What will happen*\n${content.plan.map((l) => `• ${mrkdwn(l)}`).join('\n')}` },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*What readiness found*\n${content.readiness.map((l) => `• ${mrkdwn(l)}`).join('\n')}`.slice(0, 2900),
      },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Waits until <!date^${seconds}^{date_short_pretty} {time}|${expiresAt.toISOString()}>. ${mrkdwn(content.onTimeout)} Execution ${mrkdwn(request.executionName ?? request.executionArn)}.`,
        },
      ],
    },
  ];
}

/** The approval request as a Block Kit message with Approve and Reject buttons (each asks to confirm). */
export function approvalBlocks(request: GateRequest, options: { gateId: string; expiresAt: Date }): Block[] {
  const value = JSON.stringify({
    executionArn: request.executionArn,
    gateId: options.gateId,
  } satisfies SlackButtonValue);
  const confirm = (verb: string, text: string) => ({
    title: { type: 'plain_text', text: `${verb}?` },
    text: { type: 'plain_text', text },
    confirm: { type: 'plain_text', text: verb },
    deny: { type: 'plain_text', text: 'Cancel' },
  });
  return [
    ...detailBlocks(request, options.expiresAt),
    {
      type: 'actions',
      block_id: 'eks-upgrade-approval',
      elements: [
        {
          type: 'button',
          action_id: slackActionIds.approve,
          style: 'primary',
          text: { type: 'plain_text', text: 'Approve' },
          value,
          confirm: confirm('Approve', plain(gateContent(request).asks, 300)),
        },
        {
          type: 'button',
          action_id: slackActionIds.reject,
          style: 'danger',
          text: { type: 'plain_text', text: 'Reject' },
          value,
          confirm: confirm('Reject', 'The upgrade stops cleanly; it is tried again at the next scheduled run.'),
        },
      ],
    },
  ];
}

/** How a gate closed, as plain text (notifications) and as Slack mrkdwn (which may mention the Slack user). */
export interface SlackOutcome {
  text: string;
  mrkdwn: string;
}

/** An outcome without mentions. */
export function plainOutcome(text: string): SlackOutcome {
  return { text, mrkdwn: mrkdwn(text) };
}

/** The outcome of a recorded decision, mentioning the approver when they decided in Slack. */
export function slackOutcome(decision: ApprovalDecision, slackUserId?: string): SlackOutcome {
  const text = decisionLine(decision);
  const escaped = mrkdwn(text);
  return {
    text,
    mrkdwn: slackUserId ? escaped.replace(mrkdwn(decision.approver), `<@${slackUserId}>`) : escaped,
  };
}

/** The message after the gate closed: the same details, the buttons replaced by who decided, when and why. */
export function closedBlocks(request: GateRequest, expiresAt: Date, outcome: SlackOutcome): Block[] {
  return [
    ...detailBlocks(request, expiresAt),
    { type: 'section', text: { type: 'mrkdwn', text: `*${outcome.mrkdwn}*` } },
  ];
}

/** Posts the approval request to the policy's channel. */
export async function postApprovalMessage(
  slack: WebClient,
  request: GateRequest & { policy: { approvals: ApprovalPolicy & { slack: { channel: string } } } },
  options: { gateId: string; expiresAt: Date },
): Promise<SlackMessageRef> {
  const posted = await slack.chat.postMessage({
    channel: request.policy.approvals.slack.channel,
    text: `${gateContent(request).title} ${gateContent(request).asks}`,
    blocks: approvalBlocks(request, options),
    unfurl_links: false,
  });
  if (!posted.channel || !posted.ts) throw new Error('Slack accepted the message without a channel and ts');
  return { channel: posted.channel, ts: posted.ts };
}

/** Replaces the buttons with the outcome, so nobody clicks a closed gate. */
export async function updateApprovalMessage(
  slack: WebClient,
  message: SlackMessageRef,
  request: GateRequest,
  options: { expiresAt: Date; outcome: SlackOutcome },
): Promise<void> {
  await slack.chat.update({
    channel: message.channel,
    ts: message.ts,
    text: `${gateContent(request).title} ${options.outcome.text}`,
    blocks: closedBlocks(request, options.expiresAt, options.outcome),
  });
}

/**
 * Whether a Slack user may decide, by the policy's allow-list: listed user ids, or members of the listed user
 * group (usergroups.users.list). No list means anyone in the channel.
 */
export async function isSlackApprover(
  slack: WebClient,
  approvers: ApprovalPolicy['approvers'],
  userId: string,
): Promise<boolean> {
  const ids = approvers.slackUserIds;
  const group = approvers.slackUserGroupId;
  if (!ids && !group) return true;
  if (ids?.includes(userId)) return true;
  if (!group) return false;
  const members = await slack.usergroups.users.list({ usergroup: group });
  return (members.users ?? []).includes(userId);
}
