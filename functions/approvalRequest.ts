import { z } from 'zod';
import { requestApproval } from '../lib/approvals/index.js';
import { defineHandler } from '../lib/runtime/index.js';
import { clusterRef, hopSchema, policy } from './schemas.js';

const event = z.object({
  ...clusterRef,
  taskToken: z.string().min(1, 'the task token is missing: the task must pass $$.Task.Token'),
  gate: z.enum(['before-hop', 'before-nodes']),
  hop: hopSchema,
  policy,
});

/** Opens an approval gate; the execution waits on the task token until someone (or the policy) decides. */
export const handler = defineHandler('approvalRequest', event, async (input, deps) => {
  const aws = deps.aws(deps.settings.region);
  return requestApproval(
    { sfn: aws.sfn, log: deps.log, now: () => deps.clock.now() },
    {
      gate: input.gate,
      taskToken: input.taskToken,
      cluster: input.cluster,
      hop: input.hop,
      approvals: input.policy.approvals,
    },
  );
});
