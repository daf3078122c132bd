import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Log } from '../runtime/log.js';

export type GateName = 'before-hop' | 'before-nodes';

/** What an approval gate returns to the execution: the audit record of the decision. */
export interface ApprovalDecision {
  approved: boolean;
  gate: GateName;
  approver: string;
  channel: 'policy' | 'email' | 'slack' | 'console' | 'cli';
  decidedAt: string;
  comment?: string;
}

/**
 * Opens an approval gate. With the `auto` policy the gate is answered at once, on record as decided by the
 * policy, through the same task-token call a human answer uses.
 */
export async function requestApproval(
  deps: { sfn: SFNClient; log: Log; now: () => Date },
  request: { gate: GateName; taskToken: string; cluster: string; hop: { from: string; to: string }; approvals: 'auto' },
): Promise<ApprovalDecision> {
  const decision: ApprovalDecision = {
    approved: true,
    gate: request.gate,
    approver: 'policy:auto',
    channel: 'policy',
    decidedAt: deps.now().toISOString(),
    comment: `approved automatically: the cluster's policy sets approvals to "${request.approvals}"`,
  };
  await deps.sfn.send(new SendTaskSuccessCommand({ taskToken: request.taskToken, output: JSON.stringify(decision) }));
  deps.log.info('approval gate answered by policy', { gate: request.gate, hop: request.hop.to });
  return decision;
}
