import { z } from 'zod';
import { checkControlPlaneUpgrade, controlPlaneNeeds, startControlPlaneUpgrade } from '../lib/controlplane/index.js';
import { defineHandler } from '../lib/runtime/index.js';
import { clusterRef, minor, secondsSince } from './schemas.js';

const event = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), ...clusterRef, toVersion: minor }),
  z.object({
    action: z.literal('check'),
    ...clusterRef,
    toVersion: minor,
    updateId: z.string().min(1),
    startedAt: z.string().optional(),
  }),
]);

/** Starts the control plane update for a hop, or checks on it. */
export const handler = defineHandler('controlPlane', event, controlPlaneNeeds, async (input, deps) => {
  const aws = deps.aws(input.region, input.accountId);
  const now = () => deps.clock.now();
  if (input.action === 'start') {
    return startControlPlaneUpgrade({ eks: aws.eks, log: deps.log, now }, input);
  }
  const progress = await checkControlPlaneUpgrade({ eks: aws.eks, now }, input);
  const seconds = progress.done ? secondsSince(input.startedAt, now()) : undefined;
  if (seconds !== undefined) deps.metrics.addMetric('ControlPlaneUpgradeSeconds', 'Seconds', seconds);
  return progress;
});
