import { z } from 'zod';
import { approvalDeps, approvalNeeds, closeTimedOutGate, gateRequestSchema, openGate } from '../lib/approvals/index.js';
import { defineHandler } from '../lib/runtime/index.js';

// `open` comes from a lambda:invoke.waitForTaskToken gate; `timed-out` from the state after its States.Timeout.
const event = z.discriminatedUnion('action', [
  gateRequestSchema.extend({
    action: z.literal('open'),
    taskToken: z.string().min(1, 'the task token is missing: the task must pass $$.Task.Token'),
  }),
  gateRequestSchema.extend({ action: z.literal('timed-out') }),
]);

/** Opens an approval gate (the execution waits on its token), or closes one nobody decided in time. */
export const handler = defineHandler('approvalRequest', event, approvalNeeds, async (input, deps) => {
  const approvals = approvalDeps(deps);
  if (input.action === 'timed-out') return closeTimedOutGate(approvals, input);
  return openGate(approvals, input);
});
