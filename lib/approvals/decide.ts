import {
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { Log } from '../runtime/log.js';
import type { ApprovalDecision, GateName } from './request.js';

export type DecisionOutcome = { outcome: 'recorded'; decision: ApprovalDecision } | { outcome: 'already-closed' };

/**
 * Records a person's decision on a gate: approval as task success, rejection as the `ApprovalRejected` failure
 * the state machine routes on. A token that Step Functions already closed (decided, timed out, execution
 * over) is reported as such, never as an error page.
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
  const decision: ApprovalDecision = {
    approved: request.approved,
    gate: request.gate,
    approver: request.approver,
    channel: request.channel,
    decidedAt: deps.now().toISOString(),
    ...(request.comment ? { comment: request.comment.slice(0, 1000) } : {}),
  };
  try {
    if (request.approved) {
      await deps.sfn.send(
        new SendTaskSuccessCommand({ taskToken: request.taskToken, output: JSON.stringify(decision) }),
      );
    } else {
      await deps.sfn.send(
        new SendTaskFailureCommand({
          taskToken: request.taskToken,
          error: 'ApprovalRejected',
          cause: `rejected by ${request.approver} via ${request.channel}${request.comment ? `: ${request.comment.slice(0, 500)}` : ''}`,
        }),
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
  });
  return { outcome: 'recorded', decision };
}
