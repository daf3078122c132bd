import { z } from 'zod';
import { addonNeeds, checkAddonUpgrade, startAddonUpgrade } from '../lib/addons/index.js';
import { defineHandler } from '../lib/runtime/index.js';
import { clusterRef, minor, secondsSince } from './schemas.js';

const addonRef = { ...clusterRef, addon: z.string().min(1), toVersion: minor };
const event = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), ...addonRef }),
  z.object({
    action: z.literal('check'),
    ...addonRef,
    version: z.string().min(1),
    updateId: z.string().min(1),
    startedAt: z.string().optional(),
  }),
]);

/** Starts one EKS add-on's update for a hop, or checks on it. */
export const handler = defineHandler('addons', event, addonNeeds, async (input, deps) => {
  const aws = deps.aws(input.region, input.accountId);
  const now = () => deps.clock.now();
  if (input.action === 'start') return startAddonUpgrade({ eks: aws.eks, log: deps.log, now }, input);
  const progress = await checkAddonUpgrade({ eks: aws.eks, now }, input);
  const seconds = progress.done ? secondsSince(input.startedAt, now()) : undefined;
  if (seconds !== undefined) deps.metrics.addMetric('AddonUpgradeSeconds', 'Seconds', seconds);
  return progress;
});
