import {
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { Log } from '../runtime/log.js';
import { decisionLine } from './content.js';
import type { ApprovalDeps } from './deps.js';
import type { ApprovalDecision, GateName } from './gate.js';
import type { GateRecord } from './gates.js';
import { type SlackOutcome, slackOutcome, updateApprovalMessage } from './slack.js';

export type DecisionOutcome = { outcome: 'recorded'; decision: ApprovalDecision } | { outcome: 'already-closed' };

/**
 * Records a person's decision on a gate: approval as task success with the decision as the task's output,
 * rejection as the `ApprovalRejected` failure the state machine routes on, with the decision in the cause. A
 * token that Step Functions already closed (decided, timed out, execution over) is reported as such.
 */
export async function recordDecision(
  deps: { sfn: SFNClient; log: Log; now: () => Date },
  request: {
    taskToken: string;
    gate: GateName;
    approved: boolean;
    approver: string;
    channel: ApprovalDecision['channel'];
    comment?: string;
  },
): Promise<DecisionOutcome> {
  const comment = request.comment?.trim().slice(0, 1000);
  const decision: ApprovalDecision = {
    approved: request.approved,
    gate: request.gate,
    approver: request.approver.slice(0, 200),
    channel: request.channel,
    decidedAt: deps.now().toISOString(),
    ...(comment ? { comment } : {}),
  };
  try {
    if (request.approved) {
      await deps.sfn.send(
        new SendTaskSuccessCommand({ taskToken: request.taskToken, output: JSON.stringify(decision) }),
      );
    } else {
      // The cause keeps Lambda's error shape (errorMessage), so notifications read it like any failure.
      const cause = JSON.stringify({ errorType: 'ApprovalRejected', errorMessage: decisionLine(decision), decision });
      await deps.sfn.send(
        new SendTaskFailureCommand({ taskToken: request.taskToken, error: 'ApprovalRejected', cause }),
      );
    }
  } catch (e) {
    if (e instanceof TaskTimedOut || e instanceof InvalidToken || e instanceof TaskDoesNotExist)
      return { outcome: 'already-closed' };
    throw e;
  }
  deps.log.info('approval decision recorded', {
    gate: request.gate,
    approved: request.approved,
    channel: request.channel,
    approver: decision.approver,
  });
  return { outcome: 'recorded', decision };
}

/**
 * Decides a gate found in the execution history, then updates its Slack message (if it has one) to say who
 * decided and when. A Slack failure is logged, never undoes the decision.
 */
export async function decideGate(
  deps: ApprovalDeps,
  gate: GateRecord,
  who: {
    approved: boolean;
    approver: string;
    channel: ApprovalDecision['channel'];
    comment?: string;
    slackUserId?: string;
  },
): Promise<DecisionOutcome> {
  const result = await recordDecision(deps, {
    taskToken: gate.taskToken,
    gate: gate.request.gate,
    approved: who.approved,
    approver: who.approver,
    channel: who.channel,
    ...(who.comment ? { comment: who.comment } : {}),
  });
  if (result.outcome === 'recorded' && gate.slackMessage) {
    await announceInSlack(deps, gate, slackOutcome(result.decision, who.slackUserId));
  }
  return result;
}

/** Replaces a gate's Slack buttons with its outcome. */
export async function announceInSlack(deps: ApprovalDeps, gate: GateRecord, outcome: SlackOutcome): Promise<void> {
  if (!gate.slackMessage) return;
  try {
    const slack = await deps.slack();
    if (!slack) return;
    await updateApprovalMessage(slack, gate.slackMessage, gate.request, { expiresAt: gate.expiresAt, outcome });
  } catch (error) {
    deps.log.warn('could not update the Slack approval message', { error: (error as Error).message });
  }
}
