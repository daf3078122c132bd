/**
 * Karpenter-managed nodes. The orchestrator does not drive them: when the control plane moves, an EC2NodeClass
 * that selects its AMI by alias `@latest` drifts, and Karpenter replaces the drifted nodes within the NodePool's
 * disruption budgets (https://karpenter.sh/docs/concepts/disruption/). A NodePool's rotation therefore waits until
 * every node of the pool runs the hop's kubelet, and stops with a report when that takes longer than the policy
 * allows.
 */
import { ApiException, type V1Node } from '@kubernetes/client-node';
import { NodegroupUpdateFailed, PodEvictionBlocked } from '../errors.js';
import { type KubeApis, listAll } from '../kube/index.js';
import { minorOf } from '../versions/index.js';
import { describeBlockers, findEvictionBlockers } from './blockers.js';

/** Node group entries of a plan that name a Karpenter NodePool: `karpenter:<pool>`. */
export const KARPENTER_PREFIX = 'karpenter:';
/**
 * Node group entries of a plan that name an EKS Auto Mode NodePool: `automode:<pool>`. AWS runs Karpenter for
 * these and replaces their nodes after the control plane moves, within the pool's disruption budgets and the
 * PodDisruptionBudgets (https://docs.aws.amazon.com/eks/latest/userguide/auto-upgrade.html); the orchestrator only
 * waits for it, as it does for Karpenter's drift.
 */
export const AUTO_MODE_PREFIX = 'automode:';
export const NODEPOOL_LABEL = 'karpenter.sh/nodepool';

export interface PoolProgress {
  done: boolean;
  nodegroup: string;
  updateId: string;
  startedAt: string;
  waitSeconds: number;
  nodesUpgraded: number;
  nodesTotal: number;
  detail: string;
}

interface NodePoolObject {
  metadata?: { name?: string };
  spec?: {
    template?: { spec?: { nodeClassRef?: { group?: string; kind?: string; name?: string } } };
    disruption?: { budgets?: Array<{ nodes?: string; schedule?: string; duration?: string }> };
  };
}

/** An EKS Auto Mode NodePool: its node class is EKS's own (eks.amazonaws.com NodeClass), not an EC2NodeClass. */
function isAutoMode(pool: NodePoolObject): boolean {
  return pool.spec?.template?.spec?.nodeClassRef?.group === 'eks.amazonaws.com';
}

/**
 * The cluster's NodePools (karpenter.sh/v1) by name, each marked when EKS Auto Mode runs it; none when neither
 * Karpenter nor Auto Mode serves them.
 */
export async function nodePools(kube: KubeApis): Promise<Array<{ name: string; autoMode: boolean }>> {
  try {
    const list = (await kube.custom.listClusterCustomObject({
      group: 'karpenter.sh',
      version: 'v1',
      plural: 'nodepools',
    })) as { items?: NodePoolObject[] };
    return (list.items ?? [])
      .flatMap((p) => (p.metadata?.name ? [{ name: p.metadata.name, autoMode: isAutoMode(p) }] : []))
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    if (e instanceof ApiException && e.code === 404) return [];
    throw e;
  }
}

/** The cluster's NodePools by name (Karpenter's and EKS Auto Mode's). */
export async function karpenterNodePools(kube: KubeApis): Promise<string[]> {
  return (await nodePools(kube)).map((p) => p.name);
}

async function poolBudgets(kube: KubeApis, pool: string): Promise<string> {
  try {
    const object = (await kube.custom.getClusterCustomObject({
      group: 'karpenter.sh',
      version: 'v1',
      plural: 'nodepools',
      name: pool,
    })) as NodePoolObject;
    const budgets = object.spec?.disruption?.budgets;
    if (!budgets?.length) return 'no budgets (Karpenter allows 10% of the nodes at once)';
    return budgets
      .map((b) => `nodes: "${b.nodes ?? '10%'}"${b.schedule ? ` (schedule ${b.schedule})` : ''}`)
      .join(', ');
  } catch (e) {
    if (e instanceof ApiException && e.code === 404) return 'the NodePool no longer exists';
    throw e;
  }
}

/** The nodes of a NodePool, and those whose kubelet is not on `toVersion`. */
export async function poolNodes(
  kube: KubeApis,
  pool: string,
  toVersion: string,
): Promise<{ total: number; behind: V1Node[] }> {
  let total = 0;
  const behind: V1Node[] = [];
  for await (const node of listAll((page) =>
    kube.core.listNode({ ...page, labelSelector: `${NODEPOOL_LABEL}=${pool}` }),
  )) {
    total++;
    const kubelet = node.status?.nodeInfo?.kubeletVersion ?? '';
    if (!kubelet || minorOf(kubelet) !== toVersion) behind.push(node);
  }
  return { total, behind };
}

/**
 * Checks on a NodePool following the control plane to `toVersion` by drift. Done when every node of the pool runs
 * that kubelet. Throws PodEvictionBlocked (pods held by budgets) or NodegroupUpdateFailed once `timeoutSeconds`
 * have passed since `startedAt`, naming the nodes behind, the pool's budgets and the pods that do not leave.
 */
export async function checkKarpenterPool(
  deps: { kube: KubeApis; now: () => Date },
  request: {
    cluster: string;
    pool: string;
    toVersion: string;
    startedAt?: string;
    timeoutSeconds: number;
    /** An EKS Auto Mode pool: AWS, not the cluster's own Karpenter, replaces its nodes. */
    autoMode?: boolean;
  },
): Promise<PoolProgress> {
  const { kube } = deps;
  const startedAt = request.startedAt ?? deps.now().toISOString();
  const { total, behind } = await poolNodes(kube, request.pool, request.toVersion);
  const prefix = request.autoMode ? AUTO_MODE_PREFIX : KARPENTER_PREFIX;
  const replacer = request.autoMode ? 'EKS Auto Mode' : 'Karpenter';
  const base = {
    nodegroup: `${prefix}${request.pool}`,
    updateId: `${prefix}${request.pool}`,
    startedAt,
    nodesUpgraded: total - behind.length,
    nodesTotal: total,
  };
  if (behind.length === 0) {
    return {
      ...base,
      done: true,
      waitSeconds: 0,
      detail: `all ${total} nodes of NodePool ${request.pool} run ${request.toVersion}`,
    };
  }
  const elapsed = (deps.now().getTime() - Date.parse(startedAt)) / 1000;
  if (elapsed < request.timeoutSeconds) {
    return {
      ...base,
      done: false,
      waitSeconds: 60,
      detail: `${behind.length} of ${total} nodes of NodePool ${request.pool} still wait for ${replacer} to replace them (${request.autoMode ? 'AWS rotates Auto Mode nodes after the control plane moves' : 'drift'})`,
    };
  }
  const names = behind.map((n) => `${n.metadata?.name} (${n.status?.nodeInfo?.kubeletVersion ?? 'unknown'})`);
  const budgets = await poolBudgets(kube, request.pool);
  const blockers = await findEvictionBlockers(kube, behind.map((n) => n.metadata?.name ?? '').filter(Boolean));
  const held = blockers.filter((b) => b.budget);
  const message =
    `${replacer} did not move NodePool ${request.pool} to ${request.toVersion} within ${Math.round(request.timeoutSeconds / 60)} minutes: ` +
    `${behind.length} of ${total} nodes are behind: ${names.slice(0, 10).join(', ')}. The NodePool's disruption budgets: ${budgets}. ` +
    (held.length ? `Pods that cannot be evicted: ${describeBlockers(held)}. ` : '') +
    (request.autoMode
      ? 'Allow disruptions in the NodePool (spec.disruption.budgets) or relax the PodDisruptionBudgets so that AWS can replace the nodes, then run the upgrade again (https://docs.aws.amazon.com/eks/latest/userguide/auto-upgrade.html).'
      : 'Allow disruptions in the NodePool (spec.disruption.budgets) or relax the PodDisruptionBudgets, check that its EC2NodeClass selects the AMI by an @latest alias, then run the upgrade again.');
  throw held.length ? new PodEvictionBlocked(message) : new NodegroupUpdateFailed(message);
}
