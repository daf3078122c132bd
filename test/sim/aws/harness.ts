/**
 * Test harness for the simulated AWS account: a small in-memory Kubernetes double implementing SimKubeCluster
 * (nodes, pods with owners, a PodDisruptionBudget-like switch that blocks evictions) and a world builder that
 * wires the account to the real SDK clients.
 */
import { createAwsClients } from '../../../lib/aws/clients.js';
import { everyAwsClient } from '../../../lib/aws/every-client.js';
import { SimAccount } from '../../../sim/aws/index.js';
import type {
  SimDisruptionStats,
  SimEvictionResult,
  SimKubeCluster,
  SimNodeSpec,
  SimPodSummary,
  SimTaint,
} from '../../../sim/kube/types.js';
import { parseScenario } from '../../../sim/scenario.js';
import type { SimScheduler } from '../../../sim/scheduler.js';
import { SimScheduler as Scheduler } from '../../../sim/scheduler.js';

interface FakeNode {
  spec: SimNodeSpec;
  ready: boolean;
  unschedulable: boolean;
  taints: SimTaint[];
}

interface FakePod {
  namespace: string;
  name: string;
  nodeName?: string;
  ownerKind?: 'ReplicaSet' | 'StatefulSet' | 'DaemonSet';
  ownerName?: string;
  /** Name of the budget protecting the pod; evictions are blocked while `blockEvictions` is on. */
  pdb?: string;
}

export class FakeKube implements SimKubeCluster {
  readonly nodes = new Map<string, FakeNode>();
  readonly pods = new Map<string, FakePod>();
  readonly evictions: string[] = [];
  readonly removedNodes: Array<{ name: string; podsAtRemoval: number }> = [];
  /** The PDB-like switch: when on, evicting a pod that has a `pdb` answers `blocked`. */
  blockEvictions = false;
  private stats: SimDisruptionStats = { pdbViolations: 0, podsLost: 0, incidents: [] };
  private podSeq = 0;

  constructor(private readonly scheduler: SimScheduler) {}

  addNode(spec: SimNodeSpec): void {
    const node: FakeNode = {
      spec,
      ready: spec.startupSeconds === 0,
      unschedulable: false,
      taints: [...(spec.taints ?? [])],
    };
    this.nodes.set(spec.name, node);
    if (!node.ready && Number.isFinite(spec.startupSeconds)) {
      this.scheduler.after(spec.startupSeconds * 1000, `node ${spec.name} ready`, () => {
        node.ready = true;
      });
    }
  }

  removeNode(name: string): void {
    const lost = [...this.pods.values()].filter((p) => p.nodeName === name);
    this.removedNodes.push({ name, podsAtRemoval: lost.filter((p) => p.ownerKind !== 'DaemonSet').length });
    for (const p of lost) {
      this.pods.delete(`${p.namespace}/${p.name}`);
      if (p.ownerKind !== 'DaemonSet') {
        this.stats.podsLost++;
        this.stats.incidents.push(`pod ${p.namespace}/${p.name} lost with node ${name}`);
      }
    }
    this.nodes.delete(name);
  }

  setUnschedulable(name: string, unschedulable: boolean): void {
    const node = this.nodes.get(name);
    if (node) node.unschedulable = unschedulable;
  }

  setNodeReady(name: string, ready: boolean): void {
    const node = this.nodes.get(name);
    if (node) node.ready = ready;
  }

  addTaint(name: string, taint: SimTaint): void {
    const node = this.nodes.get(name);
    if (node && !node.taints.some((t) => t.key === taint.key)) node.taints.push(taint);
  }

  removeTaint(name: string, key: string): void {
    const node = this.nodes.get(name);
    if (node) node.taints = node.taints.filter((t) => t.key !== key);
  }

  evictPod(namespace: string, name: string): SimEvictionResult {
    const key = `${namespace}/${name}`;
    const pod = this.pods.get(key);
    if (!pod) return { outcome: 'not-found', message: `pods "${name}" not found` };
    if (this.blockEvictions && pod.pdb) {
      return {
        outcome: 'blocked',
        pdb: `${namespace}/${pod.pdb}`,
        message: "Cannot evict pod as it would violate the pod's disruption budget.",
      };
    }
    this.evictions.push(key);
    this.pods.delete(key);
    if (pod.ownerKind === 'ReplicaSet' || pod.ownerKind === 'StatefulSet')
      this.schedulePod({ ...pod, name: this.nextName(pod) });
    return { outcome: 'evicted', message: 'evicted' };
  }

  podsOnNode(name: string): SimPodSummary[] {
    return [...this.pods.values()]
      .filter((p) => p.nodeName === name)
      .map((p) => ({
        namespace: p.namespace,
        name: p.name,
        nodeName: name,
        ready: true,
        terminating: false,
        hasEmptyDir: false,
        ...(p.ownerKind ? { ownerKind: p.ownerKind } : {}),
        ...(p.ownerName ? { ownerName: p.ownerName } : {}),
      }));
  }

  nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  isNodeReady(name: string): boolean {
    return this.nodes.get(name)?.ready ?? false;
  }

  disruptionStats(): SimDisruptionStats {
    return { ...this.stats, incidents: [...this.stats.incidents] };
  }

  node(name: string): FakeNode | undefined {
    return this.nodes.get(name);
  }

  /** Places `replicas` pods of a Deployment (owned by a ReplicaSet) on schedulable nodes, spreading them. */
  addDeployment(name: string, replicas: number, options: { pdb?: string; namespace?: string } = {}): void {
    for (let i = 0; i < replicas; i++) {
      this.schedulePod({
        namespace: options.namespace ?? 'default',
        name: `${name}-${++this.podSeq}`,
        ownerKind: 'ReplicaSet',
        ownerName: `${name}-7d9f8c`,
        ...(options.pdb ? { pdb: options.pdb } : {}),
      });
    }
  }

  /** One DaemonSet pod on every node. */
  addDaemonSet(name: string): void {
    for (const node of this.nodes.keys()) {
      const pod: FakePod = {
        namespace: 'kube-system',
        name: `${name}-${++this.podSeq}`,
        nodeName: node,
        ownerKind: 'DaemonSet',
        ownerName: name,
      };
      this.pods.set(`${pod.namespace}/${pod.name}`, pod);
    }
  }

  private nextName(pod: FakePod): string {
    return `${pod.ownerName ?? pod.name}-${++this.podSeq}`;
  }

  /** Schedules on the Ready, schedulable, untainted node with the fewest pods (pending if there is none). */
  private schedulePod(pod: FakePod): void {
    const candidates = [...this.nodes.values()].filter(
      (n) => n.ready && !n.unschedulable && !n.taints.some((t) => t.effect === 'NoSchedule'),
    );
    const load = (n: FakeNode) => [...this.pods.values()].filter((p) => p.nodeName === n.spec.name).length;
    const target = candidates.sort((a, b) => load(a) - load(b) || a.spec.name.localeCompare(b.spec.name))[0];
    const { nodeName: _previous, ...rest } = pod;
    const placed: FakePod = target ? { ...rest, nodeName: target.spec.name } : rest;
    this.pods.set(`${placed.namespace}/${placed.name}`, placed);
  }
}

export const START = Date.parse('2026-11-21T02:00:00Z');

/** A simulated world from a scenario document, with the real SDK clients wired to it. */
export function createWorld(doc: Record<string, unknown>) {
  const scenario = parseScenario({ name: 'test', ...doc });
  let now = Date.parse(scenario.startTime);
  const scheduler = new Scheduler(() => now);
  const kubes = new Map<string, FakeKube>();
  for (const c of scenario.clusters) kubes.set(c.name, new FakeKube(scheduler));
  const versionChanges: Array<{ cluster: string; version: string }> = [];
  const account = new SimAccount({
    scenario,
    scheduler,
    kubeFor: (cluster) => {
      const kube = kubes.get(cluster);
      if (!kube) throw new Error(`no fake kube for ${cluster}`);
      return kube;
    },
    kubeEndpoint: (cluster) => `https://127.0.0.1:6443/${cluster}`,
    onClusterVersionChange: (cluster, version) => versionChanges.push({ cluster, version }),
  });
  account.start();
  const clientsFor = (region: string) =>
    createAwsClients({
      classes: everyAwsClient,
      region,
      credentials: { accessKeyId: 'AKIDSIM', secretAccessKey: 'sim' },
      maxAttempts: 1,
      interceptor: account.interceptor,
    });
  const region = scenario.clusters[0]?.region ?? 'eu-west-1';
  return {
    scenario,
    scheduler,
    account,
    versionChanges,
    aws: clientsFor(region),
    clientsFor,
    kube: (cluster: string) => kubes.get(cluster) as FakeKube,
    nowMs: () => now,
    /** Moves the simulated clock forward and runs every event due. */
    advance(ms: number) {
      now += ms;
      scheduler.advance();
    },
    /** Moves the simulated clock without running events (the next entry point runs them). */
    advanceClockOnly(ms: number) {
      now += ms;
    },
    /** Steps the clock until `done` holds (checked after each step); returns the simulated time it took. */
    async runUntil(done: () => boolean | Promise<boolean>, options: { stepMs?: number; limitMs?: number } = {}) {
      const step = options.stepMs ?? 5_000;
      const limit = options.limitMs ?? 4 * 3600_000;
      const start = now;
      while (!(await done())) {
        if (now - start > limit) throw new Error(`condition not met within ${limit / 60_000} simulated minutes`);
        now += step;
        scheduler.advance();
      }
      return now - start;
    },
  };
}

export type World = ReturnType<typeof createWorld>;
