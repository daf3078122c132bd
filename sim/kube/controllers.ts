/**
 * What the workload controllers want to exist: the ReplicaSet (for Deployments), StatefulSet and DaemonSet
 * controllers' reconciliation, reduced to "which pods are missing now". Bare pods have no controller.
 * https://kubernetes.io/docs/concepts/workloads/controllers/
 */
import { isTerminating, type NodeRecord, type PodRecord, podKey, type WorkloadRecord } from './model.js';
import { safeString, uidFor } from './naming.js';
import type { WorkloadSeed } from './seed.js';

/** A pod a controller creates: a fixed name (StatefulSet, bare pod) or a generated one; DaemonSet pods come bound. */
export interface MissingPod {
  name?: string;
  node?: NodeRecord;
}

/** The pods `wl`'s controller would create now. */
export function missingPods(
  wl: WorkloadRecord,
  pods: ReadonlyMap<string, PodRecord>,
  nodes: Iterable<NodeRecord>,
): MissingPod[] {
  switch (wl.kind) {
    case 'Pod':
      // A bare pod is created once; once gone, it is gone.
      return wl.created ? [] : [{ name: wl.name }];
    case 'Deployment': {
      // The ReplicaSet controller does not count terminating pods as active (controller.FilterActivePods), so it
      // creates the replacement as soon as a pod starts terminating, not when it is gone.
      // https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#how-a-replicaset-works
      let active = 0;
      for (const p of wl.pods) if (!isTerminating(p)) active++;
      return Array.from({ length: Math.max(0, wl.replicas - active) }, () => ({}));
    }
    case 'StatefulSet':
      // OrderedReady: pods keep their identity, a replacement is created only once its predecessor is fully
      // deleted, and the controller stops at the first pod that is not Running and Ready.
      // https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#deployment-and-scaling-guarantees
      for (let ordinal = 0; ordinal < wl.replicas; ordinal++) {
        const existing = pods.get(podKey(wl.namespace, `${wl.name}-${ordinal}`));
        if (!existing) return [{ name: `${wl.name}-${ordinal}` }];
        if (isTerminating(existing) || !existing.ready) return [];
      }
      return [];
    case 'DaemonSet': {
      // One pod per Ready node, bound by the controller; DaemonSet pods tolerate cordons and taints.
      // https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#how-daemon-pods-are-scheduled
      const covered = new Set([...wl.pods].map((p) => p.nodeName));
      // DaemonSet pods do not run on Fargate.
      return [...nodes]
        .filter((n) => n.ready && n.spec.groupKind !== 'fargate' && !covered.has(n.spec.name))
        .map((node) => ({ node }));
    }
  }
  return [];
}

/** The labels a controller puts on the pods it creates. */
export function podLabelsFor(wl: WorkloadRecord, name: string): Record<string, string> {
  const labels: Record<string, string> = { ...wl.podLabels };
  if (wl.kind === 'Deployment' && wl.replicaSet) labels['pod-template-hash'] = wl.replicaSet.templateHash;
  if (wl.kind === 'StatefulSet') {
    labels['apps.kubernetes.io/pod-index'] = name.slice(wl.name.length + 1);
    labels['controller-revision-hash'] = `${wl.name}-${wl.revisionHash}`;
    labels['statefulset.kubernetes.io/pod-name'] = name;
  }
  if (wl.kind === 'DaemonSet') {
    labels['controller-revision-hash'] = wl.revisionHash;
    labels['pod-template-generation'] = '1';
  }
  return labels;
}

/** The prefix of generated pod names: `<replicaset>-` for a Deployment, `<daemonset>-` for a DaemonSet. */
export function generateNamePrefix(wl: WorkloadRecord): string {
  return wl.replicaSet?.name ?? wl.name;
}

/** A workload record for a seeded workload; a Deployment gets its ReplicaSet `<name>-<pod-template-hash>`. */
export function workloadFromSeed(seed: WorkloadSeed, createdMs: number, resourceVersion: number): WorkloadRecord {
  const uid = uidFor(`${seed.kind}/${seed.namespace}/${seed.name}`);
  const templateHash = safeString(`${uid}/template`, 10);
  return {
    ...seed,
    uid,
    createdMs,
    resourceVersion,
    ...(seed.kind === 'Deployment' && {
      replicaSet: { name: `${seed.name}-${templateHash}`, uid: uidFor(`ReplicaSet/${uid}`), templateHash },
    }),
    revisionHash: templateHash,
    pods: new Set(),
    created: false,
  };
}
