/**
 * A simulated Karpenter (v1) for one cluster: NodePools, their NodeClaims and EC2NodeClasses served as the CRDs
 * (karpenter.sh/v1, karpenter.k8s.aws/v1), and the disruption controller's answer to drift.
 *
 * - Drift: an EC2NodeClass whose `amiSelectorTerms` alias is `<family>@latest` resolves to the newest EKS-optimized
 *   AMI for the control plane's version; once the control plane moves, nodes launched from the older AMI are
 *   Drifted. A pinned alias (`@v20250915`) never drifts. https://karpenter.sh/docs/concepts/disruption/#drift
 * - Replacement: a drifted node is replaced by launching a new NodeClaim first, waiting for it to be Ready, then
 *   tainting the old node `karpenter.sh/disrupted:NoSchedule`, evicting its pods through the Eviction API (which
 *   honours PodDisruptionBudgets; a 429 is retried) and deleting the node once nothing but DaemonSet pods is left.
 *   https://karpenter.sh/docs/concepts/disruption/#termination-controller
 * - Budgets: at most `nodes` of a NodePool (a count, or a percentage of the pool's nodes rounded up) are disrupted
 *   at once; with several budgets the most restrictive wins; `nodes: "0"` stops voluntary disruption.
 *   https://karpenter.sh/docs/concepts/disruption/#nodepool-disruption-budgets
 * Not modelled: provisioning for pending pods, consolidation, expiration, schedules and reasons on budgets.
 */
import type { ScenarioCluster } from '../scenario.js';
import type { SimScheduler } from '../scheduler.js';
import { hexFor } from './naming.js';
import { storedResource } from './resources.js';
import type { SimKubernetes } from './state.js';

export const NODEPOOLS = storedResource('karpenter.sh/v1', 'NodePool', 'nodepools', false);
export const NODECLAIMS = storedResource('karpenter.sh/v1', 'NodeClaim', 'nodeclaims', false);
export const EC2_NODE_CLASSES = storedResource('karpenter.k8s.aws/v1', 'EC2NodeClass', 'ec2nodeclasses', false);
/** EKS Auto Mode's node class (https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html). */
export const AUTO_MODE_NODE_CLASSES = storedResource('eks.amazonaws.com/v1', 'NodeClass', 'nodeclasses', false);

export const NODEPOOL_LABEL = 'karpenter.sh/nodepool';
const DISRUPTED_TAINT = 'karpenter.sh/disrupted';
/** How often the simulated disruption controller looks again while it has work. */
const RECONCILE_MS = 10_000;

/** A pool as the simulated controller runs it; `autoMode` pools are EKS Auto Mode's, whose AMI AWS chooses. */
type NodePoolSpec = NonNullable<ScenarioCluster['karpenter']>['nodePools'][number] & { autoMode?: boolean };

interface KarpenterNode {
  name: string;
  claim: string;
  pool: string;
  /** The Kubernetes minor of the AMI the node was launched from. */
  minor: string;
  phase: 'running' | 'replacing' | 'draining';
  replacement?: string;
}

export interface SimKarpenterOptions {
  kube: SimKubernetes;
  scheduler: SimScheduler;
  cluster: ScenarioCluster;
  /** The kubelet version EKS-optimized AMIs ship for a minor (the AWS catalog's). */
  kubeletVersionFor(minor: string): string;
}

/** Nodes a budget allows to be disrupted at once in a pool of `total` nodes (percentages round up). */
export function budgetAllows(nodes: string | number, total: number): number {
  const text = String(nodes);
  if (text.endsWith('%')) return Math.ceil((total * Number(text.slice(0, -1))) / 100);
  return Number(text);
}

export class SimKarpenter {
  private readonly nodes = new Map<string, KarpenterNode>();
  private readonly pools: NodePoolSpec[];
  private controlPlane: string;
  private loop: number | undefined;
  private serial = 0;

  constructor(private readonly options: SimKarpenterOptions) {
    // EKS Auto Mode runs Karpenter for the cluster, with AMIs AWS picks for the control plane's version: its
    // nodes drift as `@latest` ones do (https://docs.aws.amazon.com/eks/latest/userguide/auto-upgrade.html).
    const autoMode = (options.cluster.autoMode?.nodePools ?? []).map((p) => ({
      ...p,
      amiAlias: 'bottlerocket@latest',
      autoMode: true,
    }));
    this.pools = [...(options.cluster.karpenter?.nodePools ?? []), ...autoMode];
    this.controlPlane = options.cluster.version;
  }

  /** Serves the CRDs and launches each pool's initial nodes, Ready at once (the world starts steady). */
  start(): void {
    const { kube } = this.options;
    const own = this.pools.some((p) => !p.autoMode);
    const auto = this.pools.some((p) => p.autoMode);
    for (const resource of [NODEPOOLS, NODECLAIMS]) kube.serveResource(resource);
    if (own) kube.serveResource(EC2_NODE_CLASSES);
    if (auto) {
      kube.serveResource(AUTO_MODE_NODE_CLASSES);
      kube.putObject(AUTO_MODE_NODE_CLASSES, {
        metadata: { name: 'default' },
        spec: { role: 'AmazonEKSAutoNodeRole', ephemeralStorage: { size: '80Gi' } },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      });
    }
    for (const pool of this.pools) {
      if (!pool.autoMode) this.putNodeClass(pool);
      kube.putObject(NODEPOOLS, {
        metadata: { name: pool.name },
        spec: {
          template: {
            metadata: { labels: {} },
            spec: {
              nodeClassRef: pool.autoMode
                ? { group: 'eks.amazonaws.com', kind: 'NodeClass', name: 'default' }
                : { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: pool.name },
              requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: [pool.instanceType] }],
            },
          },
          disruption: {
            consolidationPolicy: 'WhenEmptyOrUnderutilized',
            consolidateAfter: '0s',
            budgets: pool.budgets.map((b) => ({ nodes: String(b.nodes) })),
          },
        },
      });
      for (let i = 0; i < pool.nodes; i++) this.launch(pool, this.targetMinor(pool), 0);
    }
  }

  /** The control plane moved to `minor`: `@latest` node classes resolve to its AMI, older nodes drift. */
  onControlPlaneVersion(minor: string): void {
    this.controlPlane = minor;
    for (const pool of this.pools) if (!pool.autoMode) this.putNodeClass(pool);
    this.schedule();
  }

  private targetMinor(pool: NodePoolSpec): string {
    return pool.amiAlias.endsWith('@latest') ? this.controlPlane : this.options.cluster.version;
  }

  private putNodeClass(pool: NodePoolSpec): void {
    const [family = 'al2023'] = pool.amiAlias.split('@');
    const minor = this.targetMinor(pool);
    this.options.kube.putObject(EC2_NODE_CLASSES, {
      metadata: { name: pool.name },
      spec: {
        amiFamily: family.toUpperCase(),
        amiSelectorTerms: [{ alias: pool.amiAlias }],
        role: 'KarpenterNodeRole',
      },
      status: {
        amis: [{ id: `ami-${hexFor(`${family}/${minor}`, 17)}`, name: `${family}-eks-node-${minor}` }],
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
  }

  private launch(pool: NodePoolSpec, minor: string, startupSeconds: number): string {
    const serial = ++this.serial;
    const region = this.options.cluster.region;
    const name = `ip-10-1-${Math.floor(serial / 250) % 250}-${(serial % 250) + 4}.${region}.compute.internal`;
    const claim = `${pool.name}-${hexFor(`${this.options.cluster.name}/${serial}`, 5)}`;
    const instanceId = `i-0${hexFor(`karpenter/${this.options.cluster.name}/${serial}`, 16)}`;
    const zone = `${region}${'abc'[serial % 3]}`;
    const family = pool.amiAlias.split('@')[0] ?? 'al2023';
    this.options.kube.addNode({
      name,
      instanceId,
      availabilityZone: zone,
      group: pool.name,
      groupKind: 'karpenter',
      kubeletVersion: this.options.kubeletVersionFor(minor),
      osImage: pool.autoMode
        ? `Bottlerocket (EKS Auto, Standard) 2025.11.21 (aws-k8s-${minor})`
        : family === 'bottlerocket'
          ? 'Bottlerocket OS 1.44.0'
          : family === 'al2'
            ? 'Amazon Linux 2'
            : 'Amazon Linux 2023',
      instanceType: pool.instanceType,
      maxPods: pool.maxPodsPerNode,
      labels: {
        [NODEPOOL_LABEL]: pool.name,
        'karpenter.sh/capacity-type': 'on-demand',
        'karpenter.sh/registered': 'true',
        'karpenter.sh/initialized': 'true',
        ...(pool.autoMode
          ? { 'eks.amazonaws.com/compute-type': 'auto', 'eks.amazonaws.com/nodeclass': 'default' }
          : { 'karpenter.k8s.aws/ec2nodeclass': pool.name }),
      },
      startupSeconds,
    });
    this.nodes.set(name, { name, claim, pool: pool.name, minor, phase: 'running' });
    this.putClaim(this.nodes.get(name) as KarpenterNode, `aws:///${zone}/${instanceId}`);
    return name;
  }

  private putClaim(node: KarpenterNode, providerID?: string, drifted = false): void {
    const current = this.options.kube.getObject(NODECLAIMS, undefined, node.claim);
    const status = (current?.status ?? {}) as Record<string, unknown>;
    this.options.kube.putObject(NODECLAIMS, {
      metadata: { name: node.claim, labels: { [NODEPOOL_LABEL]: node.pool } },
      spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: node.pool } },
      status: {
        ...status,
        nodeName: node.name,
        ...(providerID && { providerID }),
        conditions: [
          { type: 'Ready', status: 'True' },
          ...(drifted ? [{ type: 'Drifted', status: 'True', reason: 'AMIDrift' }] : []),
        ],
      },
    });
  }

  private schedule(): void {
    if (this.loop !== undefined) return;
    this.loop = this.options.scheduler.after(RECONCILE_MS, 'karpenter disruption', () => {
      this.loop = undefined;
      if (this.reconcile()) this.schedule();
    });
  }

  /** One pass of the disruption and termination controllers; true while work remains. */
  private reconcile(): boolean {
    const { kube } = this.options;
    let busy = false;
    for (const pool of this.pools) {
      const members = [...this.nodes.values()].filter((n) => n.pool === pool.name);
      for (const node of members) {
        if (node.phase === 'replacing' && node.replacement && kube.isNodeReady(node.replacement)) {
          kube.addTaint(node.name, { key: DISRUPTED_TAINT, effect: 'NoSchedule' });
          node.phase = 'draining';
        }
        if (node.phase === 'draining') {
          for (const pod of kube.podsOnNode(node.name)) {
            if (pod.ownerKind !== 'DaemonSet') kube.evictPod(pod.namespace, pod.name);
          }
          if (kube.podsBoundToNode(node.name) === 0) {
            kube.removeNode(node.name);
            kube.discardObject(NODECLAIMS, node.claim);
            this.nodes.delete(node.name);
          }
        }
      }
      const target = this.targetMinor(pool);
      const current = [...this.nodes.values()].filter((n) => n.pool === pool.name);
      const inFlight = current.filter((n) => n.phase !== 'running').length;
      const drifted = current
        .filter((n) => n.phase === 'running' && n.minor !== target)
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      // Replacements are not counted: the budget is over the nodes the pool had when disruption was decided.
      const total =
        current.length -
        current.filter((n) => [...this.nodes.values()].some((o) => o.replacement === n.name && o.phase !== 'running'))
          .length;
      const allowed = Math.min(...pool.budgets.map((b) => budgetAllows(b.nodes, total))) - inFlight;
      for (const node of drifted.slice(0, Math.max(0, allowed))) {
        this.putClaim(node, undefined, true);
        node.replacement = this.launch(pool, target, pool.nodeStartupSeconds);
        node.phase = 'replacing';
      }
      if (inFlight > 0 || drifted.length > 0) busy = true;
    }
    return busy;
  }
}
