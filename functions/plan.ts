import { z } from 'zod';
import { planUpgrade } from '../lib/planning/index.js';
import { defineHandler } from '../lib/runtime/index.js';
import { clusterRef, policy } from './schemas.js';

const event = z.object({ ...clusterRef, policy: policy.default({}) });

/** Plans the hops from the cluster's current state to the policy's target. */
export const handler = defineHandler('plan', event, async (input, deps) => {
  const aws = deps.aws(input.region);
  return planUpgrade(
    {
      eks: aws.eks,
      autoscaling: aws.autoscaling,
      kube: () => deps.kube({ name: input.cluster, region: input.region }),
      log: deps.log,
    },
    { cluster: input.cluster, region: input.region, policy: input.policy },
  );
});
