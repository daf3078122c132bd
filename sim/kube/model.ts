/**
 * The simulated cluster's internal records. The API server renders them to Kubernetes JSON on demand
 * (objects.ts), so derived fields (status, system taints, conditions) can never drift from the state.
 */
import type { BudgetSpec, BudgetStatus } from './pdb.js';
import type { SimNodeSpec, SimTaint } from './types.js';

export type Json = Record<string, unknown>;

export interface NodeRecord {
  spec: SimNodeSpec;
  uid: string;
  createdMs: number;
  resourceVersion: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Taints set by clients; the node lifecycle controller's taints are derived when rendering. */
  taints: SimTaint[];
  unschedulable: boolean;
  ready: boolean;
  /** When the Ready condition last changed. */
  readySinceMs: number;
  internalIp: string;
  readyEvent?: number;
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Pod';

export interface WorkloadRecord {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  uid: string;
  createdMs: number;
  resourceVersion: number;
  replicas: number;
  startupSeconds: number;
  terminationGracePeriodSeconds: number;
  emptyDir: boolean;
  tolerateAll: boolean;
  /** `nodeSelector` of the pod template (the node group restriction). */
  nodeSelector?: Record<string, string>;
  image: string;
  /** `hostPath` volumes the pods mount. */
  hostPaths: string[];
  /** Pods run but never pass their readiness probe. */
  neverReady: boolean;
  /** Labels of the pods, which are also the controller's selector. */
  podLabels: Record<string, string>;
  /** Deployment only: its single ReplicaSet, which owns the pods. */
  replicaSet?: { name: string; uid: string; templateHash: string };
  /** StatefulSet and DaemonSet pods carry `controller-revision-hash`. */
  revisionHash: string;
  pods: Set<PodRecord>;
  /** Bare pods are created once and never recreated. */
  created: boolean;
  /** Labels of the workload object itself once a client changed them (the pod labels until then). */
  labels?: Record<string, string>;
  /** Annotations clients set on the workload object itself (PATCH of metadata.annotations). */
  annotations?: Record<string, string>;
  /** Annotations of the pod template (`kubectl rollout restart` sets `kubectl.kubernetes.io/restartedAt`). */
  templateAnnotations?: Record<string, string>;
  /** Bumped when the pod template changes; pods of an older revision are rolled (rollout.ts). */
  templateRevision?: number;
}

export interface PodRecord {
  namespace: string;
  name: string;
  uid: string;
  /** Creation order, for scheduling order and derived ids. */
  serial: number;
  createdMs: number;
  resourceVersion: number;
  workload: WorkloadRecord;
  labels: Record<string, string>;
  /** Annotations clients set on the pod (PATCH of metadata.annotations). */
  annotations?: Record<string, string>;
  nodeName?: string;
  scheduledMs?: number;
  phase: 'Pending' | 'Running';
  runningSinceMs?: number;
  ready: boolean;
  podIp?: string;
  /** When the pod was asked to terminate; its `deletionTimestamp` is this plus the grace period. */
  deletionMs?: number;
  deletionGraceSeconds?: number;
  startupEvent?: number;
  deletionEvent?: number;
  /** Why the last scheduling attempt failed, for the PodScheduled condition. */
  unschedulableMessage?: string;
  /** The template revision of the workload the pod was created from (see WorkloadRecord.templateRevision). */
  templateRevision?: number;
}

export interface BudgetRecord {
  namespace: string;
  name: string;
  uid: string;
  createdMs: number;
  resourceVersion: number;
  /** Bumped when the spec changes; the simulated disruption controller observes it at once. */
  generation: number;
  spec: BudgetSpec;
  matchLabels: Record<string, string>;
  status: BudgetStatus;
  /** When `disruptionsAllowed > 0` last flipped (the DisruptionAllowed condition). */
  conditionSinceMs: number;
}

export interface NamespaceRecord {
  name: string;
  uid: string;
  createdMs: number;
  resourceVersion: number;
}

export function podKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function isTerminating(pod: PodRecord): boolean {
  return pod.deletionMs !== undefined;
}
