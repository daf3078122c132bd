/**
 * The simulated AWS account: builds the world a scenario describes (clusters, node groups, add-ons, VPCs, launch
 * templates, Auto Scaling groups, instances) and serves it to the real SDK v3 clients through `interceptor`.
 * Every call first runs the simulated events that are due, is recorded in `calls`, and may meet an injected fault.
 */
import type { _InstanceType } from '@aws-sdk/client-ec2';
import type { ClientInterceptor } from '../../lib/aws/clients.js';
import type { SimKubeCluster } from '../kube/types.js';
import type { Scenario, ScenarioSelfManagedGroup } from '../scenario.js';
import type { SimScheduler } from '../scheduler.js';
import type { SimAsgInstance } from './autoscaling.js';
import { SimAutoScaling } from './autoscaling.js';
import { amiFamilyAvailable, findAmi } from './catalog.js';
import { SimEc2 } from './ec2.js';
import { SimEks } from './eks.js';
import { NotSimulatedError, responseMetadata, SimAwsError, throttling } from './errors.js';
import { fargateCommands } from './fargate.js';
import { uuidFrom } from './ids.js';
import { simulatorInterceptor } from './interceptor.js';
import { reportAwsCall } from './recorder.js';
import { SimS3 } from './s3.js';
import { SimSns } from './sns.js';
import { SimSsm } from './ssm.js';
import { type SimAssumedRole, type SimRoleAccess, SimSts } from './sts.js';
import type {
  ArmedFault,
  SimAwsCall,
  SimAwsContext,
  SimOperation,
  SimPublishedMessage,
  SimServiceName,
} from './types.js';
import type { SimCaller, SimHandler } from './util.js';

/** The session that signed a call, when the simulated STS issued its credentials. */
export type SimIdentity = SimCaller;

export interface SimAccountOptions {
  scenario: Scenario;
  scheduler: SimScheduler;
  /** The simulated Kubernetes cluster behind an EKS cluster (nodes are added, drained and removed there). */
  kubeFor(cluster: string): SimKubeCluster;
  /** The Kubernetes API URL DescribeCluster reports as `endpoint`. */
  kubeEndpoint(cluster: string): string;
  /** Base64 PEM for `certificateAuthority.data`; a fake certificate when absent. */
  kubeCertificateAuthority?(cluster: string): string;
  /** Called when a control plane update succeeds (the Kubernetes fake reports the new server version). */
  onClusterVersionChange?(cluster: string, version: string): void;
  /** How role assumptions are decided across the scenario's accounts (sim/aws/cloud.ts); any role otherwise. */
  access?: SimRoleAccess;
}

/** What a managed node group looks like now, for tests and the demo summary. */
export interface SimNodegroupSummary {
  name: string;
  version: string;
  releaseVersion: string;
  status: string;
  desiredSize: number;
  autoScalingGroup: SimGroupSummary;
}

export interface SimGroupSummary {
  name: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  launchTemplateVersion: string;
  /** The instance types of its mixed instances policy, when it has one. */
  mixedInstanceTypes?: string[];
  instances: Array<
    Pick<
      SimAsgInstance,
      'instanceId' | 'nodeName' | 'lifecycle' | 'kubeletVersion' | 'imageId' | 'availabilityZone' | 'instanceType'
    >
  >;
}

/** How long the nodes of the initial world have been running when the scenario starts. */
const INITIAL_NODE_AGE_MS = 14 * 24 * 3600_000;

export class SimAccount {
  /** Pass to `createAwsClients({ interceptor })`. */
  readonly interceptor: ClientInterceptor;
  /** Every AWS call, in order. */
  readonly calls: SimAwsCall[] = [];
  readonly accountId: string;

  private readonly ctx: SimAwsContext;
  private readonly ec2: SimEc2;
  private readonly autoscaling: SimAutoScaling;
  private readonly eks: SimEks;
  private readonly sns: SimSns;
  private readonly sts: SimSts;
  private readonly s3: SimS3;
  private readonly handlers: Record<SimServiceName, Record<string, SimHandler>>;
  private readonly counters = new Map<string, number>();
  private started = false;

  constructor(private readonly options: SimAccountOptions) {
    const { scenario, scheduler } = options;
    this.accountId = scenario.accountId;
    this.ctx = {
      scenario,
      scheduler,
      accountId: scenario.accountId,
      kubeFor: (cluster) => options.kubeFor(cluster),
      faults: scenario.clusters.flatMap((cluster) =>
        cluster.faults.map(
          (fault): ArmedFault => ({ cluster, fault, remaining: fault.type === 'throttle' ? fault.times : 1 }),
        ),
      ),
      nextSeq: (counter) => {
        const next = (this.counters.get(counter) ?? 0) + 1;
        this.counters.set(counter, next);
        return next;
      },
    };
    this.ec2 = new SimEc2(this.ctx);
    this.autoscaling = new SimAutoScaling(this.ctx, this.ec2);
    this.ec2.onInstanceTerminatedByEc2 = (id) => this.autoscaling.handleEc2Termination(id);
    this.eks = new SimEks(this.ctx, this.ec2, this.autoscaling, {
      kubeEndpoint: (c) => options.kubeEndpoint(c),
      ...(options.kubeCertificateAuthority ? { kubeCertificateAuthority: options.kubeCertificateAuthority } : {}),
      ...(options.onClusterVersionChange ? { onClusterVersionChange: options.onClusterVersionChange } : {}),
    });
    this.sns = new SimSns(this.ctx);
    this.sts = new SimSts(this.ctx, options.access);
    this.s3 = new SimS3(this.ctx);
    this.handlers = {
      eks: { ...this.eks.commands(), ...fargateCommands(this.ctx) },
      autoscaling: this.autoscaling.commands(),
      ec2: this.ec2.commands(),
      ssm: new SimSsm().commands(),
      sns: this.sns.commands(),
      sts: this.sts.commands(),
      s3: this.s3.commands(),
    };
    this.buildWorld();
    this.interceptor = simulatorInterceptor((call) => this.serve(call));
  }

  /** Creates an SNS topic in this account (as CloudFormation does for serverless.yml's topic); returns its ARN. */
  createTopic(name: string, region: string): string {
    return this.sns.createTopic(name, region);
  }

  /** Creates an S3 bucket in this account (as CloudFormation does for serverless.yml's buckets). */
  createBucket(name: string, region: string): void {
    this.s3.createBucket(name, region);
  }

  /** An S3 object's text, for tests; undefined when absent. */
  objectText(bucket: string, key: string): string | undefined {
    return this.s3.objectText(bucket, key);
  }

  /** Messages published to SNS, in order. */
  get published(): readonly SimPublishedMessage[] {
    return this.sns.published;
  }

  /** Roles assumed through STS, in order. */
  get assumedRoles(): readonly SimAssumedRole[] {
    return this.sts.assumedRoles;
  }

  /**
   * Launches the initial instances of every node group as Ready nodes (start-up time 0, so the world starts
   * steady). Idempotent; the first AWS call does it if nobody did.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    const launchTime = new Date(this.ctx.scheduler.nowMs() - INITIAL_NODE_AGE_MS);
    for (const asg of this.autoscaling.groups.values()) this.autoscaling.launchInitial(asg, { launchTime });
    for (const cluster of this.options.scenario.clusters) this.applyStartingState(cluster);
  }

  /** What the scenario says about the world once its nodes run: subnets' free addresses, NotReady nodes. */
  private applyStartingState(cluster: Scenario['clusters'][number]): void {
    const network = this.ec2.network(cluster.name);
    cluster.subnets.forEach((s, i) => {
      const subnet = network.subnets[i];
      if (subnet) this.ec2.setAvailableIpAddressCount(subnet, s.freeIps);
    });
    for (const fault of cluster.faults) {
      if (fault.type !== 'nodesNotReady') continue;
      const asg = [...this.autoscaling.groups.values()].find(
        (g) => g.cluster === cluster.name && g.group === fault.nodegroup,
      );
      const nodes = (asg?.instances ?? []).map((i) => i.nodeName).filter((n): n is string => Boolean(n));
      for (const node of nodes.sort().slice(0, fault.count))
        this.options.kubeFor(cluster.name).setNodeReady(node, false);
    }
  }

  /** Every asynchronous EKS update with its simulated start and end. */
  operations(): SimOperation[] {
    return this.eks.operations();
  }

  clusterVersion(cluster: string): string {
    return this.cluster(cluster).version;
  }

  clusterStatus(cluster: string): string {
    return this.cluster(cluster).status;
  }

  /** Installed add-ons and their versions. */
  addonVersions(cluster: string): Record<string, string> {
    return Object.fromEntries([...this.cluster(cluster).addons.values()].map((a) => [a.name, a.version]));
  }

  nodegroup(cluster: string, nodegroup: string): SimNodegroupSummary {
    const ng = this.cluster(cluster).nodegroups.get(nodegroup);
    if (!ng) throw new Error(`cluster ${cluster} has no managed node group ${nodegroup}`);
    return {
      name: ng.name,
      version: ng.version,
      releaseVersion: ng.releaseVersion,
      status: ng.status,
      desiredSize: ng.scaling.desiredSize,
      autoScalingGroup: this.autoScalingGroup(ng.asg.name),
    };
  }

  /** An Auto Scaling group (a self-managed group is named as in the scenario). */
  autoScalingGroup(name: string): SimGroupSummary {
    const asg = this.autoscaling.groups.get(name);
    if (!asg) throw new Error(`no Auto Scaling group ${name}`);
    return {
      name: asg.name,
      minSize: asg.minSize,
      maxSize: asg.maxSize,
      desiredCapacity: asg.desiredCapacity,
      launchTemplateVersion: asg.launchTemplate.version,
      ...(asg.mixedInstances ? { mixedInstanceTypes: [...asg.mixedInstances.instanceTypes] } : {}),
      instances: asg.instances.map((i) => ({
        instanceId: i.instanceId,
        nodeName: i.nodeName,
        lifecycle: i.lifecycle,
        kubeletVersion: i.kubeletVersion,
        imageId: i.imageId,
        availabilityZone: i.availabilityZone,
        instanceType: i.instanceType,
      })),
    };
  }

  private cluster(name: string) {
    const c = this.eks.clusters.get(name);
    if (!c) throw new Error(`the scenario has no cluster ${name}`);
    return c;
  }

  private buildWorld(): void {
    const { scenario, scheduler } = this.options;
    const createdAt = new Date(scheduler.nowMs() - 400 * 24 * 3600_000);
    scenario.clusters.forEach((spec, index) => {
      const network = this.ec2.createClusterNetwork(spec.name, spec.region, index);
      const cluster = this.eks.addCluster(spec, network, createdAt);
      const neverReady = new Set(spec.faults.flatMap((f) => (f.type === 'nodeNeverReady' ? [f.nodegroup] : [])));
      for (const ng of spec.managedNodegroups) {
        this.eks.addNodegroup(cluster, ng, { createdAt, neverReady: neverReady.has(ng.name) });
      }
      for (const group of spec.selfManagedGroups) {
        this.addSelfManagedGroup(spec.name, spec.region, group, network, neverReady.has(group.name));
      }
    });
  }

  /** A self-managed node group: a launch template and an Auto Scaling group named as the group. */
  private addSelfManagedGroup(
    cluster: string,
    region: string,
    group: ScenarioSelfManagedGroup,
    network: ReturnType<SimEc2['network']>,
    neverReady: boolean,
  ): void {
    const clusterVersion = this.ctx.scenario.clusters.find((c) => c.name === cluster)?.version ?? '';
    const version = group.version ?? clusterVersion;
    if (!amiFamilyAvailable(group.amiFamily, version)) {
      throw new Error(
        `cluster ${cluster}: self-managed group ${group.name} uses ${group.amiFamily}, which has no AMI for Kubernetes ${version} (Amazon Linux 2 stops at 1.32)`,
      );
    }
    const image = findAmi({ region, family: group.amiFamily, architecture: group.architecture, version });
    if (!image) throw new Error(`no ${group.amiFamily} ${group.architecture} AMI for Kubernetes ${version}`);
    const existing = this.autoscaling.groups.get(group.name);
    if (existing && existing.region === region) {
      throw new Error(
        `self-managed group ${group.name} of cluster ${cluster} has the same Auto Scaling group name as one of cluster ${existing.cluster} in ${region}; rename one`,
      );
    }
    const lt = this.ec2.createLaunchTemplate({
      region,
      name: `${cluster}-${group.name}`,
      data: { ImageId: image.imageId, InstanceType: group.instanceType as _InstanceType },
      createdBy: `arn:aws:iam::${this.accountId}:user/platform-admin`,
      tags: { [`kubernetes.io/cluster/${cluster}`]: 'owned' },
    });
    const size = group.desiredSize;
    this.autoscaling.createGroup({
      name: group.name,
      region,
      cluster,
      kind: 'self-managed',
      group: group.name,
      launchTemplate: { id: lt.id, name: lt.name, version: '1' },
      ...(group.launch === 'mixed-instances' ? { mixedInstances: { instanceTypes: group.instanceTypes ?? [] } } : {}),
      ...(group.launch === 'launch-configuration' ? { launchConfigurationName: `${cluster}-${group.name}` } : {}),
      minSize: group.minSize ?? size,
      maxSize: group.maxSize ?? Math.max(size, 1),
      desiredCapacity: size,
      subnets: network.subnets,
      instanceType: group.instanceType,
      maxPods: group.maxPodsPerNode,
      nodeStartupSeconds: group.nodeStartupSeconds,
      neverReady,
      nodeLabels: () => ({}),
      nodeTaints: [],
      tags: {
        Name: `${cluster}-${group.name}-Node`,
        [`kubernetes.io/cluster/${cluster}`]: 'owned',
        [`k8s.io/cluster-autoscaler/${cluster}`]: 'owned',
      },
    });
  }

  /** Throttles the call if a throttle fault of the call's region matches it (and counts it down). */
  private throttled(service: SimServiceName, command: string, region: string): boolean {
    for (const armed of this.ctx.faults) {
      const f = armed.fault;
      if (f.type !== 'throttle' || armed.remaining <= 0) continue;
      if (f.service !== service || armed.cluster.region !== region) continue;
      if (f.operation && f.operation.replace(/Command$/, '') !== command) continue;
      armed.remaining--;
      return true;
    }
    return false;
  }

  /**
   * Answers one call: runs the simulated events that are due, records the call, and serves it (or throttles it:
   * a matching throttle fault, or `throttle` when the caller's rate limit is spent).
   */
  serve(call: {
    service: SimServiceName;
    region: string;
    commandName: string;
    input: unknown;
    caller?: SimCaller;
    throttle?: boolean;
  }): {
    output: object;
    requestId: string;
  } {
    this.ctx.scheduler.advance();
    this.start();
    const command = call.commandName.replace(/Command$/, '');
    const requestId = uuidFrom('request', String(this.ctx.nextSeq('request')));
    let input: unknown = call.input;
    try {
      input = structuredClone(call.input);
    } catch {
      // keep the original object when it cannot be cloned
    }
    const record: SimAwsCall = {
      service: call.service,
      command,
      region: call.region,
      input,
      atMs: this.ctx.scheduler.nowMs(),
      requestId,
      outcome: 'ok',
      ...(call.caller ? { caller: call.caller.arn } : {}),
    };
    this.calls.push(record);
    try {
      if (call.throttle || this.throttled(call.service, command, call.region)) throw throttling(call.service);
      const handle = this.handlers[call.service][command];
      if (!handle) throw new NotSimulatedError(call.service, call.commandName);
      const output = handle(call.input, call.region, call.caller);
      reportAwsCall({ service: call.service, operation: command, input: call.input, output });
      return { output, requestId };
    } catch (error) {
      record.outcome = 'error';
      if (error instanceof SimAwsError) {
        record.error = error.code;
        reportAwsCall({
          service: call.service,
          operation: command,
          input: call.input,
          error: { code: error.code, httpStatusCode: error.httpStatusCode },
        });
        throw error.build(responseMetadata(requestId, error.httpStatusCode));
      }
      record.error = error instanceof Error ? error.name : 'Error';
      reportAwsCall({
        service: call.service,
        operation: command,
        input: call.input,
        error: {
          code: record.error,
          httpStatusCode: 500,
          ...(error instanceof NotSimulatedError ? { notSimulated: true } : {}),
        },
      });
      throw error;
    }
  }
}
