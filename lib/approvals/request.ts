import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { ApprovalTimedOut, InvalidInput } from '../errors.js';
import { approveByRule, autoApproveVerdict } from './auto-approve.js';
import { announceInSlack } from './decide.js';
import type { ApprovalDeps } from './deps.js';
import { approvalEmail, publishApprovalEmail } from './email.js';
import { type ApprovalDecision, type GateRequest, gateIdFor, gateTimeoutSeconds } from './gate.js';
import { latestGate } from './gates.js';
import { sealApprovalLink } from './links.js';
import { assertOverridable } from './readiness.js';
import { plainOutcome, postApprovalMessage, type SlackMessageRef } from './slack.js';

/** What opening a gate for people returns; Step Functions keeps it in the history (TaskSubmitted). */
export interface GateOpened {
  gate: GateRequest['gate'];
  gateId: string;
  expiresAt: string;
  channels: {
    email?: { messageId?: string };
    slack?: SlackMessageRef | { error: string };
    console: true;
  };
}

const hopLabel = (r: GateRequest) => `${r.hop.from} → ${r.hop.to}`;

async function sendEmail(deps: ApprovalDeps, request: GateRequest & { taskToken: string }, expiresAt: Date) {
  if (!deps.topicArn || !deps.baseUrl)
    throw new InvalidInput(
      'approval emails need NOTIFY_TOPIC_ARN and APPROVAL_BASE_URL on the approvalRequest function',
    );
  const key = await deps.linkKey();
  const link = (intent: 'approve' | 'reject') =>
    `${deps.baseUrl}/approvals/${sealApprovalLink(
      {
        taskToken: request.taskToken,
        executionArn: request.executionArn,
        gate: request.gate,
        cluster: request.cluster,
        hop: hopLabel(request),
        expiresAt: expiresAt.getTime(),
        intent,
      },
      key,
    )}`;
  const slackChannel = request.policy.approvals.slack?.channel;
  const email = approvalEmail(request, {
    approveUrl: link('approve'),
    rejectUrl: link('reject'),
    consoleUrl: `${deps.baseUrl}/`,
    expiresAt,
    ...(slackChannel ? { slackChannel } : {}),
  });
  return publishApprovalEmail(deps, deps.topicArn, request, email);
}

async function postToSlack(
  deps: ApprovalDeps,
  request: GateRequest,
  options: { gateId: string; expiresAt: Date },
): Promise<SlackMessageRef | { error: string }> {
  const channel = request.policy.approvals.slack?.channel;
  if (!channel) return { error: 'no Slack channel in the policy' };
  try {
    const slack = await deps.slack();
    if (!slack) return { error: 'no Slack bot token is configured (SLACK_BOT_TOKEN_PARAMETER)' };
    const approvals = { ...request.policy.approvals, slack: { channel } };
    return await postApprovalMessage(slack, { ...request, policy: { ...request.policy, approvals } }, options);
  } catch (error) {
    // Email and the console still offer the gate; the history records why Slack did not.
    deps.log.error('could not post the approval request to Slack', { error: (error as Error).message });
    return { error: (error as Error).message };
  }
}

/**
 * Opens an approval gate. With `mode: auto` it is answered at once, on record as the policy's decision, through
 * the same task-token call a person's answer uses; so is a gate the policy's autoApprove rule answers (readiness
 * clean and end of standard support near), with a notification saying so. Otherwise the request goes out by
 * email (signed, expiring links) and Slack (buttons), and the console lists it; the execution waits on the token.
 * A readiness override is refused outright (ReadinessBlocked) when the policy offers none or a blocker is marked
 * hard.
 */
export async function openGate(
  deps: ApprovalDeps,
  request: GateRequest & { taskToken: string },
): Promise<ApprovalDecision | GateOpened> {
  if (request.gate === 'override-readiness') assertOverridable(request);
  if (request.policy.approvals.mode === 'people' && request.policy.autoApprove) {
    const verdict = autoApproveVerdict(request, deps.now());
    if (verdict.holds) {
      const decision = await approveByRule(deps, request, verdict.reason);
      await deps.sfn.send(
        new SendTaskSuccessCommand({ taskToken: request.taskToken, output: JSON.stringify(decision) }),
      );
      deps.log.info('approval gate answered by the autoApprove rule', { gate: request.gate, hop: request.hop.to });
      return decision;
    }
    deps.log.info('autoApprove does not hold; asking people', { gate: request.gate, reason: verdict.reason });
  }
  if (request.policy.approvals.mode === 'auto') {
    const decision: ApprovalDecision = {
      approved: true,
      gate: request.gate,
      approver: 'policy:auto',
      channel: 'policy',
      decidedAt: deps.now().toISOString(),
      comment: 'approved automatically: the cluster\'s policy sets approvals to "auto"',
    };
    await deps.sfn.send(new SendTaskSuccessCommand({ taskToken: request.taskToken, output: JSON.stringify(decision) }));
    deps.log.info('approval gate answered by policy', { gate: request.gate, hop: request.hop.to });
    return decision;
  }
  const expiresAt = new Date(deps.now().getTime() + gateTimeoutSeconds(request) * 1000);
  const gateId = gateIdFor(request.taskToken);
  const channels: GateOpened['channels'] = { console: true };
  if (request.policy.approvals.email) channels.email = await sendEmail(deps, request, expiresAt);
  if (request.policy.approvals.slack) channels.slack = await postToSlack(deps, request, { gateId, expiresAt });
  deps.log.info('approval gate opened', { gate: request.gate, hop: request.hop.to, gateId });
  return { gate: request.gate, gateId, expiresAt: expiresAt.toISOString(), channels };
}

/**
 * Closes a gate nobody decided before its timeout, as the policy says: `onTimeout: approve` returns the policy's
 * decision; otherwise (and always for a readiness override) it throws ApprovalTimedOut, which stops the upgrade
 * cleanly. Either way the Slack message, if any, says so.
 */
export async function closeTimedOutGate(deps: ApprovalDeps, request: GateRequest): Promise<ApprovalDecision> {
  const seconds = gateTimeoutSeconds(request);
  const stops = request.gate === 'override-readiness' || request.policy.approvals.onTimeout === 'stop';
  const gate = await latestGate(deps, request.executionArn);
  const outcome = stops
    ? `Nobody decided within ${seconds} s: the upgrade stopped.`
    : `Nobody decided within ${seconds} s: approved by the policy (onTimeout: approve).`;
  if (gate && gate.request.gate === request.gate) await announceInSlack(deps, gate, plainOutcome(outcome));
  if (stops) {
    throw new ApprovalTimedOut(
      `nobody decided the ${request.gate} gate of ${request.cluster} (hop ${hopLabel(request)}) within ${seconds} seconds, and the policy stops on timeout. Nothing else was changed; decide sooner at the next run, or raise approvals.timeoutSeconds.`,
    );
  }
  deps.log.info('approval gate approved on timeout by policy', { gate: request.gate, hop: request.hop.to });
  return {
    approved: true,
    gate: request.gate,
    approver: 'policy:on-timeout',
    channel: 'policy',
    decidedAt: deps.now().toISOString(),
    comment: `nobody decided within ${seconds} seconds; the policy approves on timeout`,
  };
}
