import type { ApprovalDecision, GateRequest } from './gate.js';

/** The same words in every channel (email, Slack, the link's page, the console): what is asked, and why. */
export interface GateContent {
  title: string;
  /** One sentence: what approving lets the orchestrator do. */
  asks: string;
  /** What will happen, step by step. */
  plan: string[];
  /** What readiness found, worst first. */
  readiness: string[];
  /** What happens if nobody decides in time. */
  onTimeout: string;
}

function hopName(r: GateRequest): string {
  const total = r.hopsTotal ? ` of ${r.hopsTotal}` : '';
  return `hop ${r.hop.index}${total} (${r.hop.from} → ${r.hop.to})`;
}

function planOf(r: GateRequest): string[] {
  const steps: string[] = [];
  const nodes = r.hop.nodegroups.length ? r.hop.nodegroups.join(', ') : 'none';
  if (r.gate !== 'before-nodes') {
    if (r.hop.controlPlane) steps.push(`Upgrade the control plane from ${r.hop.from} to ${r.hop.to}.`);
    if (r.hop.addons.length)
      steps.push(`Upgrade the add-ons ${r.hop.addons.join(', ')} to their ${r.hop.to} versions.`);
    const second = r.policy.approvals.gates.beforeNodes ? ' after a second approval' : '';
    steps.push(`Rotate the nodes of these node groups to ${r.hop.to}${second}: ${nodes}.`);
  } else {
    steps.push(`Rotate the nodes of these node groups to ${r.hop.to}: ${nodes}.`);
    steps.push('Nodes are replaced one batch at a time and drained through the Eviction API, which honours budgets.');
  }
  steps.push('Validate the cluster (versions, nodes Ready, add-ons, an API write) before the next hop.');
  return steps;
}

function readinessOf(r: GateRequest): string[] {
  const report = r.readiness;
  if (!report) return ['Readiness was not checked for this step.'];
  // The node rotation gate is asked after the control plane and add-ons moved, and readiness is checked again then.
  const asOf =
    r.gate === 'before-nodes'
      ? `Checked again just now, with the control plane and add-ons on ${r.hop.to}: `
      : 'Checked just now: ';
  const lines = [`${asOf}${report.blockers} blocker(s), ${report.warnings} warning(s).`];
  for (const f of report.findings.filter((x) => x.severity !== 'info').slice(0, 12)) {
    const objects = f.objects?.length ? ` (${f.objects.slice(0, 5).join(', ')})` : '';
    const hard = f.hard ? ', cannot be overridden' : '';
    lines.push(`[${f.severity}${hard}] ${f.id ? `${f.id}: ` : ''}${f.message ?? ''}${objects}`.trim());
  }
  return lines;
}

/** Describes a gate for people. */
export function gateContent(r: GateRequest): GateContent {
  const where = `${r.cluster} (${r.region})`;
  const timeoutStops = r.gate === 'override-readiness' || r.policy.approvals.onTimeout === 'stop';
  const onTimeout = timeoutStops
    ? 'If nobody decides in time, the upgrade stops cleanly and you are notified.'
    : 'If nobody decides in time, the policy approves and the upgrade continues.';
  switch (r.gate) {
    case 'before-hop':
      return {
        title: `Approve ${hopName(r)} on ${r.cluster}?`,
        asks: `The orchestrator asks to start ${hopName(r)} on ${where}.`,
        plan: planOf(r),
        readiness: readinessOf(r),
        onTimeout,
      };
    case 'before-nodes':
      return {
        title: `Approve node rotation on ${r.cluster} (${r.hop.to})?`,
        asks: `The control plane and add-ons of ${where} are on ${r.hop.to}; the orchestrator asks to rotate the nodes.`,
        plan: planOf(r),
        readiness: readinessOf(r),
        onTimeout,
      };
    case 'override-readiness':
      return {
        title: `Override readiness blockers on ${r.cluster}?`,
        asks: `Readiness found blockers for ${hopName(r)} on ${where}. Approving overrides them and starts the hop.`,
        plan: planOf(r),
        readiness: readinessOf(r),
        onTimeout,
      };
  }
}

/** One line saying what was decided, by whom, when and why. */
export function decisionLine(decision: ApprovalDecision): string {
  const verb = decision.approved ? 'Approved' : 'Rejected';
  const comment = decision.comment ? `: ${decision.comment}` : '';
  return `${verb} by ${decision.approver} via ${decision.channel} at ${decision.decidedAt}${comment}`;
}
