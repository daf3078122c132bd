/** One pass over every pod, keeping only the names the pod checks report (never the pods). */
import type { V1Pod } from '@kubernetes/client-node';
import { type KubeApis, listAll } from '../../kube/index.js';
import { objectRef } from '../findings.js';

export interface PodFacts {
  /** No controller: a drain deletes them for good. */
  bare: string[];
  /** emptyDir volumes: their data is lost on eviction. */
  emptyDir: string[];
  /** A toleration with operator Exists and no key: they tolerate every taint. */
  toleratesAll: string[];
  /** hostPath mounts of the Docker socket. */
  dockerSocket: string[];
  /** kube-system pods that are not Ready, with their phase. */
  kubeSystemNotReady: string[];
}

const isDaemonSetPod = (pod: V1Pod) => (pod.metadata?.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet');
const isMirrorPod = (pod: V1Pod) => Boolean(pod.metadata?.annotations?.['kubernetes.io/config.mirror']);
const isDone = (pod: V1Pod) =>
  Boolean(pod.metadata?.deletionTimestamp) || ['Succeeded', 'Failed'].includes(pod.status?.phase ?? '');

/** Pods that mount the Docker socket (or its directory) from the host. */
export function mountsDockerSocket(pod: V1Pod): boolean {
  return (pod.spec?.volumes ?? []).some((v) =>
    /(^|\/)docker\.sock$|^\/(var\/)?run\/docker\/?$/.test(v.hostPath?.path ?? ''),
  );
}

/** What a drain does to one pod: DaemonSet and mirror pods are left alone, as `kubectl drain` does. */
export function podDrainIssues(pod: V1Pod): Array<'bare' | 'emptyDir' | 'toleratesAll'> {
  if (isDone(pod) || isDaemonSetPod(pod) || isMirrorPod(pod)) return [];
  const issues: Array<'bare' | 'emptyDir' | 'toleratesAll'> = [];
  if (!pod.metadata?.ownerReferences?.length) issues.push('bare');
  if ((pod.spec?.volumes ?? []).some((v) => v.emptyDir)) issues.push('emptyDir');
  if ((pod.spec?.tolerations ?? []).some((t) => t.operator === 'Exists' && !t.key && !t.effect)) {
    issues.push('toleratesAll');
  }
  return issues;
}

/** Streams every pod once and returns the names each pod check needs. */
export async function scanPods(kube: KubeApis): Promise<PodFacts> {
  const facts: PodFacts = { bare: [], emptyDir: [], toleratesAll: [], dockerSocket: [], kubeSystemNotReady: [] };
  for await (const pod of listAll((page) => kube.core.listPodForAllNamespaces(page))) {
    const ref = objectRef('Pod', pod.metadata?.name ?? '?', pod.metadata?.namespace);
    for (const issue of podDrainIssues(pod)) facts[issue].push(ref);
    if (!isDone(pod) && mountsDockerSocket(pod)) facts.dockerSocket.push(ref);
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (pod.metadata?.namespace === 'kube-system' && !isDone(pod) && !ready) {
      facts.kubeSystemNotReady.push(`${ref} (${pod.status?.phase ?? 'Unknown'})`);
    }
  }
  return facts;
}
