import { DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import { addonTargetFor } from '../addons/index.js';
import { ReadinessBlocked } from '../errors.js';
import { type KubeApis, listAll } from '../kube/index.js';
import { compareMinor, minorDistance, minorOf } from '../versions/index.js';

export type Severity = 'blocker' | 'warning' | 'info';

export interface Finding {
  id: string;
  severity: Severity;
  objects: string[];
  message: string;
  fix: string;
}

export interface ReadinessReport {
  cluster: string;
  from: string;
  to: string;
  blockers: number;
  warnings: number;
  findings: Finding[];
}

const severityOrder: Record<Severity, number> = { blocker: 0, warning: 1, info: 2 };

/**
 * Pre-flight for one hop: the control plane can take it, the add-ons have versions for it, kubelets stay
 * within the skew policy, nodes are Ready and no PodDisruptionBudget already forbids every eviction.
 * Throws ReadinessBlocked with the summary when a blocker is found.
 */
export async function checkReadiness(
  deps: { eks: EKSClient; kube: KubeApis },
  request: { cluster: string; from: string; to: string; controlPlane: boolean; addons: string[] },
): Promise<ReadinessReport> {
  const findings: Finding[] = [];
  const { cluster } = await deps.eks.send(new DescribeClusterCommand({ name: request.cluster }));
  const cp = minorOf(cluster?.version ?? '0.0');
  if (cluster?.status !== 'ACTIVE' && cluster?.status !== 'UPDATING') {
    findings.push({
      id: 'cluster-not-active',
      severity: 'blocker',
      objects: [request.cluster],
      message: `cluster status is ${cluster?.status}`,
      fix: 'Wait until the cluster is ACTIVE, or resolve what keeps it from being so.',
    });
  }
  if (compareMinor(cp, request.from) < 0 || compareMinor(cp, request.to) > 0) {
    findings.push({
      id: 'control-plane-version',
      severity: 'blocker',
      objects: [request.cluster],
      message: `control plane runs ${cp}, outside this hop (${request.from} → ${request.to})`,
      fix: 'Start a new run so the plan starts from the current version.',
    });
  }
  for (const issue of cluster?.health?.issues ?? []) {
    findings.push({
      id: 'cluster-health',
      severity: 'blocker',
      objects: issue.resourceIds ?? [request.cluster],
      message: `${issue.code}: ${issue.message}`,
      fix: 'Resolve the cluster health issue EKS reports before upgrading.',
    });
  }

  for (const addon of request.addons) {
    const target = await addonTargetFor(deps.eks, { cluster: request.cluster, addon, kubernetesVersion: request.to });
    if (target.compatibleVersions.length === 0) {
      findings.push({
        id: 'addon-no-version',
        severity: 'blocker',
        objects: [`addon/${addon}`],
        message: `EKS offers no version of ${addon} for Kubernetes ${request.to}`,
        fix: `Remove the ${addon} add-on or manage it yourself before upgrading.`,
      });
    } else if (!target.compatibleVersions.includes(target.installed)) {
      findings.push({
        id: 'addon-incompatible',
        severity: 'info',
        objects: [`addon/${addon}`],
        message: `${addon} ${target.installed} is not listed for ${request.to}; it moves to ${target.target} right after the control plane`,
        fix: 'Nothing to do: the add-on stage updates it.',
      });
    }
  }

  const skewed: string[] = [];
  const notReady: string[] = [];
  for await (const node of listAll((page) => deps.kube.core.listNode(page))) {
    const name = node.metadata?.name ?? '?';
    const kubelet = node.status?.nodeInfo?.kubeletVersion;
    // Kubelets may be up to three minor versions older than the API server (Kubernetes version skew policy).
    if (kubelet && minorDistance(minorOf(kubelet), request.to) > 3) skewed.push(`${name} (${kubelet})`);
    if (node.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True') notReady.push(name);
  }
  if (skewed.length) {
    findings.push({
      id: 'kubelet-skew',
      severity: 'blocker',
      objects: skewed,
      message: `${skewed.length} kubelets would be more than three minor versions behind ${request.to}`,
      fix: 'Replace those nodes with ones on a newer version before this hop.',
    });
  }
  if (notReady.length) {
    findings.push({
      id: 'nodes-not-ready',
      severity: 'warning',
      objects: notReady,
      message: `${notReady.length} nodes are not Ready`,
      fix: 'Find out why those nodes are NotReady; they may hold pods that cannot move.',
    });
  }

  const stuck: string[] = [];
  for await (const pdb of listAll((page) => deps.kube.policy.listPodDisruptionBudgetForAllNamespaces(page))) {
    if ((pdb.status?.disruptionsAllowed ?? 0) === 0 && (pdb.status?.expectedPods ?? 0) > 0) {
      stuck.push(`${pdb.metadata?.namespace}/${pdb.metadata?.name}`);
    }
  }
  if (stuck.length) {
    findings.push({
      id: 'pdb-zero-disruptions',
      severity: 'warning',
      objects: stuck,
      message: `${stuck.length} PodDisruptionBudgets allow no disruption now; draining their pods' nodes will stall`,
      fix: 'Scale those workloads up or relax the budgets before node rotation.',
    });
  }

  findings.sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity] || a.id.localeCompare(b.id));
  const report: ReadinessReport = {
    cluster: request.cluster,
    from: request.from,
    to: request.to,
    blockers: findings.filter((f) => f.severity === 'blocker').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    findings,
  };
  if (report.blockers > 0) {
    const lines = findings
      .filter((f) => f.severity === 'blocker')
      .map((f) => `${f.id}: ${f.message} (${f.objects.slice(0, 5).join(', ')}). Fix: ${f.fix}`);
    throw new ReadinessBlocked(
      `hop ${request.from} → ${request.to} is blocked by ${report.blockers} finding(s): ${lines.join(' | ')}. Nothing was changed.`,
    );
  }
  return report;
}
