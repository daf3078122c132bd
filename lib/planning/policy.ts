import { z } from 'zod';

/** The per-cluster upgrade policy carried in the execution input. */
export const upgradePolicySchema = z
  .object({
    /** `latest`, `latest-1`, or a pinned minor version such as "1.34". */
    target: z
      .union([z.enum(['latest', 'latest-1']), z.string().regex(/^1\.\d{1,2}$/, 'pin a minor version such as "1.34"')])
      .default('latest'),
    /** How approval gates are answered: `auto` approves at once and records that the policy decided. */
    approvals: z.enum(['auto']).default('auto'),
    /** Node groups rotated at the same time within a hop. */
    nodegroupConcurrency: z.number().int().min(1).max(10).default(1),
    /** Let managed node group updates delete pods that a PodDisruptionBudget protects. Off unless set. */
    force: z.boolean().default(false),
  })
  .strict();

export type UpgradePolicy = z.infer<typeof upgradePolicySchema>;
