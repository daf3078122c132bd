import { DescribeAddonCommand, DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import { ValidationFailed } from '../errors.js';
import { type KubeApis, listAll } from '../kube/index.js';
import { minorOf } from '../versions/index.js';

export interface ValidationCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ValidationResult {
  toVersion: string;
  checks: ValidationCheck[];
}

/**
 * Checks that a hop really landed: control plane at the version and ACTIVE, every node's kubelet on it and
 * Ready, the add-ons ACTIVE, and the API accepting writes (a ConfigMap created and deleted).
 * Throws ValidationFailed listing every failed check.
 */
export async function validateHop(
  deps: { eks: EKSClient; kube: KubeApis; now: () => Date },
  request: { cluster: string; toVersion: string; addons: string[] },
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
  let nodes = 0;
  for await (const node of listAll((page) => deps.kube.core.listNode(page))) {
    nodes++;
    const name = node.metadata?.name ?? '?';
    const kubelet = node.status?.nodeInfo?.kubeletVersion ?? 'unknown';
    if (minorOf(kubelet === 'unknown' ? '0.0' : kubelet) !== request.toVersion) behind.push(`${name} (${kubelet})`);
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (!ready) notReady.push(name);
  }
  checks.push({
    name: 'kubelet versions',
    ok: behind.length === 0,
    detail: behind.length
      ? `${behind.length} of ${nodes} nodes not on ${request.toVersion}: ${behind.slice(0, 5).join(', ')}`
      : `${nodes} nodes on ${request.toVersion}`,
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
