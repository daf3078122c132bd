/**
 * How long the state machine waits before checking an asynchronous AWS operation again.
 *
 * Early on, while the operation cannot have finished (`typicalMinSeconds` is the shortest it usually takes),
 * the wait halves the remaining gap, so few checks are spent. Past that point checks come every `floorSeconds`,
 * stretching slowly for operations that run long, so the cluster rarely waits on us for more than a few seconds
 * and a 40-minute operation does not cost hundreds of invocations.
 */
export function nextCheckSeconds(options: {
  elapsedSeconds: number;
  typicalMinSeconds: number;
  floorSeconds?: number;
  ceilingSeconds?: number;
}): number {
  const floor = options.floorSeconds ?? 5;
  const ceiling = options.ceilingSeconds ?? 60;
  const remaining = options.typicalMinSeconds - options.elapsedSeconds;
  const seconds = remaining > floor * 2 ? remaining / 2 : floor + Math.max(0, -remaining) / 30;
  return Math.round(Math.min(ceiling, Math.max(floor, seconds)));
}

/**
 * How long an operation may stay in progress before the orchestrator stops waiting and asks a person: well past
 * the longest it usually takes. EKS control plane updates take 8 to 12 minutes and rarely over 30; 90 leaves room.
 */
export const stuckAfterSeconds = {
  controlPlane: 90 * 60,
  // Managed add-on updates roll a DaemonSet or Deployment in minutes; an add-on still updating, or not ACTIVE
  // after its update succeeded, for 30 minutes needs a person.
  addon: 30 * 60,
} as const;

/** Typical shortest durations of the operations we wait on, in seconds. */
export const typicalMinSeconds = {
  // EKS control plane version updates usually take a little under ten minutes.
  controlPlane: 480,
  // Managed add-on updates roll a DaemonSet or Deployment: usually a minute or more.
  addon: 45,
  // A managed node group update surges, drains and replaces every node: a few minutes per batch at least.
  nodegroupPerBatch: 150,
} as const;
