/**
 * Version skew after the control plane moves to the hop's target, under the Kubernetes version skew policy
 * (https://kubernetes.io/releases/version-skew-policy/): kubelet and kube-proxy may be up to three minor versions
 * older than kube-apiserver (two for versions before 1.25), and kube-proxy within as many of the node's kubelet.
 */
import { type KubeApis, listAll } from '../../kube/index.js';
import { minorDistance, minorOf } from '../../versions/index.js';
import type { ClusterFacts, ReadinessRequest } from '../context.js';
import { count, type Finding, finding } from '../findings.js';

/** How many minor versions older than kube-apiserver a kubelet or kube-proxy of `minor` may be. */
export function allowedSkew(minor: string): number {
  return minorDistance('1.25', minor) >= 0 ? 3 : 2;
}

/** The `1.x` of an image tag such as `v1.32.9-minimal-eksbuild.2`, or undefined. */
function tagMinor(image: string): string | undefined {
  const tag = image.split('@')[0]?.split(':').pop() ?? '';
  return /^v?\d+\.\d+/.test(tag) ? minorOf(tag) : undefined;
}

/**
 * kube-proxy's version: the EKS add-on's when kube-proxy is managed by EKS, else the kube-system/kube-proxy
 * DaemonSet's image tag (self-managed kube-proxy), else undefined.
 */
export async function kubeProxyMinor(kube: KubeApis, facts: ClusterFacts): Promise<string | undefined> {
  const addon = facts.addons.find((a) => a.addonName === 'kube-proxy')?.addonVersion;
  if (addon) return minorOf(addon);
  for await (const ds of listAll((page) => kube.apps.listNamespacedDaemonSet({ namespace: 'kube-system', ...page }))) {
    if (ds.metadata?.name !== 'kube-proxy') continue;
    const image = ds.spec?.template.spec?.containers.find((c) => c.name === 'kube-proxy')?.image;
    return image ? tagMinor(image) : undefined;
  }
  return undefined;
}

/** Kubelets too old for the target control plane block the hop: those nodes would stop working. */
export function kubeletSkewFindings(facts: ClusterFacts, request: ReadinessRequest): Finding[] {
  const skewed = facts.nodes.filter((n) => {
    if (!n.kubelet) return false;
    const minor = minorOf(n.kubelet);
    return minorDistance(minor, request.to) > allowedSkew(minor);
  });
  if (!skewed.length) return [];
  return [
    finding({
      id: 'kubelet-skew',
      area: 'skew',
      severity: 'blocker',
      message: `${count(skewed.length, 'kubelet', 'kubelets')} would be further behind ${request.to} than the skew policy allows.`,
      objects: skewed.map((n) => `Node ${n.name} (${n.kubelet})`),
      fix: 'Replace those nodes with nodes of a newer version (upgrade their node groups) before this hop.',
      hard: true,
    }),
  ];
}

/** kube-proxy too old for the target control plane, or too far from the kubelets it runs beside. */
export async function kubeProxySkewFindings(
  kube: KubeApis,
  facts: ClusterFacts,
  request: ReadinessRequest,
): Promise<Finding[]> {
  const proxy = await kubeProxyMinor(kube, facts);
  if (!proxy) return [];
  const findings: Finding[] = [];
  const behind = minorDistance(proxy, request.to);
  if (behind > allowedSkew(proxy) || behind < 0) {
    findings.push(
      finding({
        id: 'kube-proxy-skew',
        area: 'skew',
        severity: 'blocker',
        message:
          behind < 0
            ? `kube-proxy ${proxy} is newer than the control plane will be (${request.to}), which the skew policy forbids.`
            : `kube-proxy ${proxy} would be further behind ${request.to} than the skew policy allows.`,
        objects: ['DaemonSet kube-system/kube-proxy'],
        fix: `Run a kube-proxy build for ${request.from} or ${request.to} (the kube-proxy add-on's default) before this hop.`,
        hard: true,
      }),
    );
  }
  const apart = facts.nodes.filter((n) => n.kubelet && Math.abs(minorDistance(minorOf(n.kubelet), proxy)) > 3);
  if (apart.length) {
    findings.push(
      finding({
        id: 'kube-proxy-kubelet-skew',
        area: 'skew',
        severity: 'warning',
        message: `kube-proxy ${proxy} runs more than three minor versions away from the kubelet on ${count(apart.length, 'node')}.`,
        objects: apart.map((n) => `Node ${n.name} (${n.kubelet})`),
        fix: 'Upgrade those nodes so that kube-proxy and kubelet stay within three minor versions.',
      }),
    );
  }
  return findings;
}
