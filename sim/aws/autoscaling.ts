/**
 * Simulated Amazon EC2 Auto Scaling: the groups behind managed node groups and the self-managed node groups.
 * A group keeps its desired capacity: it launches instances from its launch template (they turn InService when
 * their node reports Ready) and terminates the surplus by the default termination policy. Every instance becomes a
 * node of the cluster's simulated Kubernetes.
 */
import type {
  ActivitiesType,
  Activity,
  ActivityType,
  AutoScalingGroup,
  AutoScalingGroupNamesType,
  AutoScalingGroupsType,
  AutoScalingInstancesType,
  CreateOrUpdateTagsType,
  DeleteTagsType,
  DescribeAutoScalingInstancesType,
  DescribeScalingActivitiesType,
  DescribeTagsType,
  LifecycleState,
  SetDesiredCapacityType,
  TagDescription,
  TagsType,
  TerminateInstanceInAutoScalingGroupType,
  UpdateAutoScalingGroupType,
} from '@aws-sdk/client-auto-scaling';
import { InvalidNextToken, ScalingActivityInProgressFault } from '@aws-sdk/client-auto-scaling';
import type { SimTaint } from '../kube/types.js';
import type { SimEc2, SimInstance, SimSubnet } from './ec2.js';
import { modelled, NotSimulatedError, unmodelled } from './errors.js';
import { uuidFrom } from './ids.js';
import type { SimAwsContext } from './types.js';
import { handler, matchesFilters, type PageLimits, paginate, type SimHandler } from './util.js';

/** Seconds from a termination request to the instance being gone (EC2 shutdown). */
const TERMINATION_SECONDS = 30;
/** Seconds from launch to the EC2 instance state `running`. */
const BOOT_SECONDS = 20;
/** How often, and for how long, the group re-checks a node that was not Ready at its expected start-up time. */
const READY_POLL_MS = 5_000;
const READY_POLL_LIMIT_MS = 10 * 60_000;

export interface SimAsgInstance {
  instanceId: string;
  lifecycle: LifecycleState;
  nodeName: string;
  availabilityZone: string;
  launchTemplateVersion: number;
  instanceType: string;
  imageId: string;
  kubeletVersion: string;
  protectedFromScaleIn: boolean;
  launchedAtMs: number;
}

export interface SimAutoScalingGroup {
  name: string;
  arn: string;
  region: string;
  cluster: string;
  kind: 'managed' | 'self-managed';
  /** The node group (managed) or self-managed group name the nodes carry. */
  group: string;
  /** The launch template the group launches from (inside its mixed instances policy, when it has one). */
  launchTemplate: { id: string; name: string; version: string };
  /** A mixed instances policy over `launchTemplate`: its overrides' instance types, launched in turn. */
  mixedInstances?: { instanceTypes: string[] };
  /**
   * A launch configuration the group launches from instead of a launch template (AWS's legacy way). Its image and
   * instance type are those of `launchTemplate`, which AWS then does not show.
   */
  launchConfigurationName?: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  subnets: SimSubnet[];
  instances: SimAsgInstance[];
  tags: Map<string, { value: string; propagateAtLaunch: boolean }>;
  createdTime: Date;
  instanceType: string;
  maxPods: number;
  nodeStartupSeconds: number;
  /** Fault injection: nodes of this group never turn Ready. */
  neverReady: boolean;
  /** Kubernetes labels and taints the node gets (EKS-applied labels for managed node groups). */
  nodeLabels: (instance: SimInstance) => Record<string, string>;
  nodeTaints: SimTaint[];
  activities: Activity[];
}

const validation = (message: string) => unmodelled('autoscaling', 'ValidationError', message);

/**
 * `MaxRecords` bounds from the Auto Scaling API reference (the service model states none): 100 for groups, tags
 * and scaling activities, 50 for instances.
 */
const maxRecords = (max: number): PageLimits => ({ member: 'maxRecords', min: 1, max, refuse: validation });

export class SimAutoScaling {
  readonly groups = new Map<string, SimAutoScalingGroup>();

  constructor(
    private readonly ctx: SimAwsContext,
    private readonly ec2: SimEc2,
  ) {}

  createGroup(
    options: Omit<SimAutoScalingGroup, 'arn' | 'instances' | 'tags' | 'createdTime' | 'activities'> & {
      tags: Record<string, string>;
    },
  ): SimAutoScalingGroup {
    const { tags, ...rest } = options;
    const asg: SimAutoScalingGroup = {
      ...rest,
      arn: `arn:aws:autoscaling:${options.region}:${this.ctx.accountId}:autoScalingGroup:${uuidFrom('asg', options.region, options.name)}:autoScalingGroupName/${options.name}`,
      instances: [],
      tags: new Map(Object.entries(tags).map(([k, v]) => [k, { value: v, propagateAtLaunch: true }])),
      createdTime: this.ctx.scheduler.now(),
      activities: [],
    };
    this.groups.set(asg.name, asg);
    return asg;
  }

  /** Launches the group's desired capacity as nodes that are already Ready (the world starts steady). */
  launchInitial(asg: SimAutoScalingGroup, options: { launchTime: Date }): void {
    for (let i = 0; i < asg.desiredCapacity; i++) {
      const instance = this.launch(asg, { startupSeconds: 0, launchTime: options.launchTime });
      if (!instance) continue;
      instance.lifecycle = 'InService';
      this.ec2.setState(instance.instanceId, 'running');
    }
  }

  /** Instances counting towards the desired capacity (not terminating). */
  activeInstances(asg: SimAutoScalingGroup): SimAsgInstance[] {
    return asg.instances.filter((i) => i.lifecycle === 'Pending' || i.lifecycle === 'InService');
  }

  /** Sets capacity without validation (EKS does this on the groups it owns), then converges. */
  setCapacity(asg: SimAutoScalingGroup, capacity: { min?: number; max?: number; desired?: number }): void {
    if (capacity.min !== undefined) asg.minSize = capacity.min;
    if (capacity.max !== undefined) asg.maxSize = capacity.max;
    if (capacity.desired !== undefined) asg.desiredCapacity = capacity.desired;
    this.reconcile(asg, 'a user request updated the group');
  }

  /** Launches or terminates instances until the active count equals the desired capacity. */
  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-termination-policies.html
  reconcile(asg: SimAutoScalingGroup, cause: string): void {
    while (this.activeInstances(asg).length < asg.desiredCapacity) {
      if (!this.launch(asg, { cause })) break;
    }
    while (this.activeInstances(asg).length > asg.desiredCapacity) {
      const victim = this.scaleInVictim(asg);
      if (!victim) break;
      this.terminate(asg, victim.instanceId, {
        decrement: false,
        cause: `${cause}, shrinking the capacity`,
        reconcile: false,
      });
    }
  }

  /**
   * Default termination policy: the Availability Zone with the most instances, then instances from the oldest
   * launch template version, then the oldest instance.
   */
  private scaleInVictim(asg: SimAutoScalingGroup): SimAsgInstance | undefined {
    const candidates = this.activeInstances(asg).filter((i) => !i.protectedFromScaleIn);
    if (!candidates.length) return undefined;
    const perZone = new Map<string, number>();
    for (const i of candidates) perZone.set(i.availabilityZone, (perZone.get(i.availabilityZone) ?? 0) + 1);
    const most = Math.max(...perZone.values());
    const zone = [...perZone.entries()]
      .filter(([, n]) => n === most)
      .map(([z]) => z)
      .sort()[0];
    return candidates
      .filter((i) => i.availabilityZone === zone)
      .sort((a, b) => a.launchTemplateVersion - b.launchTemplateVersion || a.launchedAtMs - b.launchedAtMs)[0];
  }

  /** The subnet of the Availability Zone with the fewest active instances (Auto Scaling balances zones). */
  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/auto-scaling-benefits.html#arch-AutoScalingMultiAZ
  private balancedSubnet(asg: SimAutoScalingGroup): SimSubnet | undefined {
    const active = this.activeInstances(asg);
    let best: SimSubnet | undefined;
    let bestCount = Number.POSITIVE_INFINITY;
    for (const subnet of asg.subnets) {
      const count = active.filter((i) => i.availabilityZone === subnet.availabilityZone).length;
      if (count < bestCount) {
        best = subnet;
        bestCount = count;
      }
    }
    return best;
  }

  private launch(
    asg: SimAutoScalingGroup,
    options: { startupSeconds?: number; launchTime?: Date; cause?: string },
  ): SimAsgInstance | undefined {
    const scheduler = this.ctx.scheduler;
    const now = scheduler.now();
    const lt = this.ec2.findLaunchTemplate(asg.region, { id: asg.launchTemplate.id });
    const version = lt ? this.ec2.resolveVersion(lt, asg.launchTemplate.version) : undefined;
    const image = this.ec2.resolveImage(asg.region, version?.data.ImageId);
    const subnet = this.balancedSubnet(asg);
    const activityId = uuidFrom('activity', asg.name, String(this.ctx.nextSeq('activity')));
    if (!lt || !version || !image || !subnet) {
      asg.activities.unshift({
        ActivityId: activityId,
        AutoScalingGroupName: asg.name,
        AutoScalingGroupARN: asg.arn,
        Description: 'Launching a new EC2 instance.  Status Reason: The image id does not exist.',
        Cause: `At ${now.toISOString()} an instance was started in response to a difference between desired and actual capacity.`,
        StartTime: now,
        EndTime: now,
        StatusCode: 'Failed',
        StatusMessage: `The image id '[${version?.data.ImageId ?? 'none'}]' does not exist. Launching EC2 instance failed.`,
        Progress: 100,
      });
      return undefined;
    }
    const propagated: Record<string, string> = {};
    for (const [k, t] of asg.tags) if (t.propagateAtLaunch) propagated[k] = t.value;
    // A mixed instances policy launches its overrides' types (in turn here, as a prioritized strategy would when
    // capacity allows); an override's type wins over the template's.
    const types = asg.mixedInstances?.instanceTypes ?? [];
    const instanceType =
      types.length > 0
        ? (types[asg.instances.length % types.length] ?? asg.instanceType)
        : (version.data.InstanceType ?? asg.instanceType);
    const instance = this.ec2.runInstance({
      region: asg.region,
      cluster: asg.cluster,
      subnet,
      image,
      instanceType,
      tags: { ...propagated, 'aws:autoscaling:groupName': asg.name, 'aws:ec2launchtemplate:id': lt.id },
      launchTemplate: { id: lt.id, name: lt.name, version: version.versionNumber },
      maxPods: asg.maxPods,
      ...(options.launchTime ? { launchTime: options.launchTime } : {}),
    });
    const member: SimAsgInstance = {
      instanceId: instance.instanceId,
      lifecycle: 'Pending',
      nodeName: instance.privateDnsName,
      availabilityZone: instance.availabilityZone,
      launchTemplateVersion: version.versionNumber,
      instanceType,
      imageId: image.imageId,
      kubeletVersion: image.kubeletVersion,
      protectedFromScaleIn: false,
      launchedAtMs: (options.launchTime ?? now).getTime(),
    };
    asg.instances.push(member);
    const startupSeconds =
      options.startupSeconds ?? (asg.neverReady ? Number.POSITIVE_INFINITY : asg.nodeStartupSeconds);
    this.ctx.kubeFor(asg.cluster).addNode({
      name: instance.privateDnsName,
      instanceId: instance.instanceId,
      availabilityZone: instance.availabilityZone,
      group: asg.group,
      groupKind: asg.kind,
      kubeletVersion: image.kubeletVersion,
      osImage: image.osImage,
      instanceType: instance.instanceType,
      maxPods: asg.maxPods,
      labels: {
        'kubernetes.io/arch': image.architecture === 'arm64' ? 'arm64' : 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': instance.privateDnsName,
        'node.kubernetes.io/instance-type': instance.instanceType,
        'topology.kubernetes.io/region': asg.region,
        'topology.kubernetes.io/zone': instance.availabilityZone,
        ...asg.nodeLabels(instance),
      },
      taints: asg.nodeTaints.map((t) => ({ ...t })),
      startupSeconds,
    });
    const activity: Activity = {
      ActivityId: activityId,
      AutoScalingGroupName: asg.name,
      AutoScalingGroupARN: asg.arn,
      Description: `Launching a new EC2 instance: ${instance.instanceId}`,
      Cause: `At ${now.toISOString()} ${options.cause ?? 'an instance was started in response to a difference between desired and actual capacity'}, increasing the capacity.`,
      StartTime: now,
      StatusCode: 'InProgress',
      Progress: 30,
    };
    asg.activities.unshift(activity);
    if (startupSeconds === 0) {
      activity.StatusCode = 'Successful';
      activity.Progress = 100;
      activity.EndTime = now;
      return member;
    }
    const bootMs = Number.isFinite(startupSeconds)
      ? Math.min(startupSeconds, BOOT_SECONDS) * 1000
      : BOOT_SECONDS * 1000;
    scheduler.after(bootMs, `ec2 ${instance.instanceId} running`, () => {
      if (instance.state === 'pending') this.ec2.setState(instance.instanceId, 'running');
    });
    if (Number.isFinite(startupSeconds)) {
      const readyAt = scheduler.nowMs() + startupSeconds * 1000;
      const check = () => {
        if (member.lifecycle !== 'Pending') return;
        if (this.ctx.kubeFor(asg.cluster).isNodeReady(member.nodeName)) {
          member.lifecycle = 'InService';
          activity.StatusCode = 'Successful';
          activity.Progress = 100;
          activity.EndTime = scheduler.now();
          return;
        }
        if (scheduler.nowMs() - readyAt < READY_POLL_LIMIT_MS) {
          scheduler.after(READY_POLL_MS, `asg ${asg.name} ${member.instanceId} ready?`, check);
        }
      };
      scheduler.at(readyAt, `asg ${asg.name} ${member.instanceId} ready?`, check);
    }
    return member;
  }

  /** Terminates an instance: the node disappears with its pods, the instance is gone 30 s later. */
  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-lifecycle.html
  terminate(
    asg: SimAutoScalingGroup,
    instanceId: string,
    options: { decrement: boolean; cause: string; reconcile?: boolean },
  ): Activity {
    const scheduler = this.ctx.scheduler;
    const member = asg.instances.find((i) => i.instanceId === instanceId);
    if (!member) throw new Error(`instance ${instanceId} is not in group ${asg.name}`);
    const now = scheduler.now();
    member.lifecycle = 'Terminating';
    if (options.decrement) asg.desiredCapacity = Math.max(0, asg.desiredCapacity - 1);
    this.ec2.setState(
      instanceId,
      'shutting-down',
      `User initiated (${now.toISOString().replace('T', ' ').slice(0, 19)} GMT)`,
    );
    this.ctx.kubeFor(asg.cluster).removeNode(member.nodeName);
    const activity: Activity = {
      ActivityId: uuidFrom('activity', asg.name, String(this.ctx.nextSeq('activity'))),
      AutoScalingGroupName: asg.name,
      AutoScalingGroupARN: asg.arn,
      Description: `Terminating EC2 instance: ${instanceId}`,
      Cause: `At ${now.toISOString()} ${options.cause}.`,
      StartTime: now,
      StatusCode: 'InProgress',
      Progress: 0,
    };
    asg.activities.unshift(activity);
    scheduler.after(TERMINATION_SECONDS * 1000, `asg ${asg.name} ${instanceId} terminated`, () => {
      member.lifecycle = 'Terminated';
      asg.instances = asg.instances.filter((i) => i !== member);
      this.ec2.setState(instanceId, 'terminated');
      activity.StatusCode = 'Successful';
      activity.Progress = 100;
      activity.EndTime = scheduler.now();
    });
    if (options.reconcile !== false) {
      this.reconcile(asg, 'an instance was started in response to a difference between desired and actual capacity');
    }
    return activity;
  }

  /** An instance terminated through EC2: the group replaces it. */
  handleEc2Termination(instanceId: string): void {
    for (const asg of this.groups.values()) {
      if (asg.instances.some((i) => i.instanceId === instanceId)) {
        this.terminate(asg, instanceId, { decrement: false, cause: 'an instance was terminated through EC2' });
        return;
      }
    }
    this.ec2.setState(instanceId, 'terminated');
  }

  commands(): Record<string, SimHandler> {
    return {
      DescribeAutoScalingGroups: handler(this.describeAutoScalingGroups),
      DescribeAutoScalingInstances: handler(this.describeAutoScalingInstances),
      UpdateAutoScalingGroup: handler(this.updateAutoScalingGroup),
      SetDesiredCapacity: handler(this.setDesiredCapacity),
      TerminateInstanceInAutoScalingGroup: handler(this.terminateInstanceInAutoScalingGroup),
      CreateOrUpdateTags: handler(this.createOrUpdateTags),
      DeleteTags: handler(this.deleteTags),
      DescribeTags: handler(this.describeTags),
      DescribeScalingActivities: handler(this.describeScalingActivities),
    };
  }

  // -------------------------------------------------------------------------------------------------------------
  // API

  private groupOrThrow(region: string, name: string | undefined): SimAutoScalingGroup {
    const asg = name ? this.groups.get(name) : undefined;
    if (!asg || asg.region !== region) {
      throw validation(`AutoScalingGroup name not found - AutoScalingGroup '${name ?? ''}' not found`);
    }
    return asg;
  }

  private invalidToken = () =>
    modelled(InvalidNextToken, 400, 'The token provided is not valid. Use the token from the previous response.', {});

  private tagDescriptions(asg: SimAutoScalingGroup): TagDescription[] {
    return [...asg.tags.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([Key, t]) => ({
        ResourceId: asg.name,
        ResourceType: 'auto-scaling-group',
        Key,
        Value: t.value,
        PropagateAtLaunch: t.propagateAtLaunch,
      }));
  }

  /**
   * Where a group launches from, as DescribeAutoScalingGroups shows it: exactly one of LaunchConfigurationName,
   * LaunchTemplate and MixedInstancesPolicy (whose LaunchTemplate holds the template and its overrides).
   */
  private launchSource(asg: SimAutoScalingGroup): Partial<AutoScalingGroup> {
    if (asg.launchConfigurationName) return { LaunchConfigurationName: asg.launchConfigurationName };
    const spec = {
      LaunchTemplateId: asg.launchTemplate.id,
      LaunchTemplateName: asg.launchTemplate.name,
      Version: asg.launchTemplate.version,
    };
    if (!asg.mixedInstances) return { LaunchTemplate: spec };
    return {
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: spec,
          Overrides: asg.mixedInstances.instanceTypes.map((InstanceType) => ({ InstanceType })),
        },
        InstancesDistribution: {
          OnDemandAllocationStrategy: 'prioritized',
          OnDemandBaseCapacity: 0,
          OnDemandPercentageAboveBaseCapacity: 100,
          SpotAllocationStrategy: 'lowest-price',
          SpotInstancePools: 2,
        },
      },
    };
  }

  /** What an instance launched from, as the group's instances list it. */
  private instanceSource(asg: SimAutoScalingGroup, i: SimAsgInstance) {
    if (asg.launchConfigurationName) return { LaunchConfigurationName: asg.launchConfigurationName };
    return {
      LaunchTemplate: {
        LaunchTemplateId: asg.launchTemplate.id,
        LaunchTemplateName: asg.launchTemplate.name,
        Version: String(i.launchTemplateVersion),
      },
    };
  }

  private groupOutput(asg: SimAutoScalingGroup): AutoScalingGroup {
    return {
      AutoScalingGroupName: asg.name,
      AutoScalingGroupARN: asg.arn,
      ...this.launchSource(asg),
      MinSize: asg.minSize,
      MaxSize: asg.maxSize,
      DesiredCapacity: asg.desiredCapacity,
      DefaultCooldown: 300,
      AvailabilityZones: asg.subnets.map((s) => s.availabilityZone),
      LoadBalancerNames: [],
      TargetGroupARNs: [],
      HealthCheckType: 'EC2',
      HealthCheckGracePeriod: asg.kind === 'managed' ? 15 : 300,
      Instances: asg.instances.map((i) => ({
        InstanceId: i.instanceId,
        InstanceType: i.instanceType,
        AvailabilityZone: i.availabilityZone,
        LifecycleState: i.lifecycle,
        HealthStatus: 'Healthy',
        ...this.instanceSource(asg, i),
        ProtectedFromScaleIn: i.protectedFromScaleIn,
      })),
      CreatedTime: asg.createdTime,
      SuspendedProcesses: [],
      VPCZoneIdentifier: asg.subnets.map((s) => s.subnetId).join(','),
      EnabledMetrics: [],
      Tags: this.tagDescriptions(asg),
      TerminationPolicies:
        asg.kind === 'managed' ? ['AllocationStrategy', 'OldestLaunchTemplate', 'OldestInstance'] : ['Default'],
      NewInstancesProtectedFromScaleIn: false,
      ServiceLinkedRoleARN: `arn:aws:iam::${this.ctx.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
      CapacityRebalance: asg.kind === 'managed',
    };
  }

  // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingGroups.html
  private describeAutoScalingGroups = (input: AutoScalingGroupNamesType, region: string): AutoScalingGroupsType => {
    const selected = [...this.groups.values()].filter(
      (asg) =>
        asg.region === region &&
        (!input.AutoScalingGroupNames?.length || input.AutoScalingGroupNames.includes(asg.name)) &&
        matchesFilters(input.Filters, (name) => {
          const tags = Object.fromEntries([...asg.tags.entries()].map(([k, t]) => [k, t.value]));
          if (name === 'tag-key') return Object.keys(tags);
          if (name === 'tag-value') return Object.values(tags);
          if (name.startsWith('tag:')) {
            const v = tags[name.slice(4)];
            return v === undefined ? [] : [v];
          }
          return undefined;
        }),
    );
    const { page, nextToken } = paginate(selected, {
      nextToken: input.NextToken,
      maxResults: input.MaxRecords,
      defaultMax: 50,
      limits: maxRecords(100),
      invalidToken: this.invalidToken,
    });
    return { AutoScalingGroups: page.map((g) => this.groupOutput(g)), ...(nextToken ? { NextToken: nextToken } : {}) };
  };

  // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingInstances.html
  private describeAutoScalingInstances = (
    input: DescribeAutoScalingInstancesType,
    region: string,
  ): AutoScalingInstancesType => {
    const rows = [...this.groups.values()]
      .filter((asg) => asg.region === region)
      .flatMap((asg) => asg.instances.map((i) => ({ asg, i })))
      .filter(({ i }) => !input.InstanceIds?.length || input.InstanceIds.includes(i.instanceId));
    const { page, nextToken } = paginate(rows, {
      nextToken: input.NextToken,
      maxResults: input.MaxRecords,
      defaultMax: 50,
      limits: maxRecords(50),
      invalidToken: this.invalidToken,
    });
    return {
      AutoScalingInstances: page.map(({ asg, i }) => ({
        InstanceId: i.instanceId,
        InstanceType: i.instanceType,
        AutoScalingGroupName: asg.name,
        AvailabilityZone: i.availabilityZone,
        LifecycleState: i.lifecycle,
        HealthStatus: 'HEALTHY',
        ...this.instanceSource(asg, i),
        ProtectedFromScaleIn: i.protectedFromScaleIn,
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  };

  /** A launch template specification of a request, resolved; ValidationError as Auto Scaling words it. */
  private resolveTemplate(
    region: string,
    spec: {
      LaunchTemplateId?: string | undefined;
      LaunchTemplateName?: string | undefined;
      Version?: string | undefined;
    },
  ): { id: string; name: string; version: string } {
    const lt = this.ec2.findLaunchTemplate(region, { id: spec.LaunchTemplateId, name: spec.LaunchTemplateName });
    const ref = spec.LaunchTemplateId ?? spec.LaunchTemplateName ?? '';
    if (!lt) {
      throw validation(
        `You must use a valid fully-formed launch template. The specified launch template, with template ${spec.LaunchTemplateId ? 'ID' : 'name'} ${ref}, does not exist.`,
      );
    }
    const version = spec.Version ?? '$Default';
    if (!this.ec2.resolveVersion(lt, version)) {
      throw validation(
        `You must use a valid fully-formed launch template. The specified launch template version ${version} of ${lt.id} does not exist.`,
      );
    }
    return { id: lt.id, name: lt.name, version };
  }

  // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_UpdateAutoScalingGroup.html: a new MinSize above
  // the current desired capacity raises it, a new MaxSize below it lowers it; an explicit DesiredCapacity must lie
  // within the bounds.
  private updateAutoScalingGroup = (input: UpdateAutoScalingGroupType, region: string): object => {
    const asg = this.groupOrThrow(region, input.AutoScalingGroupName);
    const min = input.MinSize ?? asg.minSize;
    const max = input.MaxSize ?? asg.maxSize;
    if (min > max) throw validation(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
    let desired = input.DesiredCapacity ?? asg.desiredCapacity;
    if (input.DesiredCapacity === undefined) desired = Math.min(Math.max(desired, min), max);
    if (desired < min || desired > max) {
      throw validation(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
    }
    const sources = [input.LaunchConfigurationName, input.LaunchTemplate, input.MixedInstancesPolicy].filter(
      (x) => x !== undefined,
    );
    if (sources.length > 1) {
      throw validation(
        'Only one of LaunchConfigurationName, LaunchTemplate, or MixedInstancesPolicy may be specified.',
      );
    }
    if (input.LaunchConfigurationName !== undefined) {
      throw new NotSimulatedError('autoscaling', 'UpdateAutoScalingGroup with LaunchConfigurationName');
    }
    const policy = input.MixedInstancesPolicy;
    if (policy && (policy.InstancesDistribution || policy.LaunchTemplate?.Overrides?.some((o) => !o.InstanceType))) {
      throw new NotSimulatedError(
        'autoscaling',
        'UpdateAutoScalingGroup with an InstancesDistribution or non-type overrides',
      );
    }
    // A new launch template (alone, or inside the mixed instances policy) takes effect for the next launches.
    const template = input.LaunchTemplate ?? policy?.LaunchTemplate?.LaunchTemplateSpecification;
    const resolved = template ? this.resolveTemplate(region, template) : undefined;
    if (input.LaunchTemplate && resolved) {
      // A group given a plain launch template launches from it alone: a mixed instances policy or launch
      // configuration it had is replaced (properties a request specifies replace the group's).
      asg.launchTemplate = resolved;
      delete asg.mixedInstances;
      delete asg.launchConfigurationName;
    }
    if (policy) {
      if (!resolved && !asg.mixedInstances) {
        throw validation(
          'You must use a valid fully-formed launch template. A mixed instances policy needs a launch template.',
        );
      }
      if (resolved) asg.launchTemplate = resolved;
      // Properties a request leaves out are kept: overrides not given stay as they were.
      const types = policy.LaunchTemplate?.Overrides?.flatMap((o) => (o.InstanceType ? [o.InstanceType] : []));
      asg.mixedInstances = {
        instanceTypes: types?.length ? types : (asg.mixedInstances?.instanceTypes ?? [asg.instanceType]),
      };
      delete asg.launchConfigurationName;
    }
    asg.minSize = min;
    asg.maxSize = max;
    asg.desiredCapacity = desired;
    this.reconcile(asg, 'a user request update of AutoScalingGroup constraints');
    return {};
  };

  // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_SetDesiredCapacity.html
  private setDesiredCapacity = (input: SetDesiredCapacityType, region: string): object => {
    const asg = this.groupOrThrow(region, input.AutoScalingGroupName);
    const desired = input.DesiredCapacity ?? asg.desiredCapacity;
    if (desired > asg.maxSize) {
      throw validation(
        `New SetDesiredCapacity value ${desired} is above max value ${asg.maxSize} for the AutoScalingGroup.`,
      );
    }
    if (desired < asg.minSize) {
      throw validation(
        `New SetDesiredCapacity value ${desired} is below min value ${asg.minSize} for the AutoScalingGroup.`,
      );
    }
    const from = asg.desiredCapacity;
    asg.desiredCapacity = desired;
    this.reconcile(
      asg,
      `a user request explicitly set group desired capacity changing the desired capacity from ${from} to ${desired}`,
    );
    return {};
  };

  // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_TerminateInstanceInAutoScalingGroup.html
  private terminateInstanceInAutoScalingGroup = (
    input: TerminateInstanceInAutoScalingGroupType,
    region: string,
  ): ActivityType => {
    const instanceId = input.InstanceId ?? input.InstanceIds?.[0];
    const asg = [...this.groups.values()].find(
      (g) => g.region === region && g.instances.some((i) => i.instanceId === instanceId),
    );
    const member = asg?.instances.find((i) => i.instanceId === instanceId);
    if (!asg || !member || !instanceId) {
      throw validation(`Instance Id not found - No managed instance found for instance ID: ${instanceId ?? ''}`);
    }
    if (member.lifecycle !== 'InService') {
      throw modelled(
        ScalingActivityInProgressFault,
        400,
        `Scaling activity in progress for instance ${instanceId} (lifecycle state ${member.lifecycle}); wait until it is InService before terminating it.`,
        {},
      );
    }
    if (input.ShouldDecrementDesiredCapacity && asg.desiredCapacity <= asg.minSize) {
      throw validation(
        `Currently, desiredSize equals minSize (${asg.minSize}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`,
      );
    }
    const activity = this.terminate(asg, instanceId, {
      decrement: input.ShouldDecrementDesiredCapacity === true,
      cause: input.ShouldDecrementDesiredCapacity
        ? 'instance was taken out of service in response to a user request, shrinking the capacity'
        : 'instance was taken out of service in response to a user request',
    });
    return { Activity: { ...activity } };
  };

  private tagTargets(region: string, tags: ReadonlyArray<{ ResourceId?: string | undefined }>) {
    return tags.map((t) => this.groupOrThrow(region, t.ResourceId));
  }

  // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateOrUpdateTags.html
  private createOrUpdateTags = (input: CreateOrUpdateTagsType, region: string): object => {
    const tags = input.Tags ?? [];
    const groups = this.tagTargets(region, tags);
    tags.forEach((t, i) => {
      if (!t.Key) throw validation('Tag key must not be empty');
      groups[i]?.tags.set(t.Key, { value: t.Value ?? '', propagateAtLaunch: t.PropagateAtLaunch ?? false });
    });
    return {};
  };

  // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DeleteTags.html
  private deleteTags = (input: DeleteTagsType, region: string): object => {
    const tags = input.Tags ?? [];
    const groups = this.tagTargets(region, tags);
    tags.forEach((t, i) => {
      if (t.Key) groups[i]?.tags.delete(t.Key);
    });
    return {};
  };

  // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeTags.html
  private describeTags = (input: DescribeTagsType, region: string): TagsType => {
    const all = [...this.groups.values()].filter((g) => g.region === region).flatMap((g) => this.tagDescriptions(g));
    const selected = all.filter((t) =>
      matchesFilters(input.Filters, (name) => {
        switch (name) {
          case 'auto-scaling-group':
            return [t.ResourceId ?? ''];
          case 'key':
            return [t.Key ?? ''];
          case 'value':
            return [t.Value ?? ''];
          case 'propagate-at-launch':
            return [String(t.PropagateAtLaunch)];
          default:
            return undefined;
        }
      }),
    );
    const { page, nextToken } = paginate(selected, {
      nextToken: input.NextToken,
      maxResults: input.MaxRecords,
      defaultMax: 50,
      limits: maxRecords(100),
      invalidToken: this.invalidToken,
    });
    return { Tags: page, ...(nextToken ? { NextToken: nextToken } : {}) };
  };

  // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeScalingActivities.html
  private describeScalingActivities = (input: DescribeScalingActivitiesType, region: string): ActivitiesType => {
    const groups = input.AutoScalingGroupName
      ? [this.groupOrThrow(region, input.AutoScalingGroupName)]
      : [...this.groups.values()].filter((g) => g.region === region);
    const all = groups
      .flatMap((g) => g.activities)
      .filter((a) => !input.ActivityIds?.length || input.ActivityIds.includes(a.ActivityId ?? ''))
      .sort((a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0));
    const { page, nextToken } = paginate(all, {
      nextToken: input.NextToken,
      maxResults: input.MaxRecords,
      defaultMax: 100,
      limits: maxRecords(100),
      invalidToken: this.invalidToken,
    });
    return { Activities: page.map((a) => ({ ...a })), ...(nextToken ? { NextToken: nextToken } : {}) };
  };
}
