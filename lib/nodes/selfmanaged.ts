import {
  type AutoScalingClient,
  type AutoScalingGroup,
  CreateOrUpdateTagsCommand,
  DeleteTagsCommand,
  DescribeAutoScalingGroupsCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { ApiException, PatchStrategy, setHeaderOptions, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { PodEvictionBlocked, RequestRejected } from '../errors.js';
import { type KubeApis, listAll } from '../kube/index.js';
import type { Log } from '../runtime/log.js';
import { minorOf } from '../versions/index.js';
import { launchTemplateForVersion } from './ami.js';
import { pauseClusterAutoscaler, resumeClusterAutoscaler } from './autoscaler.js';
import { type DrainingNode, describeBlockers, drainingNodes, findEvictionBlockers } from './blockers.js';

/** Tags and annotations that make a rotation resumable from the group's and the nodes' real state. */
export const rotationMarks = {
  originalCapacity: 'eks-upgrade/original-capacity',
  rotationTarget: 'eks-upgrade/rotation-target',
  drainStarted: 'eks-upgrade.io/drain-started',
  taintKey: 'eks-upgrade.io/rotating',
} as const;

export interface RotationOptions {
  /** Give up on a node whose pods have not left after this long (EKS uses 15 minutes for managed groups). */
  drainTimeoutSeconds: number;
  /** Evict pods that no controller will recreate (kubectl drain --force). */
  evictBarePods: boolean;
  /** Evict pods with emptyDir data, which is lost (kubectl drain --delete-emptydir-data). */
  evictEmptyDirPods: boolean;
}

export const defaultRotationOptions: RotationOptions = {
  drainTimeoutSeconds: 900,
  evictBarePods: false,
  evictEmptyDirPods: false,
};

export interface SelfManagedProgress {
  done: boolean;
  nodegroup: string;
  /** The rotation's identity, stable across calls (the state machine carries it like an update id). */
  updateId: string;
  phase: 'launching' | 'draining' | 'finishing' | 'done';
  waitSeconds: number;
  nodesUpgraded: number;
  nodesTotal: number;
  startedAt?: string;
  detail: string;
  /** The old nodes being drained now, what is left on them, and the budgets holding pods there. */
  draining?: DrainingNode[];
}

interface Capacity {
  desired: number;
  min: number;
  max: number;
}

function parseCapacity(value: string | undefined): Capacity | undefined {
  const m = /^(\d+)\/(\d+)\/(\d+)$/.exec(value ?? '');
  return m ? { desired: Number(m[1]), min: Number(m[2]), max: Number(m[3]) } : undefined;
}

function tagValue(group: AutoScalingGroup, key: string): string | undefined {
  return group.Tags?.find((t) => t.Key === key)?.Value;
}

async function describeGroup(autoscaling: AutoScalingClient, name: string): Promise<AutoScalingGroup> {
  const out = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  const group = out.AutoScalingGroups?.[0];
  if (!group)
    throw new RequestRejected(`Auto Scaling group ${name} does not exist; check the self-managed group's name`);
  return group;
}

function instanceIdOf(node: V1Node): string | undefined {
  return node.spec?.providerID?.split('/').pop();
}

function isReady(node: V1Node): boolean {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/**
 * Pods that must be gone before the node may go, as `kubectl drain` sees them: not DaemonSet, mirror or finished.
 * Terminating pods count until they are gone: terminating the node would cut their grace period short.
 */
function podsThatMustLeave(pods: V1Pod[]): V1Pod[] {
  return pods.filter((p) => {
    if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') return false;
    if (p.metadata?.annotations?.['kubernetes.io/config.mirror']) return false;
    return !(p.metadata?.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet');
  });
}

/** The launch template a group launches from: its own, or the one inside its mixed instances policy. */
function launchTemplateOf(group: AutoScalingGroup) {
  return group.LaunchTemplate ?? group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
}

/** A group on a launch configuration (or nothing): it cannot be given a new AMI, so it cannot be rotated. */
function noLaunchTemplate(group: AutoScalingGroup): RequestRejected {
  return new RequestRejected(
    group.LaunchConfigurationName
      ? `Auto Scaling group ${group.AutoScalingGroupName} launches from launch configuration ${group.LaunchConfigurationName}, which cannot be given the new AMI. ` +
          'Migrate it to a launch template (https://docs.aws.amazon.com/autoscaling/ec2/userguide/migrate-to-launch-templates.html) and rerun; nothing was changed.'
      : `Auto Scaling group ${group.AutoScalingGroupName} has no launch template; only launch-template groups can be rotated. Nothing was changed.`,
  );
}

/**
 * Makes sure the group launches the target version: resolves the AMI of the same family and architecture from
 * the SSM public parameter and points the group at a launch template version with it. Returns that version.
 */
async function ensureTargetLaunchTemplate(
  deps: { autoscaling: AutoScalingClient; ec2: EC2Client; ssm: SSMClient; log: Log },
  group: AutoScalingGroup,
  toVersion: string,
): Promise<{ version: number; imageId: string }> {
  const mixed = group.MixedInstancesPolicy?.LaunchTemplate;
  const template = launchTemplateOf(group);
  if (!template?.LaunchTemplateId) throw noLaunchTemplate(group);
  const moved = await launchTemplateForVersion(deps, {
    templateId: template.LaunchTemplateId,
    templateVersion: template.Version ?? '$Default',
    toVersion,
    owner: `group ${group.AutoScalingGroupName}`,
  });
  if (!moved.hadImage) {
    throw new RequestRejected(`launch template ${template.LaunchTemplateId} version ${template.Version} names no AMI`);
  }
  const { version } = moved;
  const imageId = moved.imageId ?? '';
  if (!moved.created) return { version, imageId };
  const spec = { LaunchTemplateId: template.LaunchTemplateId, Version: String(version) };
  await deps.autoscaling.send(
    new UpdateAutoScalingGroupCommand(
      mixed
        ? // A mixed instances policy keeps its instance types: the new version goes inside it, with its overrides.
          {
            AutoScalingGroupName: group.AutoScalingGroupName,
            MixedInstancesPolicy: {
              LaunchTemplate: {
                LaunchTemplateSpecification: spec,
                ...(mixed.Overrides ? { Overrides: mixed.Overrides } : {}),
              },
            },
          }
        : { AutoScalingGroupName: group.AutoScalingGroupName, LaunchTemplate: spec },
    ),
  );
  deps.log.info('launch template moved to the target AMI', { group: group.AutoScalingGroupName, imageId, version });
  return { version, imageId };
}

async function addRotationTaint(kube: KubeApis, node: V1Node): Promise<void> {
  const taints = node.spec?.taints ?? [];
  if (taints.some((t) => t.key === rotationMarks.taintKey)) return;
  // A NoSchedule taint keeps new pods away without cordoning: a cordoned node leaves load balancer target groups.
  await kube.core.patchNode(
    {
      name: node.metadata?.name ?? '',
      body: { spec: { taints: [...taints, { key: rotationMarks.taintKey, value: 'true', effect: 'NoSchedule' }] } },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

async function markDrainStarted(kube: KubeApis, node: V1Node, at: Date): Promise<number> {
  const existing = node.metadata?.annotations?.[rotationMarks.drainStarted];
  if (existing) return Date.parse(existing);
  await kube.core.patchNode(
    {
      name: node.metadata?.name ?? '',
      body: { metadata: { annotations: { [rotationMarks.drainStarted]: at.toISOString() } } },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  return at.getTime();
}

/** One pass of evictions over a node's pods. Returns the pods still on it that must leave first. */
async function evictPods(
  kube: KubeApis,
  nodeName: string,
  options: RotationOptions,
): Promise<{ remaining: V1Pod[]; refused: string[] }> {
  const pods: V1Pod[] = [];
  for await (const p of listAll((page) =>
    kube.core.listPodForAllNamespaces({ ...page, fieldSelector: `spec.nodeName=${nodeName}` }),
  )) {
    pods.push(p);
  }
  const remaining = podsThatMustLeave(pods);
  const refused: string[] = [];
  for (const pod of remaining) {
    if (pod.metadata?.deletionTimestamp) continue;
    const name = pod.metadata?.name ?? '';
    const namespace = pod.metadata?.namespace ?? 'default';
    const bare = !(pod.metadata?.ownerReferences ?? []).length;
    const emptyDir = (pod.spec?.volumes ?? []).some((v) => v.emptyDir);
    if ((bare && !options.evictBarePods) || (emptyDir && !options.evictEmptyDirPods)) {
      refused.push(
        `${namespace}/${name} (${bare ? 'no controller would recreate it' : 'its emptyDir data would be lost'})`,
      );
      continue;
    }
    try {
      // The Eviction API honours PodDisruptionBudgets: 429 means "not now", and the next pass tries again.
      await kube.core.createNamespacedPodEviction({
        name,
        namespace,
        body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } },
      });
    } catch (e) {
      if (e instanceof ApiException && e.code === 404) continue;
      if (e instanceof ApiException && e.code === 429) continue;
      throw e;
    }
  }
  return { remaining, refused };
}

/**
 * Rotates a self-managed Auto Scaling group to `toVersion`, one bounded step per call, from the real state of
 * the group and its nodes (so a crash is resumed by the next call): point the group at the target AMI, record its
 * capacity, taint old nodes NoSchedule, surge new nodes within the group's maximum, drain old nodes through the
 * Eviction API, terminate each only once empty, then restore the capacity.
 * Throws RequestRejected when the group has no room to surge (before changing anything), PodEvictionBlocked
 * when a node's pods do not leave within the drain timeout.
 */
export async function rotateSelfManagedGroup(
  deps: { autoscaling: AutoScalingClient; ec2: EC2Client; ssm: SSMClient; kube: KubeApis; log: Log; now: () => Date },
  request: {
    cluster: string;
    group: string;
    toVersion: string;
    startedAt?: string;
    options?: Partial<RotationOptions>;
  },
): Promise<SelfManagedProgress> {
  const options = { ...defaultRotationOptions, ...request.options };
  const group = await describeGroup(deps.autoscaling, request.group);
  // Refused before anything is recorded on the group: a launch configuration cannot take the new AMI.
  if (!launchTemplateOf(group)?.LaunchTemplateId) throw noLaunchTemplate(group);
  const recorded = parseCapacity(tagValue(group, rotationMarks.originalCapacity));
  const capacity: Capacity = recorded ?? {
    desired: group.DesiredCapacity ?? 0,
    min: group.MinSize ?? 0,
    max: group.MaxSize ?? 0,
  };
  const nodes = new Map<string, V1Node>();
  for await (const n of listAll((page) => deps.kube.core.listNode(page))) {
    const id = instanceIdOf(n);
    if (id) nodes.set(id, n);
  }
  const kubeletOnTarget = (id: string | undefined) => {
    const kubelet = id ? nodes.get(id)?.status?.nodeInfo?.kubeletVersion : undefined;
    return kubelet !== undefined && minorOf(kubelet) === request.toVersion;
  };
  const members = (group.Instances ?? []).filter(
    (i) => i.LifecycleState !== 'Terminating' && i.LifecycleState !== 'Terminated',
  );
  const progress = (
    phase: SelfManagedProgress['phase'],
    waitSeconds: number,
    counts: { upgraded: number; total: number },
    detail: string,
  ): SelfManagedProgress => ({
    done: phase === 'done',
    nodegroup: request.group,
    updateId: `self-managed:${request.group}:${request.toVersion}`,
    phase,
    waitSeconds,
    nodesUpgraded: counts.upgraded,
    nodesTotal: counts.total,
    startedAt: request.startedAt ?? deps.now().toISOString(),
    detail,
  });

  if (!recorded) {
    const old = members.filter((i) => !kubeletOnTarget(i.InstanceId)).length;
    if (old === 0)
      return progress(
        'done',
        0,
        { upgraded: members.length, total: members.length },
        `${request.group} already runs ${request.toVersion}`,
      );
    if (capacity.max <= capacity.desired) {
      throw new RequestRejected(
        `Auto Scaling group ${request.group} runs at its maximum (${capacity.desired} of ${capacity.max}), so no replacement node can start before an old one goes. ` +
          'Raise its MaxSize by at least 1 and rerun; nothing was changed.',
      );
    }
  }
  // The target launch template first: a template the rotation cannot move (one that names no AMI) is refused
  // before anything is recorded on the group. Moving the template changes no capacity, so nothing needs restoring.
  const target = await ensureTargetLaunchTemplate(deps, group, request.toVersion);
  if (!recorded) {
    // Record what to restore before any capacity changes, so that a crash at any later point can put the group back as it was.
    await deps.autoscaling.send(
      new CreateOrUpdateTagsCommand({
        Tags: [
          {
            ResourceId: request.group,
            ResourceType: 'auto-scaling-group',
            Key: rotationMarks.originalCapacity,
            Value: `${capacity.desired}/${capacity.min}/${capacity.max}`,
            PropagateAtLaunch: false,
          },
          {
            ResourceId: request.group,
            ResourceType: 'auto-scaling-group',
            Key: rotationMarks.rotationTarget,
            Value: request.toVersion,
            PropagateAtLaunch: false,
          },
        ],
      }),
    );
  }
  // cluster-autoscaler would scale the surge nodes away or fight the drain: it sleeps until the rotation ends.
  await pauseClusterAutoscaler(deps);
  // New instances are recognised by their launch template version, before their node even registers.
  const isNew = (i: (typeof members)[number]) =>
    i.LaunchTemplate?.Version === String(target.version) || kubeletOnTarget(i.InstanceId);
  const oldMembers = members.filter((i) => !isNew(i));
  const newMembers = members.filter(isNew);
  const counts = { upgraded: newMembers.length, total: Math.max(capacity.desired, members.length) };

  if (oldMembers.length === 0) {
    await deps.autoscaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: request.group,
        MinSize: capacity.min,
        MaxSize: capacity.max,
        DesiredCapacity: capacity.desired,
      }),
    );
    await deps.autoscaling.send(
      new DeleteTagsCommand({
        Tags: [rotationMarks.originalCapacity, rotationMarks.rotationTarget].map((Key) => ({
          ResourceId: request.group,
          ResourceType: 'auto-scaling-group',
          Key,
        })),
      }),
    );
    await resumeClusterAutoscaler(deps);
    deps.log.info('self-managed group rotated', { group: request.group, nodes: newMembers.length });
    return progress(
      'done',
      0,
      counts,
      `${request.group}: ${newMembers.length} nodes on ${request.toVersion}, capacity restored`,
    );
  }

  for (const i of oldMembers) {
    const node = i.InstanceId ? nodes.get(i.InstanceId) : undefined;
    if (node) await addRotationTaint(deps.kube, node);
  }

  // Surge: bring up replacements first, as many as the group's maximum allows and old nodes remain.
  const wanted = Math.min(capacity.max, capacity.desired + oldMembers.length);
  const surplus = members.length - capacity.desired;
  if (surplus <= 0 && (group.DesiredCapacity ?? 0) < wanted) {
    await deps.autoscaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: request.group, DesiredCapacity: wanted }),
    );
    return progress(
      'launching',
      30,
      counts,
      `${request.group}: launching ${wanted - capacity.desired} replacement nodes`,
    );
  }
  const notReady = newMembers.filter((i) => {
    const node = i.InstanceId ? nodes.get(i.InstanceId) : undefined;
    return i.LifecycleState !== 'InService' || !node || !isReady(node);
  });
  if (notReady.length > 0 || (group.DesiredCapacity ?? 0) > members.length) {
    return progress('launching', 15, counts, `${request.group}: waiting for new nodes to be Ready`);
  }

  // Drain as many old nodes as there are spare new ones; terminate each only once nothing that must move is left.
  const draining = [...oldMembers]
    .sort((a, b) => (a.InstanceId ?? '').localeCompare(b.InstanceId ?? ''))
    .slice(0, Math.max(1, surplus));
  let terminated = 0;
  const stillDraining: Array<{ name: string; cordoned: boolean }> = [];
  for (const member of draining) {
    const node = member.InstanceId ? nodes.get(member.InstanceId) : undefined;
    const nodeName = node?.metadata?.name;
    if (node && nodeName) {
      const startedMs = await markDrainStarted(deps.kube, node, deps.now());
      const { remaining, refused } = await evictPods(deps.kube, nodeName, options);
      if (refused.length > 0) {
        await resumeClusterAutoscaler(deps);
        throw new PodEvictionBlocked(
          `self-managed group ${request.group} will not drain ${nodeName}: ${refused.join(', ')}. ` +
            'The node was not terminated. Move or delete those pods, or allow it in the policy, then rerun: the rotation resumes where it stopped.',
        );
      }
      if (remaining.length > 0) {
        if (deps.now().getTime() - startedMs > options.drainTimeoutSeconds * 1000) {
          const blockers = await findEvictionBlockers(deps.kube, [nodeName]);
          await resumeClusterAutoscaler(deps);
          throw new PodEvictionBlocked(
            `self-managed group ${request.group} could not drain ${nodeName} within ${options.drainTimeoutSeconds} s: ${describeBlockers(blockers)}. ` +
              'Nothing was forced and the node was not terminated; relax or satisfy the budgets, then rerun: the rotation resumes where it stopped.',
          );
        }
        stillDraining.push({ name: nodeName, cordoned: node.spec?.unschedulable === true });
        continue;
      }
    }
    await deps.autoscaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({
        InstanceId: member.InstanceId,
        ShouldDecrementDesiredCapacity: true,
      }),
    );
    terminated++;
  }
  const drainingNow = await drainingNodes(deps.kube, stillDraining);
  return {
    ...progress(
      'draining',
      terminated > 0 ? 5 : 10,
      counts,
      `${request.group}: ${newMembers.length} new, ${oldMembers.length - terminated} old nodes left${terminated ? `, ${terminated} terminated` : ''}`,
    ),
    ...(drainingNow.length ? { draining: drainingNow } : {}),
  };
}
