import { type AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeAddonCommand, DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import { ValidationFailed } from '../errors.js';
import { type KubeApis, listAll } from '../kube/index.js';
import { compareMinor, minorDistance, minorOf } from '../versions/index.js';

export interface ValidationCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ValidationResult {
  toVersion: string;
  checks: ValidationCheck[];
}

/** Instance ids of the self-managed groups among `groups` (names that are Auto Scaling groups). */
async function instancesOf(autoscaling: AutoScalingClient, groups: string[]): Promise<Set<string>> {
  const ids = new Set<string>();
  if (!groups.length) return ids;
  const out = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: groups }));
  for (const g of out.AutoScalingGroups ?? [])
    for (const i of g.Instances ?? []) if (i.InstanceId) ids.add(i.InstanceId);
  return ids;
}

/**
 * Checks that a hop really landed: control plane at the version and ACTIVE; the nodes of the groups rotated in
 * this hop on it, every other node within the kubelet skew policy; nodes Ready; the add-ons ACTIVE; and the API
 * accepting writes (a ConfigMap created and deleted). Throws ValidationFailed listing every failed check.
 */
export async function validateHop(
  deps: { eks: EKSClient; autoscaling: AutoScalingClient; kube: KubeApis; now: () => Date },
  request: { cluster: string; toVersion: string; addons: string[]; rotatedGroups: string[] },
): Promise<ValidationResult> {
  const checks: ValidationCheck[] = [];
  const { cluster } = await deps.eks.send(new DescribeClusterCommand({ name: request.cluster }));
  const cpVersion = minorOf(cluster?.version ?? '0.0');
  checks.push({
    name: 'control plane version',
    ok: cpVersion === request.toVersion && cluster?.status === 'ACTIVE',
    detail: `control plane ${cpVersion}, status ${cluster?.status}`,
  });

  const behind: string[] = [];
  const notReady: string[] = [];
  const rotated = new Set(request.rotatedGroups);
  // Karpenter and EKS Auto Mode NodePools and Fargate profiles are entries with a prefix, not Auto Scaling groups.
  const followed = (g: string) => g.startsWith('karpenter:') || g.startsWith('automode:') || g.startsWith('fargate:');
  const rotatedInstances = await instancesOf(
    deps.autoscaling,
    request.rotatedGroups.filter((g) => !followed(g)),
  );
  let nodes = 0;
  let lagging = 0;
  for await (const node of listAll((page) => deps.kube.core.listNode(page))) {
    nodes++;
    const name = node.metadata?.name ?? '?';
    const kubelet = node.status?.nodeInfo?.kubeletVersion ?? 'unknown';
    const minor = minorOf(kubelet === 'unknown' ? '0.0' : kubelet);
    const group = node.metadata?.labels?.['eks.amazonaws.com/nodegroup'];
    const instance = node.spec?.providerID?.split('/').pop() ?? '';
    const pool = node.metadata?.labels?.['karpenter.sh/nodepool'];
    // A Fargate node carries one pod; bare pods keep their old kubelet, so Fargate nodes only need to be in skew.
    const inHop =
      (group !== undefined && rotated.has(group)) ||
      (pool !== undefined && rotated.has(`karpenter:${pool}`)) ||
      rotatedInstances.has(instance);
    // Nodes rotated in this hop must run its version; the others may lag within the skew policy (three minors).
    if (
      inHop
        ? minor !== request.toVersion
        : compareMinor(minor, request.toVersion) > 0 || minorDistance(minor, request.toVersion) > 3
    ) {
      behind.push(`${name} (${kubelet})`);
    } else if (minor !== request.toVersion) {
      lagging++;
    }
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (!ready) notReady.push(name);
  }
  checks.push({
    name: 'kubelet versions',
    ok: behind.length === 0,
    detail: behind.length
      ? `${behind.length} of ${nodes} nodes not where this hop leaves them: ${behind.slice(0, 5).join(', ')}`
      : `${nodes - lagging} nodes on ${request.toVersion}${lagging ? `, ${lagging} within the skew policy until a later hop` : ''}`,
  });
  checks.push({
    name: 'nodes Ready',
    ok: notReady.length === 0,
    detail: notReady.length ? `not Ready: ${notReady.slice(0, 5).join(', ')}` : `${nodes} nodes Ready`,
  });

  for (const name of request.addons) {
    const { addon } = await deps.eks.send(new DescribeAddonCommand({ clusterName: request.cluster, addonName: name }));
    checks.push({
      name: `add-on ${name}`,
      ok: addon?.status === 'ACTIVE',
      detail: `${addon?.addonVersion} ${addon?.status}`,
    });
  }

  // A write through the API proves admission webhooks and etcd accept changes after the upgrade.
  const smokeName = `eks-upgrade-smoke-${deps.now().getTime().toString(36)}`;
  try {
    await deps.kube.core.createNamespacedConfigMap({
      namespace: 'default',
      body: {
        metadata: { name: smokeName, labels: { 'app.kubernetes.io/managed-by': 'eks-upgrade-orchestrator' } },
        data: { toVersion: request.toVersion },
      },
    });
    await deps.kube.core.deleteNamespacedConfigMap({ namespace: 'default', name: smokeName });
    checks.push({ name: 'API write', ok: true, detail: `ConfigMap default/${smokeName} created and deleted` });
  } catch (e) {
    checks.push({
      name: 'API write',
      ok: false,
      detail: `ConfigMap write failed: ${(e as Error).message.split('\n')[0]}`,
    });
  }

  const failed = checks.filter((c) => !c.ok);
  if (failed.length) {
    throw new ValidationFailed(
      `after the hop to ${request.toVersion}: ${failed.map((c) => `${c.name}: ${c.detail}`).join('; ')}. The next run re-plans from this state.`,
    );
  }
  return { toVersion: request.toVersion, checks };
}
