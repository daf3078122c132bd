/**
 * The simulated Kubernetes cluster: nodes, pods and their controllers, PodDisruptionBudgets, the Eviction API's
 * rules, and the stored objects the API server serves. Every behaviour happens at simulated instants through
 * the scheduler (no timers), so a drain plays out the same way whatever the speed of the code driving it.
 */
import type { ScenarioCluster } from '../scenario.js';
import type { SimScheduler } from '../scheduler.js';
import { generateNamePrefix, missingPods, podLabelsFor, workloadFromSeed } from './controllers.js';
import { FARGATE_PROFILE_LABEL, fargateNodeSpec, fargateProfileFor, type SimFargateProfile } from './fargate.js';
import {
  type BudgetRecord,
  isTerminating,
  type Json,
  type NamespaceRecord,
  type NodeRecord,
  type PodRecord,
  podKey,
  type WorkloadRecord,
} from './model.js';
import { hexFor, ipFromNodeName, kubeTime, pluralOf, podIpFor, safeString, uidFor } from './naming.js';
import { parseNodeUpdate, registrationLabels, renderNode } from './nodes.js';
import {
  renderBudget,
  renderDaemonSet,
  renderDeployment,
  renderNamespace,
  renderPod,
  renderReplicaSet,
  renderStatefulSet,
} from './objects.js';
import { type BudgetObject, type BudgetPod, type BudgetSpec, computeBudgetStatus, parseBudgetObject } from './pdb.js';
import {
  ALWAYS_SERVED,
  BUDGETS,
  BUILTIN_RESOURCES,
  CONFIGMAPS,
  DAEMONSETS,
  DEPLOYMENTS,
  groupVersion,
  NAMESPACES,
  NODES,
  PODS,
  REPLICASETS,
  resourceId,
  SECRETS,
  type ServedResource,
  STATEFULSETS,
  storageKey,
} from './resources.js';
import { applyRolloutStep, applyWorkloadUpdate, rolloutStep } from './rollout.js';
import { chooseNode } from './scheduling.js';
import { planSeed } from './seed.js';
import { alreadyExists, badRequest, conflict, invalid, notFound } from './status.js';
import { ObjectStore, type StoredRange } from './store.js';
import type {
  SimDisruptionStats,
  SimEvictionResult,
  SimKubeCluster,
  SimNodeSpec,
  SimPodSummary,
  SimTaint,
} from './types.js';

export interface SimKubernetesOptions {
  scheduler: SimScheduler;
  clusterName: string;
  /** How many deletions a watch can catch up on (kube-apiserver's watch cache size); 5000 when absent. */
  watchHistory?: number;
}

/** The Eviction API's decision, with what the HTTP layer needs to answer as Kubernetes does. */
export type EvictionDecision =
  | { outcome: 'evicted'; pod: Json }
  | { outcome: 'not-found' }
  | { outcome: 'blocked'; budget: string; desiredHealthy: number; currentHealthy: number }
  | { outcome: 'multiple-budgets'; budgets: string[] };

/** Kubernetes' message when a budget forbids an eviction (pkg/registry/core/pod/storage/eviction.go). */
export const BUDGET_VIOLATION_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";
export const MULTIPLE_BUDGETS_MESSAGE =
  'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

/** The cause Kubernetes attaches to a 429 from the Eviction API. */
export function budgetCauseMessage(budget: string, desiredHealthy: number, currentHealthy: number): string {
  return `The disruption budget ${budget} needs ${desiredHealthy} healthy pods and has ${currentHealthy} currently`;
}

const BUILTIN_IDS = new Set(BUILTIN_RESOURCES.map(resourceId));

function sortedByKey<T>(items: T[], key: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, k: key(item) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((e) => e.item);
}

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** How many deletions a watch can catch up on (kube-apiserver's watch cache keeps a window of events too). */
const TOMBSTONES_KEPT = 5000;

/** A deleted object as a watch reports it: its last state, at the resourceVersion of its deletion. */
export interface Tombstone {
  /** storageKey() of its resource: objects of cohabiting versions share it. */
  storage: string;
  /** `<namespace>/<name>` */
  key: string;
  version: number;
  object: Json;
}

export class SimKubernetes implements SimKubeCluster {
  readonly clusterName: string;
  private readonly scheduler: SimScheduler;
  private resourceVersion = 1;
  private serial = 0;
  /** While seeding, pods start Running and Ready at once: the scenario starts in a steady state. */
  private seeding = false;
  private seeded = false;
  private gitVersion = 'v1.32.0-eks-0000000';
  private readonly nodes = new Map<string, NodeRecord>();
  private readonly nodePods = new Map<string, Set<PodRecord>>();
  private readonly pods = new Map<string, PodRecord>();
  private readonly workloads: WorkloadRecord[] = [];
  private readonly budgets = new Map<string, BudgetRecord>();
  private readonly namespaces = new Map<string, NamespaceRecord>();
  private readonly store = new ObjectStore({
    nextVersion: () => this.nextVersion(),
    nextSerial: () => ++this.serial,
    nowMs: () => this.nowMs(),
    onDelete: (resource, object) => this.recordDeletion(resource, object),
    hasNamespace: (name) => this.namespaces.has(name),
    ensureNamespace: (name) => this.ensureNamespace(name),
  });
  private readonly stats: SimDisruptionStats = { pdbViolations: 0, podsLost: 0, incidents: [] };
  /** Watches waiting for changes (watch.ts); told once per burst of changes, after the change has been applied. */
  private readonly changeListeners = new Set<() => void>();
  private changeQueued = false;
  /** The last objects deleted, newest last, so that a watch from an earlier resourceVersion sees them go. */
  private readonly tombstones: Tombstone[] = [];
  /** Deletions at or below this resourceVersion were forgotten: a watch from there answers 410 Expired. */
  private compactedThrough = 0;
  private readonly tombstonesKept: number;
  private fargateProfiles: SimFargateProfile[] = [];
  private region = 'us-east-1';

  constructor(options: SimKubernetesOptions) {
    this.scheduler = options.scheduler;
    this.clusterName = options.clusterName;
    this.tombstonesKept = options.watchHistory ?? TOMBSTONES_KEPT;
    for (const resource of [CONFIGMAPS, SECRETS, ...ALWAYS_SERVED]) this.store.register(resource);
  }

  /** Runs the simulated events that are due; every entry point calls it first. */
  advance(): void {
    this.scheduler.advance();
  }

  /** Creates the scenario's namespaces, workloads (Running and Ready), budgets, old-API objects and Helm records. */
  seed(cluster: ScenarioCluster, options: { gitVersion?: string } = {}): void {
    this.advance();
    if (this.seeded) throw new Error(`cluster ${this.clusterName} is already seeded`);
    this.seeded = true;
    this.region = cluster.region;
    this.fargateProfiles = cluster.fargateProfiles.map((p) => ({ name: p.name, namespaces: [...p.namespaces] }));
    this.setServerVersion(options.gitVersion ?? `v${cluster.version}.0-eks-${hexFor(cluster.name, 7)}`);
    const plan = planSeed(cluster, kubeTime(this.nowMs()), pluralOf);
    for (const ns of plan.namespaces) this.ensureNamespace(ns);
    for (const w of plan.workloads) this.workloads.push(workloadFromSeed(w, this.nowMs(), this.nextVersion()));
    for (const b of plan.budgets) this.addBudget(b.namespace, b);
    for (const o of plan.objects) this.store.put(o.resource, o.object);
    this.seeding = true;
    try {
      this.settle();
    } finally {
      this.seeding = false;
    }
  }

  /** The control plane's version as `/version` reports it, e.g. `v1.33.5-eks-3cfe0ce` (the simulated EKS sets it). */
  setServerVersion(gitVersion: string): void {
    if (!/^v\d+\.\d+\.\d+/.test(gitVersion))
      throw new Error(`"${gitVersion}" is not a Kubernetes gitVersion such as v1.32.9-eks-113cf36`);
    this.gitVersion = gitVersion;
  }

  /** The `/version` document. EKS reports a minor with a trailing `+` (`"32+"`). */
  versionInfo(): Json {
    const [, major = '1', minor = '0'] = /^v(\d+)\.(\d+)/.exec(this.gitVersion) ?? [];
    return {
      major,
      minor: `${minor}+`,
      gitVersion: this.gitVersion,
      gitCommit: hexFor(this.gitVersion, 40),
      gitTreeState: 'clean',
      buildDate: '2025-10-01T00:00:00Z',
      goVersion: 'go1.24.6',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  }

  nowMs(): number {
    return this.scheduler.nowMs();
  }

  /** Calls `listener` after every burst of changes (a microtask later) until the returned function is called. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Objects of `resource`'s storage deleted after `version`, oldest first, with the version of their deletion. */
  deletedSince(resource: ServedResource, version: number): Tombstone[] {
    const storage = storageKey(resource);
    return this.tombstones.filter((t) => t.version > version && t.storage === storage);
  }

  /** The oldest resourceVersion a watch may start from; older ones answer 410 Expired. */
  oldestWatchableVersion(): number {
    return this.compactedThrough;
  }

  /** The latest resourceVersion, which list responses report. */
  currentResourceVersion(): number {
    return this.resourceVersion;
  }

  // ---- SimKubeCluster: nodes ------------------------------------------------------------------------------

  addNode(spec: SimNodeSpec): void {
    this.advance();
    this.registerNode(spec);
    this.settle();
  }

  private registerNode(spec: SimNodeSpec): NodeRecord {
    if (this.nodes.has(spec.name)) throw new Error(`node ${spec.name} already exists in cluster ${this.clusterName}`);
    const now = this.nowMs();
    const serial = ++this.serial;
    const node: NodeRecord = {
      spec: { ...spec },
      uid: uidFor(`node/${spec.name}/${serial}`),
      createdMs: now,
      resourceVersion: this.nextVersion(),
      labels: registrationLabels(spec),
      annotations: {},
      taints: (spec.taints ?? []).map((t) => ({ ...t })),
      unschedulable: false,
      ready: false,
      readySinceMs: now,
      internalIp: ipFromNodeName(spec.name) ?? `10.0.${Math.floor(serial / 250) % 128}.${(serial % 250) + 4}`,
    };
    this.nodes.set(spec.name, node);
    this.nodePods.set(spec.name, new Set());
    if (spec.startupSeconds <= 0) {
      this.markNodeReady(node);
    } else if (Number.isFinite(spec.startupSeconds)) {
      // The kubelet reports Ready once it has registered and the CNI is up; Infinity models a node that never does.
      node.readyEvent = this.scheduler.after(spec.startupSeconds * 1000, `node ${spec.name} Ready`, () => {
        if (this.nodes.get(spec.name) !== node) return;
        this.markNodeReady(node);
        this.settle();
      });
    }
    return node;
  }

  removeNode(name: string): void {
    this.advance();
    const node = this.nodes.get(name);
    if (!node) return; // terminating an instance twice is harmless
    if (node.readyEvent !== undefined) this.scheduler.cancel(node.readyEvent);
    this.recordDeletion(NODES, renderNode(node));
    this.nodes.delete(name);
    const bound = sortedByKey([...(this.nodePods.get(name) ?? [])], (p) => podKey(p.namespace, p.name));
    this.nodePods.delete(name);
    const at = kubeTime(this.nowMs());
    for (const pod of bound) {
      // The pod garbage collector force-deletes the pods of a deleted node; DaemonSet pods die with it by design.
      if (pod.workload.kind !== 'DaemonSet') {
        this.stats.podsLost++;
        const how = isTerminating(pod) ? 'its termination grace period was cut short' : 'it was still running';
        this.stats.incidents.push(
          `${at} pod ${pod.namespace}/${pod.name} lost: node ${name} was terminated while ${how}`,
        );
      }
      this.removePod(pod);
    }
    this.settle(`node ${name} terminated`);
  }

  /** The kubelet stops (or resumes) posting Ready, as when it crashes or loses the API server. */
  setNodeReady(name: string, ready: boolean): void {
    this.advance();
    const node = this.requireNode(name);
    if (node.ready === ready) return;
    if (node.readyEvent !== undefined) this.scheduler.cancel(node.readyEvent);
    node.readyEvent = undefined;
    node.ready = ready;
    node.readySinceMs = this.nowMs();
    node.resourceVersion = this.nextVersion();
    this.settle();
  }

  setUnschedulable(name: string, unschedulable: boolean): void {
    this.advance();
    const node = this.requireNode(name);
    if (node.unschedulable === unschedulable) return;
    node.unschedulable = unschedulable;
    node.resourceVersion = this.nextVersion();
    this.settle();
  }

  addTaint(name: string, taint: SimTaint): void {
    this.advance();
    const node = this.requireNode(name);
    node.taints = [...node.taints.filter((t) => !(t.key === taint.key && t.effect === taint.effect)), { ...taint }];
    node.resourceVersion = this.nextVersion();
    this.settle();
  }

  removeTaint(name: string, key: string): void {
    this.advance();
    const node = this.requireNode(name);
    const kept = node.taints.filter((t) => t.key !== key);
    if (kept.length === node.taints.length) return;
    node.taints = kept;
    node.resourceVersion = this.nextVersion();
    this.settle();
  }

  nodeNames(): string[] {
    this.advance();
    return [...this.nodes.keys()].sort();
  }

  isNodeReady(name: string): boolean {
    this.advance();
    return this.nodes.get(name)?.ready ?? false;
  }

  podsOnNode(name: string): SimPodSummary[] {
    this.advance();
    const pods = [...(this.nodePods.get(name) ?? [])].filter((p) => !isTerminating(p));
    return sortedByKey(pods, (p) => podKey(p.namespace, p.name)).map((p) => this.summary(p));
  }

  /** Kubelet versions of the nodes, in node name order (what `kubectl get nodes` shows in VERSION). */
  kubeletVersions(): string[] {
    this.advance();
    return this.nodeNames().map((name) => this.nodes.get(name)?.spec.kubeletVersion ?? '');
  }

  /**
   * Replaces a budget's minAvailable / maxUnavailable, as `kubectl patch pdb` would (an operator relaxing it);
   * the status is recomputed at once. Throws if the budget does not exist.
   */
  setBudget(namespace: string, name: string, spec: BudgetSpec): void {
    this.advance();
    const budget = this.budgets.get(podKey(namespace, name));
    if (!budget)
      throw new Error(`PodDisruptionBudget ${namespace}/${name} does not exist in cluster ${this.clusterName}`);
    const parsed = parseBudgetObject({
      metadata: { name },
      spec: { ...spec, selector: { matchLabels: budget.matchLabels } },
    });
    if ('invalid' in parsed) throw new Error(`PodDisruptionBudget ${namespace}/${name}: ${parsed.invalid}`);
    budget.spec = parsed.spec;
    budget.generation++;
    budget.resourceVersion = this.nextVersion();
    this.settle();
  }

  disruptionStats(): SimDisruptionStats {
    this.advance();
    return { ...this.stats, incidents: [...this.stats.incidents] };
  }

  /**
   * Applies a client's update of a node (the result of a PATCH): labels, annotations, `spec.unschedulable` and
   * `spec.taints`. Taints the node lifecycle controller owns are recomputed, not stored. Throws KubeApiError.
   */
  updateNode(name: string, updated: Json): Json {
    const node = this.nodes.get(name);
    if (!node) throw notFound(NODES, name);
    const update = parseNodeUpdate(node, updated);
    const before = JSON.stringify(renderNode(node));
    Object.assign(node, update);
    if (JSON.stringify(renderNode(node)) !== before) {
      node.resourceVersion = this.nextVersion();
      this.settle();
    }
    return renderNode(node);
  }

  // ---- pods, eviction --------------------------------------------------------------------------------------

  evictPod(namespace: string, name: string): SimEvictionResult {
    const decision = this.evict(namespace, name);
    switch (decision.outcome) {
      case 'evicted':
        return { outcome: 'evicted', message: `pod ${namespace}/${name} evicted` };
      case 'not-found':
        return { outcome: 'not-found', message: `pods "${name}" not found` };
      case 'blocked':
        return {
          outcome: 'blocked',
          pdb: `${namespace}/${decision.budget}`,
          message: `${BUDGET_VIOLATION_MESSAGE} ${budgetCauseMessage(decision.budget, decision.desiredHealthy, decision.currentHealthy)}`,
        };
      case 'multiple-budgets':
        return { outcome: 'blocked', pdb: `${namespace}/${decision.budgets[0]}`, message: MULTIPLE_BUDGETS_MESSAGE };
    }
    return { outcome: 'not-found', message: `pods "${name}" not found` };
  }

  /**
   * The Eviction API (policy/v1), as pkg/registry/core/pod/storage/eviction.go decides:
   * https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/
   */
  evict(namespace: string, name: string, options: { gracePeriodSeconds?: number } = {}): EvictionDecision {
    this.advance();
    const pod = this.pods.get(podKey(namespace, name));
    if (!pod) return { outcome: 'not-found' };
    // canIgnorePDB: a pod already terminating, or not yet running, is deleted without consulting any budget.
    if (!isTerminating(pod) && pod.phase !== 'Pending') {
      const budgets = this.budgetsFor(pod);
      if (budgets.length > 1) return { outcome: 'multiple-budgets', budgets: budgets.map((b) => b.name) };
      const budget = budgets[0];
      if (budget) {
        const s = budget.status;
        // Unhealthy pod eviction policy IfHealthyBudget (the default): an unready pod may go while the budget is met.
        // https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy
        const unhealthyMayGo = !pod.ready && s.currentHealthy >= s.desiredHealthy && s.desiredHealthy > 0;
        if (!unhealthyMayGo && s.disruptionsAllowed <= 0) {
          return {
            outcome: 'blocked',
            budget: budget.name,
            desiredHealthy: s.desiredHealthy,
            currentHealthy: s.currentHealthy,
          };
        }
      }
    }
    this.terminate(pod, options.gracePeriodSeconds);
    // The budget's status is recomputed at once, so a second eviction in the same instant sees one disruption fewer.
    // An eviction the budget allowed cannot take it below its desired count, so it is never a violation.
    this.settle();
    return { outcome: 'evicted', pod: this.renderPodRecord(pod) };
  }

  /**
   * PATCH of a pod's labels and annotations (the server checked nothing else changed). Budgets select pods by
   * the new labels at once. A label its controller's selector uses cannot change: the simulator does not orphan a
   * pod from its controller as kube-controller-manager would. Throws KubeApiError (404, 409, 422).
   */
  updatePodMetadata(namespace: string, name: string, updated: Json): Json {
    this.advance();
    const pod = this.pods.get(podKey(namespace, name));
    if (!pod) throw notFound(PODS, name);
    const meta = asObject(updated.metadata);
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== String(pod.resourceVersion)) {
      throw conflict(
        PODS,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    const labels = asObject(meta.labels);
    const annotations = asObject(meta.annotations);
    const strings = (r: Json) => Object.values(r).every((v) => typeof v === 'string');
    if (!strings(labels) || !strings(annotations)) {
      throw invalid(PODS, name, 'metadata.labels and metadata.annotations must map strings to strings');
    }
    // A Deployment's ReplicaSet also selects its pods by pod-template-hash.
    const hash = pod.workload.kind === 'Deployment' ? pod.labels['pod-template-hash'] : undefined;
    const selector =
      pod.workload.kind === 'Pod'
        ? {}
        : { ...pod.workload.podLabels, ...(hash !== undefined && { 'pod-template-hash': hash }) };
    for (const [key, value] of Object.entries(selector)) {
      if (labels[key] !== value) {
        throw invalid(
          PODS,
          name,
          `metadata.labels.${key}: Forbidden: the pod's controller selects it by ${key}=${value}; the simulated API server does not orphan a pod from its controller`,
        );
      }
    }
    const before = JSON.stringify([pod.labels, pod.annotations ?? {}]);
    pod.labels = { ...(labels as Record<string, string>) };
    pod.annotations = { ...(annotations as Record<string, string>) };
    if (JSON.stringify([pod.labels, pod.annotations]) !== before) {
      pod.resourceVersion = this.nextVersion();
      this.settle(`pod ${namespace}/${name} relabelled`);
    }
    return this.renderPodRecord(pod);
  }

  /**
   * DELETE of a Deployment, StatefulSet or DaemonSet, with background propagation: the workload (and a
   * Deployment's ReplicaSet) goes at once, and the garbage collector deletes its pods, each gracefully. Removing
   * a workload is not a disruption its budgets count. Undefined if not found.
   */
  deleteWorkload(
    resource: ServedResource,
    namespace: string,
    name: string,
    options: { gracePeriodSeconds?: number } = {},
  ): Json | undefined {
    this.advance();
    const index = this.workloads.findIndex(
      (w) => w.kind === resource.kind && w.namespace === namespace && w.name === name,
    );
    const wl = this.workloads[index];
    if (!wl) return undefined;
    const rendered = this.workloadJson(resource, wl) ?? {};
    this.workloads.splice(index, 1);
    this.recordDeletion(resource, rendered);
    if (wl.kind === 'Deployment') this.recordDeletion(REPLICASETS, renderReplicaSet(wl));
    for (const pod of [...wl.pods]) this.terminate(pod, options.gracePeriodSeconds);
    this.settle();
    return rendered;
  }

  /** DELETE of a pod: graceful termination that ignores budgets (so it can violate one). Undefined if not found. */
  deletePod(namespace: string, name: string, options: { gracePeriodSeconds?: number } = {}): Json | undefined {
    this.advance();
    const pod = this.pods.get(podKey(namespace, name));
    if (!pod) return undefined;
    this.terminate(pod, options.gracePeriodSeconds);
    this.settle(`pod ${namespace}/${name} deleted`);
    return this.renderPodRecord(pod);
  }

  // ---- the API server's view -------------------------------------------------------------------------------

  /** Everything discovery lists: the built-in resources plus the types of stored objects. */
  servedResources(): ServedResource[] {
    return [...BUILTIN_RESOURCES, ...this.store.resources()];
  }

  /** The objects of a served resource, in one namespace or all. */
  listObjects(resource: ServedResource, namespace?: string): Json[] {
    const inNs = (ns: string) => namespace === undefined || ns === namespace;
    switch (resourceId(resource)) {
      case resourceId(NODES):
        return [...this.nodes.values()].map(renderNode);
      case resourceId(NAMESPACES):
        return [...this.namespaces.values()].map(renderNamespace);
      case resourceId(PODS):
        return [...this.pods.values()].filter((p) => inNs(p.namespace)).map((p) => this.renderPodRecord(p));
      case resourceId(BUDGETS):
        return [...this.budgets.values()].filter((b) => inNs(b.namespace)).map(renderBudget);
      case resourceId(DEPLOYMENTS):
      case resourceId(STATEFULSETS):
      case resourceId(DAEMONSETS):
      case resourceId(REPLICASETS):
        return this.workloads
          .filter((w) => inNs(w.namespace) && this.workloadJson(resource, w) !== undefined)
          .map((w) => this.workloadJson(resource, w) ?? {});
    }
    return this.store.list(resource, namespace);
  }

  /**
   * The objects of a served resource in list order (`<namespace>/<name>`) after the key `after`, without copying
   * stored objects: list responses page through this instead of the whole collection.
   */
  listRange(resource: ServedResource, namespace: string | undefined, after: string | undefined): StoredRange {
    const own = this.ownRange(resource, namespace, after);
    const siblings = this.siblingsOf(resource);
    if (siblings.length === 0) return own;
    // Objects stored through another version (or a cohabitating group) are the same objects: the API server
    // returns them in the version asked for. Fields are not converted here; apiVersion and kind are.
    const merged = new Map<string, Json>();
    for (const sibling of siblings) {
      for (const e of this.store.range(sibling, namespace, after).entries) {
        merged.set(e.key, { ...e.object, apiVersion: groupVersion(resource), kind: resource.kind });
      }
    }
    for (const e of own.entries) merged.set(e.key, e.object);
    const entries = sortedByKey([...merged.entries()], ([key]) => key).map(([key, object]) => ({ key, object }));
    return { total: entries.length, entries };
  }

  /** Stored resources that share `resource`'s storage under another version or group. */
  private siblingsOf(resource: ServedResource): ServedResource[] {
    const storage = storageKey(resource);
    return this.store.resources().filter((r) => resourceId(r) !== resourceId(resource) && storageKey(r) === storage);
  }

  private ownRange(resource: ServedResource, namespace: string | undefined, after: string | undefined): StoredRange {
    if (!BUILTIN_IDS.has(resourceId(resource))) return this.store.range(resource, namespace, after);
    const keyed = this.listObjects(resource, namespace)
      .map((object) => {
        const meta = asObject(object.metadata);
        return { key: `${String(meta.namespace ?? '')}/${String(meta.name ?? '')}`, object };
      })
      .filter((e) => after === undefined || e.key > after);
    return { total: keyed.length, entries: sortedByKey(keyed, (e) => e.key) };
  }

  /** One object of a served resource, or undefined. */
  getObject(resource: ServedResource, namespace: string | undefined, name: string): Json | undefined {
    const ns = namespace ?? '';
    switch (resourceId(resource)) {
      case resourceId(NODES): {
        const node = this.nodes.get(name);
        return node && renderNode(node);
      }
      case resourceId(NAMESPACES): {
        const record = this.namespaces.get(name);
        return record && renderNamespace(record);
      }
      case resourceId(PODS): {
        const pod = this.pods.get(podKey(ns, name));
        return pod && this.renderPodRecord(pod);
      }
      case resourceId(BUDGETS): {
        const budget = this.budgets.get(podKey(ns, name));
        return budget && renderBudget(budget);
      }
    }
    const own = BUILTIN_IDS.has(resourceId(resource))
      ? this.listObjects(resource, ns).find((o) => asObject(o.metadata).name === name)
      : this.store.get(resource, namespace, name);
    if (own) return own;
    for (const sibling of this.siblingsOf(resource)) {
      const found = this.store.get(sibling, namespace, name);
      if (found) return { ...found, apiVersion: groupVersion(resource), kind: resource.kind };
    }
    return undefined;
  }

  /** POST of a stored resource (configmaps). Throws KubeApiError: 404 namespace, 409 AlreadyExists, 400, 422, 405. */
  createObject(resource: ServedResource, namespace: string, body: Json): Json {
    if (resourceId(resource) === resourceId(BUDGETS)) return renderBudget(this.createBudget(namespace, body));
    return this.store.create(resource, namespace, body);
  }

  /** True when `resource`'s objects are stored as clients write them (configmaps, services, seeded kinds). */
  isStored(resource: ServedResource): boolean {
    return !BUILTIN_IDS.has(resourceId(resource)) && this.store.holds(resource);
  }

  /**
   * PUT of a stored resource, or the result of a PATCH: written where the object is stored (through its own
   * version, or the version it was stored through). Throws KubeApiError: 404, 409 Conflict, 400, 405.
   */
  updateObject(resource: ServedResource, namespace: string | undefined, name: string, body: Json): Json {
    this.advance();
    const holder = [resource, ...this.siblingsOf(resource)].find((r) => this.store.has(r, namespace, name)) ?? resource;
    const written = this.store.update(holder, namespace, name, body);
    return { ...written, apiVersion: groupVersion(resource), kind: resource.kind };
  }

  /** DELETE of a stored resource (configmaps): the deleted object, or undefined. Throws KubeApiError 405. */
  deleteObject(resource: ServedResource, namespace: string, name: string): Json | undefined {
    return this.store.delete(resource, namespace, name);
  }

  private createBudget(namespace: string, body: Json): BudgetRecord {
    if (!this.namespaces.has(namespace)) throw notFound(NAMESPACES, namespace);
    const meta = asObject(body.metadata);
    if (meta.namespace !== undefined && meta.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const parsed = parseBudgetObject(body);
    if ('invalid' in parsed) throw invalid(BUDGETS, parsed.name, parsed.invalid);
    if (this.budgets.has(podKey(namespace, parsed.name))) throw alreadyExists(BUDGETS, parsed.name);
    const budget = this.addBudget(namespace, parsed);
    this.settle();
    return budget;
  }

  private addBudget(namespace: string, b: BudgetObject): BudgetRecord {
    const budget: BudgetRecord = {
      namespace,
      name: b.name,
      uid: uidFor(`pdb/${namespace}/${b.name}/${++this.serial}`),
      createdMs: this.nowMs(),
      resourceVersion: this.nextVersion(),
      generation: 1,
      spec: b.spec,
      matchLabels: b.matchLabels,
      status: { expectedPods: 0, desiredHealthy: 0, currentHealthy: 0, disruptionsAllowed: 0, syncFailed: false },
      conditionSinceMs: this.nowMs(),
    };
    this.budgets.set(podKey(namespace, b.name), budget);
    return budget;
  }

  // ---- controllers -------------------------------------------------------------------------------------------

  /**
   * Brings the world to rest after a change: controllers create missing pods, the scheduler binds pending pods,
   * the disruption controller recomputes budgets. `disruption` names a change that removed pods without asking
   * their budgets (a DELETE, a node termination); a budget it pushes below its desired count is a violation.
   */
  private settle(disruption?: string): void {
    for (let round = 0; round < 1000; round++) {
      const created = this.reconcileControllers();
      this.schedulePending();
      if (created === 0) break;
    }
    this.refreshBudgets(disruption);
    if (!this.seeding) this.rollOut();
  }

  /** Deployment and StatefulSet controllers replacing pods of an older template, one step at a time (rollout.ts). */
  private rollOut(): void {
    for (let round = 0; round < 100; round++) {
      let acted = false;
      for (const wl of this.workloads) {
        const step = rolloutStep(wl, (pod) => this.budgetsFor(pod).map((b) => b.status.disruptionsAllowed));
        if (!step) continue;
        acted = true;
        applyRolloutStep(step, {
          createPod: (w) => this.createPod(w, this.generatedName(w)),
          terminate: (pod) => this.terminate(pod, undefined),
        });
        for (let r = 0; r < 1000 && this.reconcileControllers() > 0; r++) this.schedulePending();
        this.schedulePending();
        this.refreshBudgets(
          step.kind === 'terminate' ? `the rollout of ${wl.kind} ${wl.namespace}/${wl.name}` : undefined,
        );
      }
      if (!acted) return;
    }
  }

  /**
   * Applies a client's update of a Deployment or StatefulSet (the result of a PATCH): `spec.replicas` and the pod
   * template's annotations; a changed template starts a rollout. Throws KubeApiError (404, 422, 409).
   */
  updateWorkload(resource: ServedResource, namespace: string, name: string, updated: Json): Json {
    const kind = resource.kind;
    const wl = this.workloads.find((w) => w.kind === kind && w.namespace === namespace && w.name === name);
    if (!wl) throw notFound(resource, name);
    if (applyWorkloadUpdate(resource, wl, updated)) {
      wl.resourceVersion = this.nextVersion();
      this.scaleDown(wl);
      this.settle();
    }
    return this.workloadJson(resource, wl) ?? {};
  }

  /**
   * A lower replica count: the ReplicaSet controller deletes the surplus, pending and not-ready pods first, then
   * the newest; a StatefulSet removes the highest ordinals. Budgets do not apply: scaling is not an eviction.
   * https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#scaling-a-replicaset
   */
  private scaleDown(wl: WorkloadRecord): void {
    if (wl.kind !== 'Deployment' && wl.kind !== 'StatefulSet') return;
    const active = [...this.pods.values()].filter((p) => p.workload === wl && p.deletionMs === undefined);
    const surplus = active.length - wl.replicas;
    if (surplus <= 0) return;
    const order =
      wl.kind === 'StatefulSet'
        ? active.sort((a, b) => b.name.localeCompare(a.name, undefined, { numeric: true }))
        : active.sort((a, b) => Number(a.ready) - Number(b.ready) || b.name.localeCompare(a.name));
    for (const pod of order.slice(0, surplus)) this.terminate(pod, undefined);
  }

  /** Pods bound to the node that are not DaemonSet pods, terminating ones included (they still run there). */
  podsBoundToNode(name: string): number {
    this.advance();
    return [...(this.nodePods.get(name) ?? [])].filter((p) => p.workload.kind !== 'DaemonSet').length;
  }

  /** Stores (or replaces) an object the simulator owns, such as a Karpenter NodeClaim; served read-only. */
  putObject(resource: ServedResource, object: Json): void {
    this.store.put(resource, object);
  }

  /** Removes an object the simulator owns (a controller's deletion, such as a NodeClaim's). */
  discardObject(resource: ServedResource, name: string, namespace?: string): void {
    this.store.discard(resource, namespace, name);
  }

  /** Serves a resource (discovery, empty lists) before any object of it exists, as an installed CRD does. */
  serveResource(resource: ServedResource): void {
    this.store.register(resource);
  }

  private reconcileControllers(): number {
    let created = 0;
    for (const wl of this.workloads) {
      for (const missing of missingPods(wl, this.pods, this.nodes.values())) {
        if (wl.kind === 'Pod') wl.created = true;
        this.createPod(wl, missing.name ?? this.generatedName(wl), missing.node);
        created++;
      }
    }
    return created;
  }

  private generatedName(wl: WorkloadRecord): string {
    for (;;) {
      const name = `${generateNamePrefix(wl)}-${safeString(`${wl.uid}/${++this.serial}`, 5)}`;
      if (!this.pods.has(podKey(wl.namespace, name))) return name;
    }
  }

  private createPod(wl: WorkloadRecord, name: string, node?: NodeRecord): void {
    const serial = ++this.serial;
    const pod: PodRecord = {
      namespace: wl.namespace,
      name,
      uid: uidFor(`pod/${wl.namespace}/${name}/${serial}`),
      serial,
      createdMs: this.nowMs(),
      resourceVersion: this.nextVersion(),
      workload: wl,
      labels: podLabelsFor(wl, name),
      phase: 'Pending',
      ready: false,
      templateRevision: wl.templateRevision ?? 0,
    };
    const profile = fargateProfileFor(this.fargateProfiles, wl.namespace);
    if (profile !== undefined) pod.labels[FARGATE_PROFILE_LABEL] = profile;
    this.pods.set(podKey(wl.namespace, name), pod);
    wl.pods.add(pod);
    if (node) this.bind(pod, node);
  }

  /** Binds every pending pod that fits somewhere, in creation order; records why the others do not fit. */
  private schedulePending(): void {
    const pending = [...this.pods.values()]
      .filter((p) => p.nodeName === undefined && !isTerminating(p))
      .sort((a, b) => a.serial - b.serial);
    for (const pod of pending) {
      const profile = pod.labels[FARGATE_PROFILE_LABEL];
      if (profile !== undefined) {
        // The Fargate scheduler gives the pod a micro-VM of its own, with the control plane's kubelet version.
        const spec = fargateNodeSpec({
          region: this.region,
          profile,
          serial: pod.serial,
          kubeletVersion: this.gitVersion,
        });
        this.bind(pod, this.registerNode(spec));
        continue;
      }
      const choice = chooseNode(pod, this.nodes.values(), this.nodePods);
      if ('node' in choice) {
        this.bind(pod, choice.node);
      } else if (pod.unschedulableMessage !== choice.message) {
        pod.unschedulableMessage = choice.message;
        pod.resourceVersion = this.nextVersion();
      }
    }
  }

  private bind(pod: PodRecord, node: NodeRecord): void {
    pod.nodeName = node.spec.name;
    pod.scheduledMs = this.nowMs();
    pod.podIp = podIpFor(pod.serial);
    pod.unschedulableMessage = undefined;
    pod.resourceVersion = this.nextVersion();
    this.nodePods.get(node.spec.name)?.add(pod);
    const startup = this.seeding ? 0 : pod.workload.startupSeconds;
    if (startup <= 0) {
      this.startPod(pod);
      return;
    }
    // Image pull and start-up: the pod stays Pending until its containers run and pass their readiness probe.
    const key = podKey(pod.namespace, pod.name);
    pod.startupEvent = this.scheduler.after(startup * 1000, `pod ${key} Ready`, () => {
      if (this.pods.get(key) !== pod || isTerminating(pod)) return;
      this.startPod(pod);
      this.settle();
    });
  }

  private startPod(pod: PodRecord): void {
    pod.phase = 'Running';
    pod.ready = !pod.workload.neverReady;
    pod.runningSinceMs = this.nowMs();
    pod.startupEvent = undefined;
    pod.resourceVersion = this.nextVersion();
  }

  /**
   * Graceful deletion: `deletionTimestamp` is set now and the kubelet removes the pod after the grace period.
   * A pod never bound to a node, or a zero grace period, is deleted at once; a shorter grace period than the
   * one running brings the deletion forward, a longer one never delays it.
   * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
   */
  private terminate(pod: PodRecord, gracePeriodSeconds: number | undefined): void {
    const grace = Math.max(0, gracePeriodSeconds ?? pod.workload.terminationGracePeriodSeconds);
    const now = this.nowMs();
    if (pod.nodeName === undefined || grace === 0) {
      pod.deletionMs ??= now;
      pod.deletionGraceSeconds = 0;
      this.removePod(pod);
      return;
    }
    if (pod.deletionMs !== undefined) {
      const currentEnd = pod.deletionMs + (pod.deletionGraceSeconds ?? 0) * 1000;
      if (now + grace * 1000 >= currentEnd) return;
      if (pod.deletionEvent !== undefined) this.scheduler.cancel(pod.deletionEvent);
    }
    if (pod.startupEvent !== undefined) this.scheduler.cancel(pod.startupEvent);
    pod.startupEvent = undefined;
    pod.deletionMs = now;
    pod.deletionGraceSeconds = grace;
    pod.resourceVersion = this.nextVersion();
    const key = podKey(pod.namespace, pod.name);
    pod.deletionEvent = this.scheduler.after(grace * 1000, `pod ${key} terminated`, () => {
      if (this.pods.get(key) !== pod) return;
      this.removePod(pod);
      this.settle();
    });
  }

  private removePod(pod: PodRecord): void {
    if (pod.startupEvent !== undefined) this.scheduler.cancel(pod.startupEvent);
    if (pod.deletionEvent !== undefined) this.scheduler.cancel(pod.deletionEvent);
    const key = podKey(pod.namespace, pod.name);
    if (this.pods.get(key) === pod) {
      this.recordDeletion(PODS, this.renderPodRecord(pod));
      this.pods.delete(key);
    }
    if (pod.nodeName !== undefined) this.nodePods.get(pod.nodeName)?.delete(pod);
    pod.workload.pods.delete(pod);
    this.nextVersion();
    const node = pod.nodeName === undefined ? undefined : this.nodes.get(pod.nodeName);
    if (node?.spec.groupKind === 'fargate' && this.nodePods.get(node.spec.name)?.size === 0) {
      // A Fargate micro-VM lives as long as its pod.
      this.recordDeletion(NODES, renderNode(node));
      this.nodes.delete(node.spec.name);
      this.nodePods.delete(node.spec.name);
    }
  }

  private markNodeReady(node: NodeRecord): void {
    node.ready = true;
    node.readySinceMs = this.nowMs();
    node.readyEvent = undefined;
    node.resourceVersion = this.nextVersion();
  }

  // ---- disruption controller ---------------------------------------------------------------------------------

  private budgetsFor(pod: PodRecord): BudgetRecord[] {
    return sortedByKey(
      [...this.budgets.values()].filter((b) => b.namespace === pod.namespace && this.selects(b, pod)),
      (b) => b.name,
    );
  }

  private selects(budget: BudgetRecord, pod: PodRecord): boolean {
    return Object.entries(budget.matchLabels).every(([k, v]) => pod.labels[k] === v);
  }

  /** The controller's scale the disruption controller finds through the pod's owner (Deployment via its ReplicaSet). */
  private budgetView(pod: PodRecord): BudgetPod {
    const wl = pod.workload;
    const scalable = wl.kind === 'Deployment' || wl.kind === 'StatefulSet';
    return {
      ready: pod.ready,
      terminating: isTerminating(pod),
      controller: scalable ? { key: wl.uid, scale: wl.replicas } : undefined,
    };
  }

  private refreshBudgets(disruption: string | undefined): void {
    const now = this.nowMs();
    for (const budget of this.budgets.values()) {
      const before = budget.status;
      const matched = [...this.pods.values()].filter(
        (p) => p.namespace === budget.namespace && this.selects(budget, p),
      );
      const after = computeBudgetStatus(
        budget.spec,
        matched.map((p) => this.budgetView(p)),
      );
      if (disruption && before.currentHealthy >= before.desiredHealthy && after.currentHealthy < after.desiredHealthy) {
        this.stats.pdbViolations++;
        this.stats.incidents.push(
          `${kubeTime(now)} PodDisruptionBudget ${budget.namespace}/${budget.name} violated by ${disruption}: ${after.currentHealthy} healthy, needs ${after.desiredHealthy}`,
        );
      }
      if (JSON.stringify(before) === JSON.stringify(after)) continue;
      if (before.disruptionsAllowed > 0 !== after.disruptionsAllowed > 0 || before.syncFailed !== after.syncFailed) {
        budget.conditionSinceMs = now;
      }
      budget.status = after;
      budget.resourceVersion = this.nextVersion();
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  private nextVersion(): number {
    const version = ++this.resourceVersion;
    if (this.changeListeners.size > 0 && !this.changeQueued) {
      this.changeQueued = true;
      queueMicrotask(() => {
        this.changeQueued = false;
        for (const listener of [...this.changeListeners]) listener();
      });
    }
    return version;
  }

  /** Keeps a deleted object (its last state, at the deletion's resourceVersion) for watches that started earlier. */
  private recordDeletion(resource: ServedResource, object: Json): void {
    const version = this.nextVersion();
    const meta = asObject(object.metadata);
    this.tombstones.push({
      storage: storageKey(resource),
      key: `${String(meta.namespace ?? '')}/${String(meta.name ?? '')}`,
      version,
      object: { ...object, metadata: { ...meta, resourceVersion: String(version) } },
    });
    if (this.tombstones.length > this.tombstonesKept) {
      const dropped = this.tombstones.splice(0, this.tombstones.length - this.tombstonesKept);
      this.compactedThrough = dropped[dropped.length - 1]?.version ?? this.compactedThrough;
    }
  }

  private requireNode(name: string): NodeRecord {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`node ${name} does not exist in cluster ${this.clusterName}`);
    return node;
  }

  private ensureNamespace(name: string): void {
    if (this.namespaces.has(name)) return;
    this.namespaces.set(name, {
      name,
      uid: uidFor(`ns/${name}`),
      createdMs: this.nowMs(),
      resourceVersion: this.nextVersion(),
    });
  }

  private workloadJson(resource: ServedResource, wl: WorkloadRecord): Json | undefined {
    switch (resource.plural) {
      case 'deployments':
        return wl.kind === 'Deployment' ? renderDeployment(wl) : undefined;
      case 'replicasets':
        return wl.kind === 'Deployment' ? renderReplicaSet(wl) : undefined;
      case 'statefulsets':
        return wl.kind === 'StatefulSet' ? renderStatefulSet(wl) : undefined;
      case 'daemonsets':
        return wl.kind === 'DaemonSet' ? renderDaemonSet(wl, this.nodes.size) : undefined;
    }
    return undefined;
  }

  private renderPodRecord(pod: PodRecord): Json {
    return renderPod(pod, pod.nodeName === undefined ? undefined : this.nodes.get(pod.nodeName)?.internalIp);
  }

  private summary(pod: PodRecord): SimPodSummary {
    const wl = pod.workload;
    const owner =
      wl.kind === 'Deployment'
        ? { ownerKind: 'ReplicaSet' as const, ownerName: wl.replicaSet?.name ?? wl.name }
        : wl.kind === 'Pod'
          ? {}
          : { ownerKind: wl.kind, ownerName: wl.name };
    return {
      namespace: pod.namespace,
      name: pod.name,
      ...(pod.nodeName !== undefined && { nodeName: pod.nodeName }),
      ...owner,
      ready: pod.ready,
      terminating: isTerminating(pod),
      hasEmptyDir: wl.emptyDir,
    };
  }
}
