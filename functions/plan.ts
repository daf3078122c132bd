import { z } from 'zod';
import { planningNeeds, planUpgrade } from '../lib/planning/index.js';
import { defineHandler, ownAccountId } from '../lib/runtime/index.js';
import { clusterRef, policy } from './schemas.js';

// The execution's input: its accountId is optional, so the state machine hands the whole input over and the plan
// resolves the account once for every later task.
const event = z.object({
  ...clusterRef,
  policy: policy.default({}),
  executionInput: z.object({ accountId: clusterRef.accountId }).passthrough().optional(),
});

/** Plans the hops from the cluster's current state to the policy's target, in the cluster's account. */
export const handler = defineHandler('plan', event, planningNeeds, async (input, deps) => {
  const accountId = input.accountId ?? input.executionInput?.accountId ?? (await ownAccountId(deps));
  const aws = deps.aws(input.region, accountId);
  const plan = await planUpgrade(
    {
      eks: aws.eks,
      autoscaling: aws.autoscaling,
      kube: () => deps.kube({ name: input.cluster, region: input.region, accountId }),
      log: deps.log,
    },
    { cluster: input.cluster, region: input.region, policy: input.policy },
  );
  return { ...plan, accountId };
});
