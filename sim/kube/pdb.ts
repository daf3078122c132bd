/**
 * PodDisruptionBudget arithmetic, as the disruption controller computes a budget's status
 * (pkg/controller/disruption, `getExpectedPodCount`, `countHealthyPods`, `updatePdbStatus`).
 * https://kubernetes.io/docs/tasks/run-application/configure-pdb/#rounding-logic-when-specifying-percentages
 * https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
 */

export type IntOrPercent = number | string;

export interface BudgetSpec {
  minAvailable?: IntOrPercent;
  maxUnavailable?: IntOrPercent;
}

/** What the disruption controller needs to know about one pod its selector matches. */
export interface BudgetPod {
  ready: boolean;
  terminating: boolean;
  /**
   * The pod's controller and its scale (`spec.replicas`, via the Deployment for ReplicaSet-owned pods), or
   * `undefined` when the controller has no scale subresource (a DaemonSet) or the pod has no controller.
   */
  controller: { key: string; scale: number } | undefined;
}

export interface BudgetStatus {
  expectedPods: number;
  desiredHealthy: number;
  currentHealthy: number;
  disruptionsAllowed: number;
  /**
   * The controller could not compute the expected count (a pod without a scalable controller under a
   * maxUnavailable or percentage budget): like Kubernetes' `failSafe`, no disruption is allowed.
   */
  syncFailed: boolean;
}

/** Parses an int-or-percent value; `"50%"` → `{ percent: 50 }`. */
function parseIntOrPercent(value: IntOrPercent): { count: number } | { percent: number } {
  if (typeof value === 'number') return { count: value };
  const match = /^(\d+)%$/.exec(value);
  if (match) return { percent: Number(match[1]) };
  return { count: Number(value) };
}

/** `intstr.GetScaledValueFromIntOrPercent(value, total, roundUp=true)`: percentages round up. */
function scaled(value: IntOrPercent, total: number): number {
  const parsed = parseIntOrPercent(value);
  return 'count' in parsed ? parsed.count : Math.ceil((parsed.percent * total) / 100);
}

/** Sum of the scales of the distinct controllers of `pods`, or undefined if any pod has no scalable controller. */
function expectedScale(pods: BudgetPod[]): number | undefined {
  const scales = new Map<string, number>();
  for (const pod of pods) {
    if (!pod.controller) return undefined;
    scales.set(pod.controller.key, pod.controller.scale);
  }
  let total = 0;
  for (const scale of scales.values()) total += scale;
  return total;
}

/** The budget's status for the pods its selector matches, exactly as the disruption controller derives it. */
export function computeBudgetStatus(spec: BudgetSpec, pods: BudgetPod[]): BudgetStatus {
  const failSafe: BudgetStatus = {
    expectedPods: 0,
    desiredHealthy: 0,
    currentHealthy: 0,
    disruptionsAllowed: 0,
    syncFailed: true,
  };
  let expectedPods = 0;
  let desiredHealthy = 0;
  if (spec.maxUnavailable !== undefined) {
    const expected = expectedScale(pods);
    if (expected === undefined) return failSafe;
    expectedPods = expected;
    desiredHealthy = Math.max(0, expected - scaled(spec.maxUnavailable, expected));
  } else if (spec.minAvailable !== undefined) {
    const parsed = parseIntOrPercent(spec.minAvailable);
    if ('count' in parsed) {
      // An integer minAvailable needs no controller: the expected count is simply the matched pods.
      expectedPods = pods.length;
      desiredHealthy = parsed.count;
    } else {
      const expected = expectedScale(pods);
      if (expected === undefined) return failSafe;
      expectedPods = expected;
      desiredHealthy = scaled(spec.minAvailable, expected);
    }
  }
  // A pod counts as healthy when it is Ready and not being deleted.
  const currentHealthy = pods.filter((p) => p.ready && !p.terminating).length;
  const margin = currentHealthy - desiredHealthy;
  const disruptionsAllowed = expectedPods <= 0 || margin <= 0 ? 0 : margin;
  return { expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed, syncFailed: false };
}

/** A budget a client POSTs: its name, spec and label selector (only `matchLabels` is modelled). */
export interface BudgetObject {
  name: string;
  spec: BudgetSpec;
  matchLabels: Record<string, string>;
}

function intOrPercent(value: unknown): value is IntOrPercent {
  return (
    (typeof value === 'number' && Number.isInteger(value) && value >= 0) ||
    (typeof value === 'string' && /^\d+%$/.test(value))
  );
}

/**
 * Validates a policy/v1 PodDisruptionBudget body as the API server would; returns undefined-free parts or a
 * message saying what is invalid (https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/pod-disruption-budget-v1/).
 */
export function parseBudgetObject(body: Record<string, unknown>): BudgetObject | { invalid: string; name: string } {
  const meta = (body.metadata ?? {}) as Record<string, unknown>;
  const spec = (body.spec ?? {}) as Record<string, unknown>;
  const name = typeof meta.name === 'string' ? meta.name : '';
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name))
    return { name, invalid: 'metadata.name: Required value: name is required' };
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    return { name, invalid: 'spec: Invalid value: minAvailable and maxUnavailable cannot be both set' };
  }
  for (const field of ['minAvailable', 'maxUnavailable'] as const) {
    if (spec[field] !== undefined && !intOrPercent(spec[field])) {
      return { name, invalid: `spec.${field}: Invalid value: must be a non-negative integer or a percentage` };
    }
  }
  const selector = (spec.selector ?? {}) as Record<string, unknown>;
  if (selector.matchExpressions !== undefined) {
    return { name, invalid: 'spec.selector.matchExpressions: the simulated API server models matchLabels only' };
  }
  const matchLabels = (selector.matchLabels ?? {}) as Record<string, unknown>;
  if (!Object.values(matchLabels).every((v) => typeof v === 'string')) {
    return { name, invalid: 'spec.selector.matchLabels: Invalid value: values must be strings' };
  }
  return {
    name,
    spec: {
      ...(spec.minAvailable !== undefined && { minAvailable: spec.minAvailable as IntOrPercent }),
      ...(spec.maxUnavailable !== undefined && { maxUnavailable: spec.maxUnavailable as IntOrPercent }),
    },
    matchLabels: matchLabels as Record<string, string>,
  };
}
