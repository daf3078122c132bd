import { z } from 'zod';
import { upgradePolicySchema } from '../lib/planning/index.js';

/** Event fragments shared by several handlers. */
export const clusterRef = {
  cluster: z.string().min(1, 'name the cluster'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as "eu-west-1"'),
  /** The cluster's account; absent means the orchestrator's own. */
  accountId: z
    .string()
    .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
    .optional(),
  executionName: z.string().optional(),
};

export const minor = z.string().regex(/^1\.\d{1,2}$/, 'must be a minor version such as "1.33"');

export const hopSchema = z.object({
  index: z.number().int().min(1),
  from: minor,
  to: minor,
  controlPlane: z.boolean(),
  addons: z.array(z.string()),
  nodegroups: z.array(z.string()),
});

export const policy = upgradePolicySchema;

/** Seconds elapsed since an ISO timestamp, for stage duration metrics. */
export function secondsSince(startedAt: string | undefined, now: Date): number | undefined {
  if (!startedAt) return undefined;
  return Math.max(0, (now.getTime() - Date.parse(startedAt)) / 1000);
}
