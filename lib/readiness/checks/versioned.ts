/**
 * Checks tied to one Kubernetes or EKS version, from upgrade runbooks. Each blocks the hop that crosses its
 * version and warns when the cluster is already past it (the breakage is there; this hop does not cause it).
 */
import { ApiException } from '@kubernetes/client-node';
import { type KubeApis, listAll } from '../../kube/index.js';
import { compareMinor } from '../../versions/index.js';
import type { ClusterFacts, ReadinessRequest } from '../context.js';
import { count, type Finding, finding, type Severity } from '../findings.js';
import { listIfServed } from './facts.js';
import type { PodFacts } from './pods.js';

/** blocker when the hop reaches `version` from below it, warning once past it, info before it. */
export function severityAround(version: string, request: ReadinessRequest): Severity {
  if (compareMinor(request.to, version) < 0) return 'info';
  return compareMinor(request.from, version) < 0 ? 'blocker' : 'warning';
}

/**
 * Kubernetes 1.24 removed dockershim, and EKS AMIs for 1.24 and later run containerd only: a pod that mounts
 * /var/run/docker.sock (build agents, monitoring, log shippers) finds no Docker.
 * https://docs.aws.amazon.com/eks/latest/userguide/dockershim-deprecation.html
 */
export function dockerSocketFindings(pods: PodFacts, request: ReadinessRequest): Finding[] {
  if (!pods.dockerSocket.length) return [];
  return [
    finding({
      id: 'docker-socket-mount',
      area: 'version',
      severity: severityAround('1.24', request),
      message: `${count(pods.dockerSocket.length, 'pod mounts', 'pods mount')} the Docker socket, which nodes of Kubernetes 1.24 and later do not have (dockershim removal).`,
      objects: pods.dockerSocket,
      fix: 'Move them to the containerd socket or to tools that do not need the runtime (kaniko, BuildKit, the kubelet API).',
    }),
  ];
}

/** A Corefile line that is only `upstream`, which CoreDNS 1.7 and later reject. */
export function upstreamLines(corefile: string): number[] {
  return corefile.split('\n').flatMap((line, i) => (line.trim() === 'upstream' ? [i + 1] : []));
}

/**
 * CoreDNS 1.7 removed the `upstream` option of the kubernetes plugin; a Corefile that still has it makes every
 * newer CoreDNS crash-loop, and the add-on stage installs a newer one.
 * https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html
 */
export async function corednsFindings(kube: KubeApis): Promise<Finding[]> {
  let corefile: string | undefined;
  try {
    corefile = (await kube.core.readNamespacedConfigMap({ name: 'coredns', namespace: 'kube-system' })).data?.Corefile;
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return [];
    throw error;
  }
  const lines = upstreamLines(corefile ?? '');
  if (!lines.length) return [];
  return [
    finding({
      id: 'coredns-upstream',
      area: 'version',
      severity: 'blocker',
      message: 'The CoreDNS Corefile has a line that is only `upstream`, which CoreDNS 1.7 and later reject at start.',
      objects: lines.map((l) => `ConfigMap kube-system/coredns: Corefile line ${l}`),
      fix: 'Delete the `upstream` line from the Corefile (kubectl -n kube-system edit configmap coredns) before upgrading.',
    }),
  ];
}

async function inTreeEbsUsers(kube: KubeApis): Promise<string[]> {
  const volumes = await listIfServed(() => listAll((page) => kube.core.listPersistentVolume(page)));
  const classes = await listIfServed(() => listAll((page) => kube.storage.listStorageClass(page)));
  return [
    ...volumes.filter((v) => v.spec?.awsElasticBlockStore).map((v) => `PersistentVolume ${v.metadata?.name}`),
    ...classes.filter((c) => c.provisioner === 'kubernetes.io/aws-ebs').map((c) => `StorageClass ${c.metadata?.name}`),
  ];
}

/**
 * From Kubernetes 1.23 on EKS, in-tree EBS volumes (kubernetes.io/aws-ebs) are served through the EBS CSI driver
 * (CSI migration): without the driver they can no longer be provisioned, attached or mounted.
 * https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi-migration-faq.html
 */
export async function ebsCsiFindings(
  kube: KubeApis,
  facts: ClusterFacts,
  request: ReadinessRequest,
): Promise<Finding[]> {
  const users = await inTreeEbsUsers(kube);
  if (!users.length || facts.addons.some((a) => a.addonName === 'aws-ebs-csi-driver')) return [];
  const drivers = await listIfServed(() => listAll((page) => kube.storage.listCSIDriver(page)));
  if (drivers.some((d) => d.metadata?.name === 'ebs.csi.aws.com')) return [];
  return [
    finding({
      id: 'ebs-csi-driver-missing',
      area: 'version',
      severity: severityAround('1.23', request),
      message: `${count(users.length, 'object uses', 'objects use')} in-tree EBS volumes, which Kubernetes 1.23 and later serve only through the EBS CSI driver, and the cluster has none.`,
      objects: users,
      fix: 'Install the aws-ebs-csi-driver add-on (with its IAM role) before this hop.',
    }),
  ];
}

/**
 * EKS publishes Amazon Linux 2 AMIs up to Kubernetes 1.32 only: AL2 node groups cannot follow the control plane
 * to 1.33. https://docs.aws.amazon.com/eks/latest/userguide/eks-ami-deprecation-faqs.html
 */
export function amazonLinux2Findings(facts: ClusterFacts, request: ReadinessRequest): Finding[] {
  const managed = facts.nodegroups
    .filter((g) => g.amiType?.startsWith('AL2_'))
    .map((g) => `nodegroup/${g.nodegroupName} (${g.amiType})`);
  const managedNames = new Set(facts.nodegroups.map((g) => g.nodegroupName));
  const selfManaged = facts.nodes
    // Fargate reports Amazon Linux 2 too, but AWS moves those pods to new infrastructure itself on restart.
    .filter((n) => n.osImage === 'Amazon Linux 2' && !n.fargate && !(n.nodegroup && managedNames.has(n.nodegroup)))
    .map((n) => `Node ${n.name} (${n.osImage})`);
  const objects = [...managed, ...selfManaged];
  if (!objects.length) return [];
  const blocked = compareMinor(request.to, '1.33') >= 0;
  return [
    finding({
      id: 'amazon-linux-2',
      area: 'version',
      severity: blocked ? 'blocker' : 'warning',
      message: blocked
        ? `Amazon Linux 2 nodes cannot run Kubernetes ${request.to}: EKS publishes no AL2 AMIs after 1.32.`
        : 'Amazon Linux 2 nodes run here, and EKS publishes no AL2 AMIs after Kubernetes 1.32.',
      objects,
      fix: 'Move those node groups to Amazon Linux 2023 or Bottlerocket AMIs before upgrading to 1.33.',
      ...(blocked ? { hard: true as const } : {}),
    }),
  ];
}
