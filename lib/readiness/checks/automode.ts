/**
 * EKS Auto Mode: AWS runs the cluster's nodes and replaces them after the control plane moves, within the
 * NodePools' disruption budgets and the PodDisruptionBudgets
 * (https://docs.aws.amazon.com/eks/latest/userguide/auto-upgrade.html). The upgrade rotates none of them itself;
 * it waits until each Auto Mode node runs the hop's version. The report says so, with the pools and their nodes.
 */
import type { KubeApis } from '../../kube/index.js';
import { nodePools, poolNodes } from '../../nodes/karpenter.js';
import type { ClusterFacts, ReadinessRequest } from '../context.js';
import { count, type Finding, finding } from '../findings.js';

export async function autoModeFindings(
  kube: KubeApis,
  facts: ClusterFacts,
  request: ReadinessRequest,
): Promise<Finding[]> {
  if (!facts.cluster.computeConfig?.enabled) return [];
  const pools = (await nodePools(kube)).filter((p) => p.autoMode);
  const objects: string[] = [];
  for (const pool of pools) {
    const { total } = await poolNodes(kube, pool.name, request.to);
    objects.push(`nodepool/${pool.name} (${count(total, 'node')})`);
  }
  return [
    finding({
      id: 'auto-mode-nodes',
      area: 'health',
      severity: 'info',
      message: `EKS Auto Mode runs this cluster's nodes: AWS replaces them after the control plane moves to ${request.to}, and the upgrade waits for it instead of rotating them.`,
      objects,
      fix: 'Nothing to do before the upgrade; keep the NodePools’ disruption budgets and the PodDisruptionBudgets allowing some disruption, or the replacement (and the upgrade) waits until the policy’s replacementTimeoutSeconds.',
    }),
  ];
}
