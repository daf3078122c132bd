/**
 * Node choice for a pending pod, as kube-scheduler's default profile filters and scores nodes (simplified):
 * https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/#kube-scheduler-implementation
 */
import { isTerminating, type NodeRecord, type PodRecord } from './model.js';

/** Why `node` cannot take `pod` (the first failing filter, worded as kube-scheduler words it), or undefined. */
export function unfitReason(pod: PodRecord, node: NodeRecord, podsOnNode: number): string | undefined {
  const wl = pod.workload;
  // Only the Fargate scheduler places pods on a Fargate micro-VM, one pod each.
  if (node.spec.groupKind === 'fargate')
    return 'node(s) had untolerated taint {eks.amazonaws.com/compute-type: fargate}';
  // Simplification: even a pod tolerating everything waits for the node to be Ready.
  if (!node.ready) return 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }';
  // NodeUnschedulable: a cordoned node takes only pods tolerating node.kubernetes.io/unschedulable.
  if (node.unschedulable && !wl.tolerateAll) return 'node(s) were unschedulable';
  if (!wl.tolerateAll) {
    // TaintToleration: PreferNoSchedule only lowers the score.
    const taint = node.taints.find((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    if (taint) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  }
  for (const [key, value] of Object.entries(wl.nodeSelector ?? {})) {
    if (node.labels[key] !== value) return "node(s) didn't match Pod's node affinity/selector";
  }
  // NodeResourcesFit: the node's `pods` allocatable (maxPods) counts every pod bound to it, terminating or not.
  if (podsOnNode >= node.spec.maxPods) return 'Too many pods';
  return undefined;
}

/**
 * The feasible node that spreads the pod's workload best (fewest siblings, as the default topology spreading
 * does), then the least loaded, then the first by name; or the FailedScheduling message when none fits.
 */
export function chooseNode(
  pod: PodRecord,
  nodes: Iterable<NodeRecord>,
  nodePods: ReadonlyMap<string, ReadonlySet<PodRecord>>,
): { node: NodeRecord } | { message: string } {
  const reasons = new Map<string, number>();
  let total = 0;
  let best: { node: NodeRecord; siblings: number; load: number } | undefined;
  for (const node of nodes) {
    total++;
    const onNode = nodePods.get(node.spec.name) ?? new Set<PodRecord>();
    const unfit = unfitReason(pod, node, onNode.size);
    if (unfit) {
      reasons.set(unfit, (reasons.get(unfit) ?? 0) + 1);
      continue;
    }
    let siblings = 0;
    for (const p of onNode) if (p.workload === pod.workload && !isTerminating(p)) siblings++;
    const better =
      !best ||
      siblings < best.siblings ||
      (siblings === best.siblings && onNode.size < best.load) ||
      (siblings === best.siblings && onNode.size === best.load && node.spec.name < best.node.spec.name);
    if (better) best = { node, siblings, load: onNode.size };
  }
  if (best) return { node: best.node };
  const summary = [...reasons.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([reason, count]) => `${count} ${reason}`)
    .join(', ');
  return {
    message: `0/${total} nodes are available${summary ? `: ${summary}` : ''}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`,
  };
}
