/**
 * What will get in the way of draining nodes (https://kubernetes.io/docs/tasks/administer-cluster/safely-drain-node/):
 * budgets that allow no eviction, single replicas with nothing to keep them available, pods no controller
 * recreates, pods whose emptyDir data dies with them, and pods that tolerate every taint and so return to nodes
 * being drained. Each is named; none of them stops the control plane, so they warn.
 */
import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import { type KubeApis, listAll, selects } from '../../kube/index.js';
import { count, type Finding, finding, objectRef } from '../findings.js';
import type { PodFacts } from './pods.js';

const podIssueWords = {
  bare: {
    id: 'bare-pods',
    message: (n: number) =>
      `${count(n, 'pod has', 'pods have')} no controller: a drain deletes ${n === 1 ? 'it' : 'them'} and nothing recreates ${n === 1 ? 'it' : 'them'}.`,
    fix: 'Run them under a Deployment, StatefulSet or Job, or accept that the drain deletes them.',
  },
  emptyDir: {
    id: 'emptydir-data',
    message: (n: number) =>
      `${count(n, 'pod keeps', 'pods keep')} data in emptyDir volumes, which is lost when they are evicted.`,
    fix: 'Move the data that matters to persistent volumes, or confirm it is scratch data.',
  },
  toleratesAll: {
    id: 'tolerates-all-taints',
    message: (n: number) =>
      `${count(n, 'pod tolerates', 'pods tolerate')} every taint, so ${n === 1 ? 'it' : 'they'} can land again on nodes being drained.`,
    fix: 'Give them tolerations for the taints they need only (key and effect), not operator Exists without a key.',
  },
} as const;

async function budgets(kube: KubeApis): Promise<V1PodDisruptionBudget[]> {
  const out: V1PodDisruptionBudget[] = [];
  for await (const b of listAll((page) => kube.policy.listPodDisruptionBudgetForAllNamespaces(page))) out.push(b);
  return out;
}

function zeroDisruptionFinding(all: V1PodDisruptionBudget[]): Finding[] {
  const stuck = all
    .filter((b) => (b.status?.disruptionsAllowed ?? 0) === 0 && (b.status?.expectedPods ?? 0) > 0)
    .map(
      (b) =>
        `${objectRef('PodDisruptionBudget', b.metadata?.name ?? '?', b.metadata?.namespace)} (needs ${b.status?.desiredHealthy} healthy, has ${b.status?.currentHealthy})`,
    );
  if (!stuck.length) return [];
  return [
    finding({
      id: 'pdb-zero-disruptions',
      area: 'drain',
      severity: 'warning',
      message: `${count(stuck.length, 'PodDisruptionBudget allows', 'PodDisruptionBudgets allow')} no disruption now: draining the nodes of their pods will stall.`,
      objects: stuck,
      fix: 'Scale those workloads up or relax the budgets (maxUnavailable: 1) before the node rotation.',
    }),
  ];
}

async function singleReplicaFinding(kube: KubeApis, all: V1PodDisruptionBudget[]): Promise<Finding[]> {
  const lonely: string[] = [];
  const check = (
    kind: string,
    o: {
      metadata?: { name?: string; namespace?: string };
      spec?: { replicas?: number; template?: { metadata?: { labels?: Record<string, string> } } };
    },
  ) => {
    if ((o.spec?.replicas ?? 1) !== 1) return;
    const labels = o.spec?.template?.metadata?.labels ?? {};
    const covered = all.some(
      (b) => b.metadata?.namespace === o.metadata?.namespace && selects(b.spec?.selector, labels),
    );
    if (!covered) lonely.push(objectRef(kind, o.metadata?.name ?? '?', o.metadata?.namespace));
  };
  for await (const d of listAll((p) => kube.apps.listDeploymentForAllNamespaces(p))) check('Deployment', d);
  for await (const s of listAll((p) => kube.apps.listStatefulSetForAllNamespaces(p))) check('StatefulSet', s);
  if (!lonely.length) return [];
  return [
    finding({
      id: 'single-replica-no-pdb',
      area: 'drain',
      severity: 'warning',
      message: `${count(lonely.length, 'workload runs', 'workloads run')} a single replica without a PodDisruptionBudget: it is down while its node drains.`,
      objects: lonely,
      fix: 'Run at least two replicas with a PodDisruptionBudget (maxUnavailable: 1), or accept the downtime.',
    }),
  ];
}

/** Every drain blocker of the cluster, each named. */
export async function drainFindings(kube: KubeApis, pods: PodFacts): Promise<Finding[]> {
  const all = await budgets(kube);
  const podFindings = (['bare', 'emptyDir', 'toleratesAll'] as const)
    .filter((k) => pods[k].length > 0)
    .map((k) =>
      finding({
        id: podIssueWords[k].id,
        area: 'drain',
        severity: 'warning',
        message: podIssueWords[k].message(pods[k].length),
        objects: pods[k],
        fix: podIssueWords[k].fix,
      }),
    );
  return [...zeroDisruptionFinding(all), ...(await singleReplicaFinding(kube, all)), ...podFindings];
}
