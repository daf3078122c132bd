import { PublishCommand } from '@aws-sdk/client-sns';
import type { ApprovalDeps } from './deps.js';
import type { ApprovalDecision, GateRequest } from './gate.js';

const DAY = 86_400_000;

/** Warnings the hop itself resolves (add-ons behind the new default are updated right after the control plane). */
const resolvedByTheHop = new Set(['addon-behind-default']);

/** The approver an autoApprove decision is recorded under. */
export const autoApproveApprover = 'policy:autoApprove';

/**
 * Whether the policy's autoApprove rule answers this gate: readiness clean for the hop (no blockers, and no
 * warnings but those the hop itself resolves) when the rule asks, and the end of standard support of the version the cluster is on within the
 * rule's days. Says why either way. A readiness override is never answered by it.
 */
export function autoApproveVerdict(request: GateRequest, at: Date): { holds: boolean; reason: string } {
  const rule = request.policy.autoApprove;
  if (!rule) return { holds: false, reason: 'the policy has no autoApprove rule' };
  if (request.gate === 'override-readiness') {
    return { holds: false, reason: 'overriding readiness blockers always needs a person' };
  }
  const r = request.readiness;
  const warnings = (r?.findings ?? []).filter((f) => f.severity === 'warning' && !resolvedByTheHop.has(f.id ?? ''));
  const unexplained = r ? r.warnings - (r.findings ?? []).filter((f) => f.severity === 'warning').length : 0;
  if (rule.readinessClean && (!r || r.blockers > 0 || warnings.length > 0 || unexplained > 0)) {
    const found = r
      ? `${r.blockers} blocker(s), ${warnings.length + Math.max(0, unexplained)} warning(s)${warnings.length ? `: ${warnings.map((w) => w.id ?? 'warning').join(', ')}` : ''}`
      : 'no readiness report';
    return { holds: false, reason: `readiness is not clean for ${request.hop.from} → ${request.hop.to} (${found})` };
  }
  const version = request.hop.from;
  const end = request.policy.endOfStandardSupport?.[version];
  if (!end) return { holds: false, reason: `the end of standard support of ${version} is not known to the execution` };
  const days = (Date.parse(end) - at.getTime()) / DAY;
  const within = rule.endOfStandardSupportWithinDays;
  const when = `${version} leaves standard support on ${end.slice(0, 10)}, ${Math.max(0, Math.ceil(days))} day(s) away`;
  if (days > within) return { holds: false, reason: `${when}, more than the ${within} days of the autoApprove rule` };
  const clean = rule.readinessClean ? 'readiness is clean and ' : '';
  return { holds: true, reason: `${clean}${when} (autoApprove: within ${within} days)` };
}

/** The decision an autoApprove rule records, and the notification that tells people it answered for them. */
export async function approveByRule(
  deps: ApprovalDeps,
  request: GateRequest,
  reason: string,
): Promise<ApprovalDecision> {
  const decision: ApprovalDecision = {
    approved: true,
    gate: request.gate,
    approver: autoApproveApprover,
    channel: 'policy',
    decidedAt: deps.now().toISOString(),
    comment: `approved automatically: ${reason}`,
  };
  if (deps.topicArn) {
    const hop = `${request.hop.from} -> ${request.hop.to}`;
    await deps.sns.send(
      new PublishCommand({
        TopicArn: deps.topicArn,
        Subject: `EKS upgrade gate approved by policy: ${request.cluster} ${hop}`.slice(0, 100),
        Message: [
          `The ${request.gate} gate of ${request.cluster} (${request.region}), hop ${hop}, was approved by the policy's autoApprove rule, without waiting for a person:`,
          `  ${reason}.`,
          '',
          "To be asked instead, remove autoApprove from the cluster's policy group (docs/fleet.md).",
          `Execution: ${request.executionName ?? request.executionArn}`,
        ].join('\n'),
        MessageAttributes: {
          cluster: { DataType: 'String', StringValue: request.cluster },
          kind: { DataType: 'String', StringValue: 'approval-auto-approved' },
        },
      }),
    );
  }
  return decision;
}
