/**
 * A failed upgrade in plain words: what stopped it and what to do next, one sentence each per error name of
 * lib/errors.ts (and the Step Functions errors an execution can end with).
 */

export interface FailureContext {
  /** The approval that stopped the upgrade (ApprovalRejected), as the history recorded it. */
  decision?: { approver: string; channel: string; decidedAt: string; comment?: string; gate: string };
  /** The hop the failure happened in, e.g. `1.32 → 1.33`. */
  hop?: string;
  /** The stage that was running, e.g. `Node group general`. */
  stage?: string;
}

export interface FailureAdvice {
  /** One sentence: what happened. */
  summary: string;
  /** One or two sentences: what to do next. */
  nextStep: string;
  /** PodDisruptionBudgets the cause names (`namespace/name`), for PodEvictionBlocked. */
  budgets?: string[];
}

const rerun =
  'then run dispatch again (or wait for its next scheduled run): the plan starts from the cluster’s real versions, so finished work is not repeated.';

const gateLabels: Record<string, string> = {
  'before-hop': 'the approval before the hop',
  'before-nodes': 'the approval before node rotation',
  'override-readiness': 'the readiness override',
};

/** A gate's name as people say it. */
export function gateLabel(gate: string): string {
  return gateLabels[gate] ?? `the ${gate} gate`;
}

/**
 * The cause as a person reads it: Lambda's `{"errorType","errorMessage"}` JSON and approval causes unwrapped,
 * bounded in length.
 */
export function plainCause(cause: string | undefined): string {
  if (!cause) return '';
  let text = cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown; message?: unknown };
    if (typeof parsed.errorMessage === 'string') text = parsed.errorMessage;
    else if (typeof parsed.message === 'string') text = parsed.message;
  } catch {
    // Not JSON: the handler's own message.
  }
  return text.length > 4000 ? `${text.slice(0, 3999)}…` : text;
}

function budgetsIn(cause: string): string[] {
  const found = [...cause.matchAll(/PodDisruptionBudgets? ([a-z0-9][a-z0-9.-]*\/[a-z0-9][a-z0-9.-]*)/g)].map(
    (m) => m[1] as string,
  );
  return [...new Set(found)];
}

/** What stopped an upgrade and what to do next, from the execution's error name and cause. */
export function failureAdvice(error: string, cause: string, context: FailureContext = {}): FailureAdvice {
  const where = context.hop ? ` (hop ${context.hop})` : '';
  switch (error) {
    case 'ReadinessBlocked':
      return {
        summary: `The readiness check found blockers${where}; nothing was changed.`,
        nextStep: `Fix the blockers listed in the readiness report below (each says how; those marked hard cannot be overridden), ${rerun}`,
      };
    case 'PodEvictionBlocked': {
      const budgets = budgetsIn(cause);
      const named = budgets.length ? `PodDisruptionBudget ${budgets.join(', ')}` : 'a PodDisruptionBudget';
      const group = /node group (\S+)/.exec(cause)?.[1];
      return {
        summary: `Draining ${group ? `node group ${group}` : 'a node group'} was blocked by ${named}; nothing was forced.`,
        nextStep: `Scale the workload up or relax ${named} so that it allows a disruption, ${rerun} Setting force in the policy overrides budgets: use it only for workloads that may lose pods.`,
        ...(budgets.length ? { budgets } : {}),
      };
    }
    case 'ApprovalRejected': {
      const d = context.decision;
      const said = d?.comment ? `: “${d.comment}”` : ' without a comment';
      return {
        summary: d
          ? `${d.approver} rejected ${gateLabel(d.gate)} via ${d.channel}${said}.`
          : `A person rejected an approval gate${where}.`,
        nextStep: `Nothing after the gate was changed. Settle the reason${d ? ` with ${d.approver}` : ''}; the next dispatch run asks again.`,
      };
    }
    case 'ApprovalTimedOut':
      return {
        summary: `Nobody decided an approval gate before it expired${where}, and the policy stops on timeout.`,
        nextStep:
          'Nothing after the gate was changed. Decide sooner, add approvers, or raise approvals.timeoutSeconds (or set onTimeout) in the policy; the next dispatch run asks again.',
      };
    case 'ControlPlaneUpdateStuck':
      return {
        summary: `The control plane update stayed in progress far longer than EKS takes${where}; the orchestrator stopped waiting, the update goes on in EKS.`,
        nextStep: `Check the update with aws eks describe-update (the cause names it) and wait until it ends, ${rerun} A run attaches to an update still in progress rather than starting another. If it stays in progress for hours, open an AWS Support case with the update id.`,
      };
    case 'ControlPlaneUpdateFailed':
      return {
        summary: `EKS reported that the control plane update failed${where}; the cluster stays on its version.`,
        nextStep: `Read EKS’s error in the cause (aws eks describe-update shows it too), fix it (often subnets short of free IP addresses, security groups or IAM), ${rerun}`,
      };
    case 'AddonUpdateFailed':
      return {
        summary: `An EKS add-on update failed or the add-on ended degraded${where}.`,
        nextStep: `Check the add-on’s health issues (aws eks describe-addon) and any custom configuration that conflicts with the new version, ${rerun}`,
      };
    case 'NodegroupUpdateFailed':
      return {
        summary: `A managed node group update failed${where}.`,
        nextStep: `Check the node group’s health issues (aws eks describe-nodegroup), such as launch failures or capacity, fix them, ${rerun}`,
      };
    case 'ValidationFailed':
      return {
        summary: `The hop finished but the cluster did not pass validation${where}.`,
        nextStep: `Fix what the cause lists (versions, nodes not Ready, add-ons not ACTIVE), ${rerun}`,
      };
    case 'InvalidPolicy':
      return {
        summary: 'The upgrade policy is invalid; nothing was changed.',
        nextStep: `Fix the field the cause names in the cluster’s eks-upgrade/* tags or in the policy file, ${rerun}`,
      };
    case 'InvalidInput':
      return {
        summary: 'The upgrade was started with input it cannot use; nothing was changed.',
        nextStep:
          'Start upgrades through dispatch (its schedule, an AWS Health event or the CLI), which writes valid input; the cause names the field.',
      };
    case 'ClusterNotFound':
      return {
        summary: 'The cluster does not exist in that account and region.',
        nextStep:
          'Check the cluster’s name and region; if the cluster was deleted, nothing is left to do and it leaves the fleet by itself.',
      };
    case 'AccountAccessDenied':
      return {
        summary: 'The orchestrator could not assume the member role in the cluster’s account; nothing was changed.',
        nextStep: `Deploy the member role in that account (docs/deploy.md) with a trust policy naming the orchestrator’s roles and the external id, ${rerun}`,
      };
    case 'RequestRejected':
      return {
        summary: `AWS refused a request as invalid${where}.`,
        nextStep: `The cause says which request and why; fix that setting, ${rerun}`,
      };
    case 'Throttled':
    case 'ResourceBusy':
    case 'TransientFailure':
      return {
        summary: `A temporary AWS or Kubernetes problem outlasted every retry${where}.`,
        nextStep:
          'Run dispatch again later: the upgrade resumes where it stopped. If it keeps happening, look for another tool changing the cluster at the same time, or for throttled API quotas.',
      };
    case 'StoppedByOperator':
    case 'Aborted':
      return {
        summary: `${cause || 'The upgrade was stopped by hand (StopExecution).'}${where}`,
        nextStep:
          'An update already handed to EKS (control plane, add-on or managed node group) finishes on EKS’s side. A self-managed group or Karpenter pool may be mid-rotation: its nodes keep their cordon and cluster-autoscaler stays paused until a run resumes it. Retry, or run dispatch again: the plan starts from the cluster’s real versions and resumes a rotation from the marks it left.',
      };
    case 'States.Timeout':
      return {
        summary: `A step took longer than its timeout${where}.`,
        nextStep: `Check in the orchestrator’s logs (the execution name is the log key) what the step was waiting for, ${rerun}`,
      };
    default:
      return {
        summary: `The upgrade stopped on an unexpected error (${error || 'unknown'})${where}.`,
        nextStep: `Look at the orchestrator’s logs for this execution (its name is the log key) and fix the cause, ${rerun}`,
      };
  }
}
