import { z } from 'zod';
import { checkNodegroupUpgrade, startNodegroupUpgrade } from '../lib/nodes/index.js';
import { defineHandler } from '../lib/runtime/index.js';
import { clusterRef, minor, secondsSince } from './schemas.js';

const groupRef = { ...clusterRef, nodegroup: z.string().min(1), toVersion: minor };
const event = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), ...groupRef, force: z.boolean().default(false) }),
  z.object({ action: z.literal('check'), ...groupRef, updateId: z.string().min(1), startedAt: z.string().optional() }),
]);

/** Starts a managed node group's rotation for a hop, or checks on it. */
export const handler = defineHandler('nodegroups', event, async (input, deps) => {
  const aws = deps.aws(input.region);
  const now = () => deps.clock.now();
  if (input.action === 'start') return startNodegroupUpgrade({ eks: aws.eks, log: deps.log, now }, input);
  const kube = () => deps.kube({ name: input.cluster, region: input.region });
  const progress = await checkNodegroupUpgrade({ eks: aws.eks, kube, now }, input);
  const seconds = progress.done ? secondsSince(input.startedAt, now()) : undefined;
  if (seconds !== undefined) deps.metrics.addMetric('NodegroupUpgradeSeconds', 'Seconds', seconds);
  return progress;
});
