/**
 * A managed node group version update, phase by phase as "Managed node update behavior" describes it
 * (https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html):
 *
 * - Setup: a new launch template version with the target AMI; the Auto Scaling group uses it; maxUnavailable
 *   from the node group's updateConfig.
 * - Scale up: the group's max and desired grow by the larger of twice its Availability Zones and maxUnavailable
 *   (never beyond what the group ran, so the scale-down has no surplus to kill); the step succeeds when every new
 *   node is Ready; old nodes are then tainted `eks.amazonaws.com/nodegroup=unschedulable:NoSchedule`.
 * - Upgrade: up to maxUnavailable old nodes at a time are drained by evicting their pods (blocked evictions are
 *   retried); pods still there after 15 minutes fail the update with PodEvictionFailure unless `force`; a drained
 *   node is cordoned, 60 seconds later terminated through the Auto Scaling group, and replaced while the group
 *   has fewer new nodes than it ran before.
 * - Scale down: max and desired return to their values before the update.
 */
import type { ErrorDetail, Issue } from '@aws-sdk/client-eks';
import type { SimKubeCluster, SimTaint } from '../kube/types.js';
import type { SimScheduler } from '../scheduler.js';
import type { SimAsgInstance, SimAutoScaling, SimAutoScalingGroup } from './autoscaling.js';
import type { AmiImage } from './catalog.js';
import type { SimEc2, SimLaunchTemplate } from './ec2.js';

const SETUP_MS = 30_000;
const TICK_MS = 5_000;
/** "If the Pods don't leave the node within 15 minutes and there's no force flag, the upgrade phase fails." */
const DRAIN_LIMIT_MS = 15 * 60_000;
/** "It cordons the node after every Pod is evicted and waits for 60 seconds." */
const CORDON_WAIT_MS = 60_000;
/** EKS does not publish how long it waits for new nodes to join; 20 minutes is the simulator's choice. */
const NODE_JOIN_LIMIT_MS = 20 * 60_000;
const SCALE_DOWN_MS = 30_000;

/** The taint EKS puts on old nodes during the scale-up phase. */
export const UNSCHEDULABLE_TAINT: SimTaint = {
  key: 'eks.amazonaws.com/nodegroup',
  value: 'unschedulable',
  effect: 'NoSchedule',
};

export interface NodegroupUpdateTarget {
  cluster: string;
  nodegroup: string;
  asg: SimAutoScalingGroup;
  launchTemplate: SimLaunchTemplate;
  image: AmiImage;
  /** The node group's sizes before the update (EKS restores them in the scale-down phase). */
  desiredSize: number;
  maxSize: number;
  maxUnavailable?: number | undefined;
  maxUnavailablePercentage?: number | undefined;
  force: boolean;
}

export type NodegroupUpdateOutcome =
  | { status: 'Successful' }
  | { status: 'Failed'; errors: ErrorDetail[]; nodegroupStatus: 'ACTIVE' | 'DEGRADED'; issues: Issue[] };

interface Draining {
  instance: SimAsgInstance;
  startMs: number;
  cordonedAtMs?: number;
  terminated: boolean;
}

export class NodegroupUpdateRun {
  private phase: 'setup' | 'scale-up' | 'upgrade' | 'scale-down' | 'done' = 'setup';
  private maxUnavailable = 1;
  private waitSinceMs = 0;
  private readonly draining = new Map<string, Draining>();

  constructor(
    private readonly deps: { scheduler: SimScheduler; kube: SimKubeCluster; autoscaling: SimAutoScaling; ec2: SimEc2 },
    private readonly target: NodegroupUpdateTarget,
    private readonly finish: (outcome: NodegroupUpdateOutcome) => void,
  ) {}

  start(): void {
    this.deps.scheduler.after(SETUP_MS, `nodegroup ${this.target.nodegroup} setup`, () => this.setup());
  }

  private get now(): number {
    return this.deps.scheduler.nowMs();
  }

  private isNew = (i: SimAsgInstance) => i.imageId === this.target.image.imageId;

  private active(): SimAsgInstance[] {
    return this.deps.autoscaling.activeInstances(this.target.asg);
  }

  private setup(): void {
    const { asg, launchTemplate: lt, image } = this.target;
    // Setup phase: a launch template version with the target AMI, used by the Auto Scaling group.
    const latest = this.deps.ec2.resolveVersion(lt, '$Latest');
    let version = latest;
    if (!latest || latest.data.ImageId !== image.imageId) {
      version = this.deps.ec2.addLaunchTemplateVersion(
        lt,
        { ImageId: image.imageId },
        {
          createdBy: 'eks.amazonaws.com',
          description: `EKS managed node group update to ${image.releaseVersion}`,
          ...(latest ? { source: latest } : {}),
        },
      );
      lt.defaultVersion = version.versionNumber;
    }
    asg.launchTemplate = { ...asg.launchTemplate, version: String(version?.versionNumber ?? 1) };
    const { maxUnavailable, maxUnavailablePercentage, desiredSize } = this.target;
    this.maxUnavailable = Math.min(
      100,
      maxUnavailable ?? Math.max(1, Math.floor((desiredSize * (maxUnavailablePercentage ?? 0)) / 100)),
    );

    const active = this.active();
    if (!active.some((i) => !this.isNew(i))) {
      this.enterScaleDown();
      return;
    }
    // Scale-up phase: increment max and desired by the larger of twice the zones and maxUnavailable.
    const zones = asg.subnets.length;
    const newCount = active.filter(this.isNew).length;
    const surge = Math.max(0, Math.min(Math.max(2 * zones, this.maxUnavailable), desiredSize) - newCount);
    this.phase = 'scale-up';
    this.waitSinceMs = this.now;
    this.deps.autoscaling.setCapacity(asg, { max: asg.maxSize + surge, desired: asg.desiredCapacity + surge });
    this.scheduleTick();
  }

  private scheduleTick(): void {
    this.deps.scheduler.after(TICK_MS, `nodegroup ${this.target.nodegroup} update`, () => this.tick());
  }

  private tick(): void {
    if (this.phase === 'scale-up') this.scaleUpStep();
    else if (this.phase === 'upgrade') this.upgradeStep();
    if (this.phase === 'scale-up' || this.phase === 'upgrade') this.scheduleTick();
  }

  private newNodesNotReady(): SimAsgInstance[] {
    return this.active().filter((i) => this.isNew(i) && i.lifecycle !== 'InService');
  }

  private scaleUpStep(): void {
    const pending = this.newNodesNotReady();
    if (pending.length) {
      if (this.now - this.waitSinceMs >= NODE_JOIN_LIMIT_MS) this.failNodeCreation(pending);
      return;
    }
    // Old nodes become unschedulable so that evicted pods land on the new nodes.
    for (const old of this.active().filter((i) => !this.isNew(i))) {
      this.deps.kube.addTaint(old.nodeName, { ...UNSCHEDULABLE_TAINT });
    }
    this.phase = 'upgrade';
    this.upgradeStep();
  }

  private upgradeStep(): void {
    for (const d of this.draining.values()) {
      if (d.terminated) continue;
      if (d.cordonedAtMs !== undefined) {
        if (this.now - d.cordonedAtMs >= CORDON_WAIT_MS) this.terminate(d);
        continue;
      }
      this.drain(d);
      if (this.phase === 'done') return;
    }

    const inFlight = [...this.draining.values()].filter((d) => !d.terminated).length;
    const candidates = this.active()
      .filter((i) => !this.isNew(i) && !this.draining.has(i.instanceId))
      .sort((a, b) => a.launchedAtMs - b.launchedAtMs || a.instanceId.localeCompare(b.instanceId));
    for (const instance of candidates.slice(0, Math.max(0, this.maxUnavailable - inFlight))) {
      const d: Draining = { instance, startMs: this.now, terminated: false };
      this.draining.set(instance.instanceId, d);
      this.drain(d);
      if (this.phase === 'done') return;
    }

    const oldLeft = this.active().some((i) => !this.isNew(i));
    const busy = [...this.draining.values()].some((d) => !d.terminated);
    if (oldLeft || busy) {
      this.waitSinceMs = this.now;
      return;
    }
    // Replacements launched for terminated nodes must be Ready before the scale-down phase.
    const pending = this.newNodesNotReady();
    if (!pending.length) this.enterScaleDown();
    else if (this.now - this.waitSinceMs >= NODE_JOIN_LIMIT_MS) this.failNodeCreation(pending);
  }

  /** Evicts what is left on the node (DaemonSet pods stay, as with `kubectl drain --ignore-daemonsets`). */
  private drain(d: Draining): void {
    const { kube } = this.deps;
    const node = d.instance.nodeName;
    const evictable = () => kube.podsOnNode(node).filter((p) => p.ownerKind !== 'DaemonSet');
    const blocked = new Set<string>();
    for (const pod of evictable()) {
      const result = kube.evictPod(pod.namespace, pod.name);
      if (result.outcome === 'blocked') blocked.add(`${pod.namespace}/${pod.name}`);
    }
    const remaining = evictable();
    // With force, pods a PodDisruptionBudget protects are deleted with the node instead of failing the update.
    const drained =
      remaining.length === 0 || (this.target.force && remaining.every((p) => blocked.has(`${p.namespace}/${p.name}`)));
    if (drained) {
      kube.setUnschedulable(node, true);
      d.cordonedAtMs = this.now;
      return;
    }
    if (this.now - d.startMs >= DRAIN_LIMIT_MS && !this.target.force) this.failEviction();
  }

  private terminate(d: Draining): void {
    const { asg, desiredSize } = this.target;
    d.terminated = true;
    // Replace the node while the group has fewer new nodes than it ran before the update; otherwise shrink.
    const newCount = this.active().filter(this.isNew).length;
    this.deps.autoscaling.terminate(asg, d.instance.instanceId, {
      decrement: newCount >= desiredSize,
      cause: `an instance was taken out of service by the EKS managed node group update of ${this.target.nodegroup}`,
    });
  }

  private enterScaleDown(): void {
    this.phase = 'scale-down';
    const { asg, desiredSize, maxSize } = this.target;
    this.deps.autoscaling.setCapacity(asg, { max: maxSize, desired: desiredSize });
    this.deps.scheduler.after(SCALE_DOWN_MS, `nodegroup ${this.target.nodegroup} scale down`, () => {
      this.phase = 'done';
      this.finish({ status: 'Successful' });
    });
  }

  private failEviction(): void {
    const stuck = [...this.draining.values()]
      .filter((d) => !d.terminated && d.cordonedAtMs === undefined)
      .map((d) => d.instance.nodeName);
    this.phase = 'done';
    this.finish({
      status: 'Failed',
      nodegroupStatus: 'ACTIVE',
      issues: [],
      errors: [
        {
          errorCode: 'PodEvictionFailure',
          errorMessage: `Reached max retries while trying to evict pods from nodes in node group ${this.target.nodegroup}`,
          resourceIds: stuck,
        },
      ],
    });
  }

  private failNodeCreation(pending: SimAsgInstance[]): void {
    const ids = pending.map((i) => i.instanceId);
    this.phase = 'done';
    this.finish({
      status: 'Failed',
      nodegroupStatus: 'DEGRADED',
      issues: [
        { code: 'NodeCreationFailure', message: 'Instances failed to join the kubernetes cluster', resourceIds: ids },
      ],
      errors: [
        {
          errorCode: 'NodeCreationFailure',
          errorMessage: `Couldn't proceed with upgrade process as new nodes are not joining node group ${this.target.nodegroup}`,
          resourceIds: ids,
        },
      ],
    });
  }
}
