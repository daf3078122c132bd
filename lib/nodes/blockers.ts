import type { V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { type KubeApis, listAll, selects } from '../kube/index.js';

/** A pod that could not leave its node, and the budget that holds it there (if any). */
export interface EvictionBlocker {
  node: string;
  pod: string;
  budget?: string;
  budgetDetail?: string;
}

function selectorMatches(budget: V1PodDisruptionBudget, pod: V1Pod): boolean {
  return budget.metadata?.namespace === pod.metadata?.namespace && selects(budget.spec?.selector, pod.metadata?.labels);
}

function isDaemonSetPod(pod: V1Pod): boolean {
  return (pod.metadata?.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet');
}

function isMirrorPod(pod: V1Pod): boolean {
  return Boolean(pod.metadata?.annotations?.['kubernetes.io/config.mirror']);
}

/**
 * Names the pods still on the given nodes that a drain must move, each with the PodDisruptionBudget that
 * currently allows no disruption for it. DaemonSet and mirror pods are skipped, as `kubectl drain` does.
 */
export async function findEvictionBlockers(kube: KubeApis, nodes: string[]): Promise<EvictionBlocker[]> {
  const budgets: V1PodDisruptionBudget[] = [];
  for await (const b of listAll((page) => kube.policy.listPodDisruptionBudgetForAllNamespaces(page))) budgets.push(b);
  const blockers: EvictionBlocker[] = [];
  for (const node of [...nodes].sort()) {
    const pods = listAll((page) =>
      kube.core.listPodForAllNamespaces({ ...page, fieldSelector: `spec.nodeName=${node}` }),
    );
    for await (const pod of pods) {
      if (isDaemonSetPod(pod) || isMirrorPod(pod) || pod.metadata?.deletionTimestamp) continue;
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      const name = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
      const budget = budgets.find((b) => selectorMatches(b, pod) && (b.status?.disruptionsAllowed ?? 0) === 0);
      blockers.push({
        node,
        pod: name,
        ...(budget
          ? {
              budget: `${budget.metadata?.namespace}/${budget.metadata?.name}`,
              budgetDetail: `needs ${budget.status?.desiredHealthy} healthy, has ${budget.status?.currentHealthy}, allows 0 disruptions`,
            }
          : {}),
      });
    }
  }
  return blockers;
}

/** One sentence per blocking pod, budgets first, for error messages and notifications. */
export function describeBlockers(blockers: EvictionBlocker[], limit = 10): string {
  const held = blockers.filter((b) => b.budget);
  const shown = (held.length ? held : blockers).slice(0, limit);
  const lines = shown.map((b) =>
    b.budget
      ? `pod ${b.pod} on ${b.node} is held by PodDisruptionBudget ${b.budget} (${b.budgetDetail})`
      : `pod ${b.pod} on ${b.node} did not leave the node`,
  );
  const more = (held.length ? held : blockers).length - shown.length;
  return lines.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** A node a rotation is emptying, what is left on it, and the budgets that hold pods there now. */
export interface DrainingNode {
  node: string;
  /** Pods that must still move (DaemonSet and mirror pods stay, as with `kubectl drain`). */
  podsLeft: number;
  /** Cordoned: no new pod lands on it. */
  cordoned: boolean;
  /** Pods a PodDisruptionBudget allows no disruption for, right now. */
  heldBy: Array<{ pod: string; budget: string; budgetDetail: string }>;
}

/** What is left on the nodes being drained, for the console: at most `limit` nodes, the emptiest first. */
export async function drainingNodes(
  kube: KubeApis,
  nodes: Array<{ name: string; cordoned: boolean }>,
  limit = 10,
): Promise<DrainingNode[]> {
  if (nodes.length === 0) return [];
  const picked = [...nodes].sort((a, b) => Number(b.cordoned) - Number(a.cordoned) || a.name.localeCompare(b.name));
  const blockers = await findEvictionBlockers(
    kube,
    picked.slice(0, limit * 2).map((n) => n.name),
  );
  return picked
    .slice(0, limit * 2)
    .map((n) => {
      const here = blockers.filter((b) => b.node === n.name);
      return {
        node: n.name,
        podsLeft: here.length,
        cordoned: n.cordoned,
        heldBy: here.flatMap((b) =>
          b.budget ? [{ pod: b.pod, budget: b.budget, budgetDetail: b.budgetDetail ?? '' }] : [],
        ),
      };
    })
    .sort((a, b) => Number(b.cordoned) - Number(a.cordoned) || a.podsLeft - b.podsLeft || a.node.localeCompare(b.node))
    .slice(0, limit);
}
