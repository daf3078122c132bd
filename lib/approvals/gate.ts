import { createHash } from 'node:crypto';
import { z } from 'zod';
import { upgradePolicySchema } from '../planning/policy.js';

export const gateNames = ['before-hop', 'before-nodes', 'override-readiness'] as const;
export type GateName = (typeof gateNames)[number];

/** What the readiness check returned for the hop, as far as gates read it. Other fields pass through untouched. */
export const readinessSummarySchema = z
  .object({
    blockers: z.number().int().min(0),
    warnings: z.number().int().min(0),
    findings: z
      .array(
        z
          .object({
            id: z.string().optional(),
            severity: z.string(),
            message: z.string().optional(),
            fix: z.string().optional(),
            objects: z.array(z.string()).optional(),
            /** A blocker the readiness check marks as never overridable. */
            hard: z.boolean().optional(),
          })
          .passthrough(),
      )
      .default([]),
  })
  .passthrough();

export type ReadinessSummary = z.infer<typeof readinessSummarySchema>;

const minor = z.string().regex(/^1\.\d{1,2}$/, 'must be a minor version such as "1.33"');

/** What the state machine passes to a gate: the cluster, the hop and its plan, the policy, what readiness found. */
export const gateRequestSchema = z.object({
  gate: z.enum(gateNames),
  cluster: z.string().min(1),
  region: z.string().min(1),
  executionName: z.string().optional(),
  executionArn: z.string().startsWith('arn:', 'pass $$.Execution.Id as executionArn'),
  hop: z
    .object({
      index: z.number().int().min(1),
      from: minor,
      to: minor,
      controlPlane: z.boolean(),
      addons: z.array(z.string()),
      nodegroups: z.array(z.string()),
    })
    .passthrough(),
  hopsTotal: z.number().int().min(1).optional(),
  policy: upgradePolicySchema,
  readiness: readinessSummarySchema.optional(),
});

export type GateRequest = z.infer<typeof gateRequestSchema>;

/** What a gate returns to the execution: the audit record of the decision. */
export interface ApprovalDecision {
  approved: boolean;
  gate: GateName;
  approver: string;
  channel: 'policy' | 'email' | 'slack' | 'console' | 'cli';
  decidedAt: string;
  comment?: string;
}

/**
 * A gate's public id: a digest of its task token. It names the gate in Slack buttons and console URLs without
 * revealing the token, which only Step Functions' history (and the sealed email links) hold.
 */
export function gateIdFor(taskToken: string): string {
  return createHash('sha256').update(taskToken).digest('base64url').slice(0, 22);
}

/** The policy's timeout for a gate, in seconds. */
export function gateTimeoutSeconds(request: Pick<GateRequest, 'gate' | 'policy'>): number {
  const t = request.policy.approvals.timeoutSeconds;
  return request.gate === 'before-hop'
    ? t.beforeHop
    : request.gate === 'before-nodes'
      ? t.beforeNodes
      : t.overrideReadiness;
}
