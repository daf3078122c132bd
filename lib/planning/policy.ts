import { z } from 'zod';

const gateTimeout = z
  .number()
  .int()
  .min(60, 'give people at least 60 seconds to decide')
  .max(31_536_000, 'a gate cannot wait longer than an execution may run (one year)');

const approvalSettings = z
  .object({
    /** `people`: the gate waits for a person; `auto`: it is approved at once and on record as the policy's decision. */
    mode: z.enum(['auto', 'people']).default('people'),
    /** Which gates ask. The readiness override is only ever offered when readiness found blockers. */
    gates: z
      .object({
        beforeHop: z.boolean().default(true),
        beforeNodes: z.boolean().default(true),
        /** Offer to override readiness blockers (never those marked hard). Off: blockers stop the upgrade. */
        overrideReadiness: z.boolean().default(false),
      })
      .strict()
      .default({}),
    /** How long each gate waits for a decision; the links expire at the same moment. */
    timeoutSeconds: z
      .object({
        beforeHop: gateTimeout.default(86_400),
        beforeNodes: gateTimeout.default(86_400),
        overrideReadiness: gateTimeout.default(14_400),
      })
      .strict()
      .default({}),
    /**
     * What a gate nobody decided in time does: `stop` (the default) ends the upgrade cleanly and notifies;
     * `approve` lets it continue, on record as the policy's decision. A readiness override always stops.
     */
    onTimeout: z.enum(['stop', 'approve']).default('stop'),
    /** Send the approval request by email (SNS) with signed links. */
    email: z.boolean().default(true),
    /** Post the approval request to this Slack channel (an id such as C0123ABCD, or #name). */
    slack: z
      .object({ channel: z.string().min(1).max(80) })
      .strict()
      .optional(),
    /** Who may decide, per channel. Unset means anyone who can reach that channel. */
    approvers: z
      .object({
        slackUserIds: z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack user id such as U024BE7LH')).optional(),
        slackUserGroupId: z
          .string()
          .regex(/^S[A-Z0-9]{2,}$/, 'a Slack user group id such as S0614TZR7')
          .optional(),
        /** Console users by the email or subject (`sub`) claim of their token. */
        console: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.mode === 'auto' && value.gates.overrideReadiness) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['gates', 'overrideReadiness'],
        message: 'overriding readiness blockers needs a person: set mode to "people" or overrideReadiness to false',
      });
    }
  });

/**
 * How approval gates are answered. `"auto"` is shorthand for `{ mode: auto }`: every gate is approved at once and
 * the record says the policy decided. The parsed value is always the full object, so the state machine can read
 * `approvals.gates.*` and `approvals.timeoutSeconds.*` from the execution input.
 */
export const approvalPolicySchema = z.union([
  z.literal('auto').transform(() => approvalSettings.parse({ mode: 'auto' })),
  approvalSettings,
]);

export type ApprovalPolicy = z.infer<typeof approvalSettings>;

/** How nodes are replaced. Defaults follow `kubectl drain` and EKS managed node groups: budgets are never broken. */
export const nodeRotationSchema = z
  .object({
    /** Managed node groups: nodes EKS replaces at once (set on the group with UpdateNodegroupConfig); unset keeps the group's own. */
    maxUnavailable: z.number().int().min(1).max(100).optional(),
    /** Managed node groups: the same as a percentage of the group's size. */
    maxUnavailablePercentage: z.number().int().min(1).max(100).optional(),
    /** When a PodDisruptionBudget keeps a drain from finishing: stop and notify, start again, or force past it. */
    onEvictionFailure: z.enum(['stop', 'retry', 'force']).default('stop'),
    /** How many times `retry` or `force` acts before the upgrade stops. */
    evictionRetries: z.number().int().min(0).max(10).default(2),
    /** Self-managed nodes: how long a node's pods may take to leave (EKS uses 15 minutes for managed groups). */
    drainTimeoutSeconds: z.number().int().min(60).max(86_400).default(900),
    /** Self-managed nodes: evict pods no controller recreates (kubectl drain --force). */
    evictBarePods: z.boolean().default(false),
    /** Self-managed nodes: evict pods whose emptyDir data is lost (kubectl drain --delete-emptydir-data). */
    evictEmptyDirPods: z.boolean().default(false),
    /**
     * Rotate self-managed nodes once, in the last hop, when the kubelet skew policy allows (kubelets from 1.25 may
     * be three minors behind the API server); off rotates them in every hop.
     */
    skewAware: z.boolean().default(true),
    /**
     * Karpenter NodePools and Fargate profiles: how long their nodes may take to reach the hop's version (by drift,
     * or by the restarted pods) before the upgrade stops with a report of what holds them.
     */
    replacementTimeoutSeconds: z.number().int().min(60).max(86_400).default(10_800),
  })
  .strict()
  .refine((r) => r.maxUnavailable === undefined || r.maxUnavailablePercentage === undefined, {
    message: 'set maxUnavailable or maxUnavailablePercentage, not both',
    path: ['maxUnavailablePercentage'],
  });

export type NodeRotationPolicy = z.infer<typeof nodeRotationSchema>;

/** A duration such as "4h", "90m", "1h30m" or "2d". */
export const durationSchema = z
  .string()
  .regex(/^(\d+d)?(\d+h)?(\d+m)?$/, 'must be a duration such as "4h", "90m", "1h30m" or "2d"')
  .refine((d) => d.length > 0, 'must be a duration such as "4h", "90m", "1h30m" or "2d"');

/** Milliseconds in a duration such as "4h", "90m", "1h30m" or "2d". */
export function durationMs(text: string): number {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/.exec(text);
  if (!m || text.length === 0) throw new RangeError(`"${text}" is not a duration such as "4h" or "2d"`);
  return ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60_000;
}

/** A recurring maintenance window: opens on a five-field cron, read in its time zone, and stays open `duration`. */
export const maintenanceWindowSchema = z
  .object({
    cron: z.string().min(1, 'a five-field cron such as "0 2 * * TUE-THU"'),
    duration: durationSchema,
    timezone: z.string().min(1, 'an IANA time zone such as "Europe/Berlin"'),
  })
  .strict();

/** A period no upgrade starts in (a freeze), from `start` to `end`, dates or date-times in `timezone` (UTC unset). */
export const exclusionSchema = z
  .object({
    name: z.string().min(1),
    start: z.string().min(1, 'a date such as "2026-12-18" or a date-time'),
    end: z.string().min(1, 'a date such as "2027-01-04" or a date-time'),
    timezone: z.string().min(1).optional(),
  })
  .strict();

/** When approval gates approve themselves, on record, instead of waiting for a person. All set conditions must hold. */
export const autoApproveSchema = z
  .object({
    /** The hop's readiness report has no blockers and no warnings. */
    readinessClean: z.boolean().default(true),
    /** The end of standard support of the version the cluster is on is at most this many days away. */
    endOfStandardSupportWithinDays: z.number().int().min(0).max(3650),
  })
  .strict();

/** The per-cluster upgrade policy carried in the execution input. */
export const upgradePolicySchema = z
  .object({
    /** `latest`, `latest-1`, or a pinned minor version such as "1.34". */
    target: z
      .union([z.enum(['latest', 'latest-1']), z.string().regex(/^1\.\d{1,2}$/, 'pin a minor version such as "1.34"')])
      .default('latest'),
    /** How approval gates are answered (see approvalPolicySchema). */
    approvals: approvalPolicySchema.default('auto'),
    /** Node groups rotated at the same time within a hop. */
    nodegroupConcurrency: z.number().int().min(1).max(10).default(1),
    /** Let managed node group updates delete pods that a PodDisruptionBudget protects. Off unless set. */
    force: z.boolean().default(false),
    /** How nodes are drained and replaced. */
    nodeRotation: nodeRotationSchema.default({}),
    /** Control plane updates start only inside one of these windows; none means any time. */
    maintenanceWindows: z.array(maintenanceWindowSchema).optional(),
    /** Freezes: no control plane update starts inside them, even in a window. */
    exclusions: z.array(exclusionSchema).optional(),
    /** A window must stay open at least this long for a control plane update to start in it. */
    minWindowRemaining: durationSchema.optional(),
    /** Gates approve themselves when these conditions hold (see autoApproveSchema); people decide otherwise. */
    autoApprove: autoApproveSchema.optional(),
    /** End of standard support per minor version (ISO date-times), as dispatch found them; read by autoApprove. */
    endOfStandardSupport: z
      .record(z.string().regex(/^1\.\d{1,2}$/, 'keys are minor versions such as "1.33"'), z.string().datetime())
      .optional(),
  })
  .strict();

export type UpgradePolicy = z.infer<typeof upgradePolicySchema>;
