import { z } from 'zod';
import { defineHandler } from '../lib/runtime/index.js';
import { validateHop, validationNeeds } from '../lib/validation/index.js';
import { clusterRef, hopSchema } from './schemas.js';

const event = z.object({ ...clusterRef, hop: hopSchema });

/** Validates that a hop landed: versions, Ready nodes, ACTIVE add-ons, an API write. */
export const handler = defineHandler('validate', event, validationNeeds, async (input, deps) => {
  const aws = deps.aws(input.region, input.accountId);
  const kube = await deps.kube({ name: input.cluster, region: input.region, accountId: input.accountId });
  return validateHop(
    { eks: aws.eks, autoscaling: aws.autoscaling, kube, now: () => deps.clock.now() },
    {
      cluster: input.cluster,
      toVersion: input.hop.to,
      addons: input.hop.addons,
      rotatedGroups: input.hop.nodegroups,
    },
  );
});
