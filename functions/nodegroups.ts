import { z } from 'zod';
import { checkNodeGroupRotation, rotationNeeds, startNodeGroupRotation } from '../lib/nodes/index.js';
import { nodeRotationSchema } from '../lib/planning/index.js';
import { defineHandler } from '../lib/runtime/index.js';
import { clusterRef, minor, secondsSince } from './schemas.js';

const groupRef = {
  ...clusterRef,
  nodegroup: z.string().min(1),
  toVersion: minor,
  rotation: nodeRotationSchema.default({}),
};
const event = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), ...groupRef, force: z.boolean().default(false) }),
  z.object({
    action: z.literal('check'),
    ...groupRef,
    force: z.boolean().default(false),
    updateId: z.string().min(1),
    startedAt: z.string().optional(),
  }),
]);

/** Starts rotating a node group (managed or self-managed) for a hop, or checks on it. */
export const handler = defineHandler('nodegroups', event, rotationNeeds, async (input, deps) => {
  const aws = deps.aws(input.region, input.accountId);
  const rotation = {
    eks: aws.eks,
    autoscaling: aws.autoscaling,
    ec2: aws.ec2,
    ssm: aws.ssm,
    kube: () => deps.kube({ name: input.cluster, region: input.region, accountId: input.accountId }),
    log: deps.log,
    now: () => deps.clock.now(),
  };
  if (input.action === 'start') return startNodeGroupRotation(rotation, input);
  const progress = await checkNodeGroupRotation(rotation, input);
  const seconds = progress.done ? secondsSince(input.startedAt, deps.clock.now()) : undefined;
  if (seconds !== undefined) deps.metrics.addMetric('NodegroupUpgradeSeconds', 'Seconds', seconds);
  return progress;
});
