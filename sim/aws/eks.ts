/**
 * Simulated Amazon EKS: clusters, managed node groups and add-ons, with asynchronous updates that report
 * InProgress and end Successful or Failed (DescribeUpdate), as the EKS API Reference describes them
 * (https://docs.aws.amazon.com/eks/latest/APIReference/).
 */

import type { _InstanceType } from '@aws-sdk/client-ec2';
import type {
  Addon,
  AddonIssue,
  AddonStatus,
  Cluster,
  ClusterIssue,
  ClusterVersionInformation,
  DescribeAddonRequest,
  DescribeAddonResponse,
  DescribeAddonVersionsRequest,
  DescribeAddonVersionsResponse,
  DescribeClusterRequest,
  DescribeClusterResponse,
  DescribeClusterVersionsRequest,
  DescribeClusterVersionsResponse,
  DescribeInsightRequest,
  DescribeInsightResponse,
  DescribeNodegroupRequest,
  DescribeNodegroupResponse,
  DescribeUpdateRequest,
  DescribeUpdateResponse,
  ErrorCode,
  ErrorDetail,
  Insight,
  InsightSummary,
  Issue,
  ListAddonsRequest,
  ListAddonsResponse,
  ListClustersRequest,
  ListClustersResponse,
  ListInsightsRequest,
  ListInsightsResponse,
  ListNodegroupsRequest,
  ListNodegroupsResponse,
  ListUpdatesRequest,
  ListUpdatesResponse,
  Nodegroup,
  NodegroupStatus,
  Update,
  UpdateAddonRequest,
  UpdateAddonResponse,
  UpdateClusterVersionRequest,
  UpdateClusterVersionResponse,
  UpdateNodegroupConfigRequest,
  UpdateNodegroupConfigResponse,
  UpdateNodegroupVersionRequest,
  UpdateNodegroupVersionResponse,
  UpdateParam,
  UpdateStatus,
  UpdateType,
} from '@aws-sdk/client-eks';
import {
  InvalidParameterException,
  InvalidRequestException,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import type { ScenarioCluster, ScenarioFault, ScenarioManagedNodegroup } from '../scenario.js';
import type { SimAutoScaling, SimAutoScalingGroup } from './autoscaling.js';
import {
  type AmiFamily,
  type AmiImage,
  type Architecture,
  addonCatalog,
  addonVersionsFor,
  amiFamilyAvailable,
  amiReleases,
  amiTypeFamily,
  compareAddonVersions,
  compareMinor,
  DEFAULT_CLUSTER_VERSION,
  defaultAddonVersion,
  findAddon,
  findAmi,
  imageById,
  isAddonVersionCompatible,
  isKnownVersion,
  kubernetesVersions,
  latestPlatformVersion,
  nextMinor,
  supportStatus,
} from './catalog.js';
import type { SimEc2, SimLaunchTemplate, SimNetwork } from './ec2.js';
import { modelled, NotSimulatedError } from './errors.js';
import { hashHex, hashInt, uuidFrom } from './ids.js';
import { type NodegroupUpdateOutcome, NodegroupUpdateRun } from './nodegroup-update.js';
import type { SimAwsContext, SimOperation } from './types.js';
import { handler, type PageLimits, paginate, type SimHandler } from './util.js';

export interface SimEksUpdate {
  id: string;
  kind: SimOperation['kind'];
  cluster: string;
  nodegroup?: string;
  addon?: string;
  status: UpdateStatus;
  type: UpdateType;
  params: UpdateParam[];
  createdAt: Date;
  errors: ErrorDetail[];
  startMs: number;
  endMs?: number;
}

export interface SimEksAddon {
  name: string;
  version: string;
  status: AddonStatus;
  issues: AddonIssue[];
  arn: string;
  createdAt: Date;
  modifiedAt: Date;
  configurationValues?: string;
  serviceAccountRoleArn?: string;
}

export interface SimEksNodegroup {
  name: string;
  arn: string;
  version: string;
  releaseVersion: string;
  amiType: ScenarioManagedNodegroup['amiType'];
  family: AmiFamily;
  architecture: Architecture;
  status: NodegroupStatus;
  scaling: { minSize: number; maxSize: number; desiredSize: number };
  updateConfig: { maxUnavailable?: number; maxUnavailablePercentage?: number };
  instanceType: string;
  asg: SimAutoScalingGroup;
  launchTemplate: SimLaunchTemplate;
  /** The user's own launch template, when the group was created with one, and the version it uses. */
  userLaunchTemplate?: { template: SimLaunchTemplate; version: string };
  createdAt: Date;
  modifiedAt: Date;
  issues: Issue[];
  nodeRole: string;
  tags: Record<string, string>;
}

export interface SimEksCluster {
  name: string;
  region: string;
  arn: string;
  createdAt: Date;
  version: string;
  platformVersion: string;
  status: 'ACTIVE' | 'UPDATING';
  tags: Record<string, string>;
  /** EKS Auto Mode: the NodePools AWS runs the nodes of. */
  autoMode?: { nodePools: string[] };
  network: SimNetwork;
  oidcId: string;
  addons: Map<string, SimEksAddon>;
  nodegroups: Map<string, SimEksNodegroup>;
  updates: SimEksUpdate[];
  /** clientRequestToken → update id (EKS update calls are idempotent on the token). */
  requestTokens: Map<string, string>;
  /** Control plane health issues DescribeCluster reports. */
  healthIssues: ClusterIssue[];
  /** EKS Upgrade Insights, as DescribeInsight returns them. */
  insights: Insight[];
}

type FaultOf<T extends ScenarioFault['type']> = Extract<ScenarioFault, { type: T }>;

function faultsOf<T extends ScenarioFault['type']>(scenario: ScenarioCluster, type: T): Array<FaultOf<T>> {
  return scenario.faults.filter((f): f is FaultOf<T> => f.type === type);
}

export interface SimEksOptions {
  kubeEndpoint(cluster: string): string;
  kubeCertificateAuthority?(cluster: string): string;
  onClusterVersionChange?(cluster: string, version: string): void;
}

const notFound = (message: string, fields: { clusterName?: string; nodegroupName?: string; addonName?: string }) =>
  modelled(ResourceNotFoundException, 404, message, fields);
const inUse = (message: string, fields: { clusterName?: string; nodegroupName?: string; addonName?: string }) =>
  modelled(ResourceInUseException, 409, message, fields);
const invalidParameter = (
  message: string,
  fields: { clusterName?: string; nodegroupName?: string; addonName?: string } = {},
) => modelled(InvalidParameterException, 400, message, fields);
const invalidRequest = (
  message: string,
  fields: { clusterName?: string; nodegroupName?: string; addonName?: string },
) => modelled(InvalidRequestException, 400, message, fields);

/** Every EKS list and describe call takes `maxResults` from 1 to 100 (the EKS service model's ranges). */
const eksPageLimits: PageLimits = { member: 'maxResults', min: 1, max: 100, refuse: (m) => invalidParameter(m) };

/** The fields of `value` that are set (an SDK input leaves absent members undefined). */
function definedOnly<T extends object>(value: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<{
    [K in keyof T]: Exclude<T[K], undefined>;
  }>;
}

/** A fake but well-formed PEM certificate, base64-encoded as `certificateAuthority.data` carries it. */
function fakeCertificateAuthority(cluster: string): string {
  const body = Buffer.from(hashHex('ca', cluster).repeat(8), 'hex').toString('base64');
  const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? body}\n-----END CERTIFICATE-----\n`;
  return Buffer.from(pem).toString('base64');
}

export class SimEks {
  readonly clusters = new Map<string, SimEksCluster>();

  constructor(
    private readonly ctx: SimAwsContext,
    private readonly ec2: SimEc2,
    private readonly autoscaling: SimAutoScaling,
    private readonly options: SimEksOptions,
  ) {}

  // -------------------------------------------------------------------------------------------------------------
  // World building

  addCluster(scenario: ScenarioCluster, network: SimNetwork, createdAt: Date): SimEksCluster {
    const { accountId } = this.ctx;
    const cluster: SimEksCluster = {
      name: scenario.name,
      region: scenario.region,
      arn: `arn:aws:eks:${scenario.region}:${accountId}:cluster/${scenario.name}`,
      createdAt,
      version: scenario.version,
      platformVersion: latestPlatformVersion(scenario.version),
      status: 'ACTIVE',
      tags: { ...scenario.tags },
      ...(scenario.autoMode ? { autoMode: { nodePools: scenario.autoMode.nodePools.map((p) => p.name) } } : {}),
      network,
      oidcId: hashHex('oidc', scenario.region, scenario.name).slice(0, 32).toUpperCase(),
      addons: new Map(),
      nodegroups: new Map(),
      updates: [],
      requestTokens: new Map(),
      healthIssues: faultsOf(scenario, 'clusterHealthIssue').map((f) => ({
        code: f.code as ClusterIssue['code'],
        message: f.message,
        resourceIds: [],
      })),
      insights: [],
    };
    for (const a of scenario.addons) {
      if (!findAddon(a.name)) {
        throw new Error(
          `cluster ${scenario.name}: add-on "${a.name}" is not in the simulated EKS catalog (have ${addonCatalog()
            .map((c) => c.name)
            .join(', ')})`,
        );
      }
      const version = a.version ?? defaultAddonVersion(a.name, scenario.version);
      if (!findAddon(a.name)?.versions.some((v) => v.addonVersion === version)) {
        throw new Error(
          `cluster ${scenario.name}: add-on ${a.name} has no version ${version} in the simulated catalog`,
        );
      }
      cluster.addons.set(a.name, {
        name: a.name,
        version,
        ...this.addonHealth(scenario, a.name),
        arn: `arn:aws:eks:${scenario.region}:${accountId}:addon/${scenario.name}/${a.name}/${uuidFrom('addon', scenario.name, a.name)}`,
        createdAt,
        modifiedAt: createdAt,
      });
    }
    cluster.insights = scenario.insights.map((i) => this.insightFrom(cluster, i, createdAt));
    this.clusters.set(cluster.name, cluster);
    return cluster;
  }

  /** A managed node group with its EKS-owned launch template and Auto Scaling group. */
  addNodegroup(
    cluster: SimEksCluster,
    spec: ScenarioManagedNodegroup,
    options: { createdAt: Date; neverReady: boolean },
  ): SimEksNodegroup {
    const version = spec.version ?? cluster.version;
    const fa = amiTypeFamily(spec.amiType);
    if (!fa) throw new Error(`node group ${spec.name}: AMI type ${spec.amiType} is not simulated`);
    const image = findAmi({ region: cluster.region, family: fa.family, architecture: fa.architecture, version });
    if (!image) {
      throw new Error(
        `cluster ${cluster.name}: node group ${spec.name} uses ${spec.amiType}, which has no AMI for Kubernetes ${version} (Amazon Linux 2 stops at 1.32)`,
      );
    }
    const uuid = uuidFrom('nodegroup', cluster.region, cluster.name, spec.name);
    const lt = this.ec2.createLaunchTemplate({
      region: cluster.region,
      name: `eks-${uuid}`,
      data: { ImageId: image.imageId, InstanceType: spec.instanceType as _InstanceType },
      createdBy: `arn:aws:sts::${this.ctx.accountId}:assumed-role/AWSServiceRoleForAmazonEKSNodegroup/EKS`,
      tags: { 'eks:cluster-name': cluster.name, 'eks:nodegroup-name': spec.name },
    });
    const minSize = spec.minSize ?? spec.desiredSize;
    const maxSize = spec.maxSize ?? Math.max(spec.desiredSize, 1);
    const asg = this.autoscaling.createGroup({
      name: `eks-${spec.name}-${uuid}`,
      region: cluster.region,
      cluster: cluster.name,
      kind: 'managed',
      group: spec.name,
      launchTemplate: { id: lt.id, name: lt.name, version: '1' },
      minSize,
      maxSize,
      desiredCapacity: spec.desiredSize,
      subnets: cluster.network.subnets,
      instanceType: spec.instanceType,
      maxPods: spec.maxPodsPerNode,
      nodeStartupSeconds: spec.nodeStartupSeconds,
      neverReady: options.neverReady,
      // Labels EKS applies to managed nodes (managed-node-update-behavior.html, scale-up phase).
      nodeLabels: (instance) => ({
        'eks.amazonaws.com/nodegroup': spec.name,
        'eks.amazonaws.com/nodegroup-image': instance.imageId,
        'eks.amazonaws.com/capacityType': 'ON_DEMAND',
        'eks.amazonaws.com/sourceLaunchTemplateId': lt.id,
        'eks.amazonaws.com/sourceLaunchTemplateVersion': String(instance.launchTemplate?.version ?? 1),
      }),
      nodeTaints: [],
      tags: {
        'eks:cluster-name': cluster.name,
        'eks:nodegroup-name': spec.name,
        'k8s.io/cluster-autoscaler/enabled': 'true',
        [`k8s.io/cluster-autoscaler/${cluster.name}`]: 'owned',
        [`kubernetes.io/cluster/${cluster.name}`]: 'owned',
      },
    });
    const degraded = this.ctx.scenario.clusters
      .find((c) => c.name === cluster.name)
      ?.faults.find(
        (f): f is FaultOf<'nodegroupDegraded'> => f.type === 'nodegroupDegraded' && f.nodegroup === spec.name,
      );
    const ng: SimEksNodegroup = {
      name: spec.name,
      arn: `arn:aws:eks:${cluster.region}:${this.ctx.accountId}:nodegroup/${cluster.name}/${spec.name}/${uuid}`,
      version,
      releaseVersion: image.releaseVersion,
      amiType: spec.amiType,
      family: fa.family,
      architecture: fa.architecture,
      status: degraded ? 'DEGRADED' : 'ACTIVE',
      scaling: { minSize, maxSize, desiredSize: spec.desiredSize },
      updateConfig: { ...spec.updateConfig },
      instanceType: spec.instanceType,
      asg,
      launchTemplate: lt,
      ...(spec.launchTemplate !== 'none'
        ? {
            userLaunchTemplate: {
              template: this.ec2.createLaunchTemplate({
                region: cluster.region,
                name: `${cluster.name}-${spec.name}`,
                data: {
                  InstanceType: spec.instanceType as _InstanceType,
                  ...(spec.launchTemplate === 'custom-ami' ? { ImageId: image.imageId } : {}),
                },
                createdBy: `arn:aws:iam::${this.ctx.accountId}:user/platform-admin`,
                tags: {},
              }),
              version: '1',
            },
          }
        : {}),
      createdAt: options.createdAt,
      modifiedAt: options.createdAt,
      issues: degraded
        ? [{ code: degraded.code as Issue['code'], message: degraded.message, resourceIds: [asg.name] }]
        : [],
      nodeRole: `arn:aws:iam::${this.ctx.accountId}:role/${cluster.name}-node-role`,
      tags: {},
    };
    cluster.nodegroups.set(ng.name, ng);
    return ng;
  }

  /** An add-on starts ACTIVE, or DEGRADED with a health issue when the scenario says so. */
  private addonHealth(scenario: ScenarioCluster, addon: string): Pick<SimEksAddon, 'status' | 'issues'> {
    const fault = faultsOf(scenario, 'addonDegraded').find((f) => f.addon === addon);
    if (!fault) return { status: 'ACTIVE', issues: [] };
    return {
      status: 'DEGRADED',
      issues: [{ code: fault.code as AddonIssue['code'], message: fault.message, resourceIds: [] }],
    };
  }

  /**
   * An EKS Upgrade Insight as DescribeInsight returns it (category UPGRADE_READINESS, with deprecation details
   * for the audit-log based "Deprecated APIs removed in Kubernetes vX" kind of check).
   * https://docs.aws.amazon.com/eks/latest/userguide/cluster-insights.html
   */
  private insightFrom(cluster: SimEksCluster, spec: ScenarioCluster['insights'][number], at: Date): Insight {
    const status = { status: spec.status, reason: spec.reason };
    // The add-on compatibility insight names each installed add-on whose version the insight's Kubernetes
    // version does not support, with the versions that support it, as EKS computes it.
    const addonCompatibilityDetails = /add-on version compatibility/i.test(spec.name)
      ? [...cluster.addons.values()]
          .filter((a) => !isAddonVersionCompatible(a.name, a.version, spec.kubernetesVersion))
          .map((a) => ({
            name: a.name,
            compatibleVersions: addonVersionsFor(a.name, spec.kubernetesVersion).map((v) => v.addonVersion),
          }))
      : undefined;
    return {
      id: uuidFrom('insight', cluster.name, spec.name, spec.kubernetesVersion),
      name: spec.name,
      category: 'UPGRADE_READINESS',
      kubernetesVersion: spec.kubernetesVersion,
      lastRefreshTime: at,
      lastTransitionTime: at,
      description: spec.description,
      insightStatus: status,
      recommendation: spec.recommendation,
      additionalInfo: {},
      resources: spec.resources.map((r) =>
        r.startsWith('arn:') ? { arn: r, insightStatus: status } : { kubernetesResourceUri: r, insightStatus: status },
      ),
      categorySpecificSummary: {
        deprecationDetails: spec.deprecations.map((d) => ({
          usage: d.usage,
          replacedWith: d.replacedWith,
          stopServingVersion: d.stopServingVersion,
          ...(d.startServingReplacementVersion
            ? { startServingReplacementVersion: d.startServingReplacementVersion }
            : {}),
          clientStats: d.clients.map((c) => ({
            userAgent: c.userAgent,
            numberOfRequestsLast30Days: c.requests,
            lastRequestTime: new Date(at.getTime() - 3_600_000),
          })),
        })),
        ...(addonCompatibilityDetails ? { addonCompatibilityDetails } : {}),
      },
    };
  }

  commands(): Record<string, SimHandler> {
    return {
      ListClusters: handler(this.listClusters),
      DescribeCluster: handler(this.describeCluster),
      DescribeClusterVersions: handler(this.describeClusterVersions),
      ListInsights: handler(this.listInsights),
      DescribeInsight: handler(this.describeInsight),
      UpdateClusterVersion: handler(this.updateClusterVersion),
      ListUpdates: handler(this.listUpdates),
      DescribeUpdate: handler(this.describeUpdate),
      ListNodegroups: handler(this.listNodegroups),
      DescribeNodegroup: handler(this.describeNodegroup),
      UpdateNodegroupVersion: handler(this.updateNodegroupVersion),
      UpdateNodegroupConfig: handler(this.updateNodegroupConfig),
      ListAddons: handler(this.listAddons),
      DescribeAddon: handler(this.describeAddon),
      DescribeAddonVersions: handler(this.describeAddonVersions),
      UpdateAddon: handler(this.updateAddon),
    };
  }

  operations(): SimOperation[] {
    return [...this.clusters.values()].flatMap((c) =>
      c.updates.map((u) => ({
        kind: u.kind,
        cluster: c.name,
        name: u.nodegroup ?? u.addon ?? u.params.find((p) => p.type === 'Version')?.value ?? '',
        updateId: u.id,
        startMs: u.startMs,
        ...(u.endMs !== undefined ? { endMs: u.endMs } : {}),
        status: u.status,
      })),
    );
  }

  // -------------------------------------------------------------------------------------------------------------
  // Helpers

  private invalidToken = () => invalidParameter('The nextToken provided is invalid.');

  private clusterOrThrow(region: string, name: string | undefined): SimEksCluster {
    const cluster = name ? this.clusters.get(name) : undefined;
    if (!cluster || cluster.region !== region) {
      throw notFound(`No cluster found for name: ${name ?? ''}.`, { ...(name ? { clusterName: name } : {}) });
    }
    return cluster;
  }

  private nodegroupOrThrow(cluster: SimEksCluster, name: string | undefined): SimEksNodegroup {
    const ng = name ? cluster.nodegroups.get(name) : undefined;
    if (!ng) {
      throw notFound(`No node group found for name: ${name ?? ''}.`, {
        clusterName: cluster.name,
        ...(name ? { nodegroupName: name } : {}),
      });
    }
    return ng;
  }

  private addonOrThrow(cluster: SimEksCluster, name: string | undefined): SimEksAddon {
    const addon = name ? cluster.addons.get(name) : undefined;
    if (!addon) {
      throw notFound(`No addon: ${name ?? ''} found in cluster: ${cluster.name}`, {
        clusterName: cluster.name,
        ...(name ? { addonName: name } : {}),
      });
    }
    return addon;
  }

  private updateOutput(u: SimEksUpdate): Update {
    return {
      id: u.id,
      status: u.status,
      type: u.type,
      params: u.params.map((p) => ({ ...p })),
      createdAt: u.createdAt,
      errors: u.errors.map((e) => ({ ...e, resourceIds: [...(e.resourceIds ?? [])] })),
    };
  }

  /** Same clientRequestToken, same update (https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateClusterVersion.html). */
  private replayed(cluster: SimEksCluster, token: string | undefined): SimEksUpdate | undefined {
    const id = token ? cluster.requestTokens.get(token) : undefined;
    return id ? cluster.updates.find((u) => u.id === id) : undefined;
  }

  private newUpdate(
    cluster: SimEksCluster,
    fields: Pick<SimEksUpdate, 'kind' | 'type' | 'params'> & { nodegroup?: string; addon?: string },
    token: string | undefined,
  ): SimEksUpdate {
    const update: SimEksUpdate = {
      id: uuidFrom('update', cluster.name, String(this.ctx.nextSeq('update'))),
      cluster: cluster.name,
      status: 'InProgress',
      createdAt: this.ctx.scheduler.now(),
      errors: [],
      startMs: this.ctx.scheduler.nowMs(),
      ...fields,
    };
    cluster.updates.push(update);
    if (token) cluster.requestTokens.set(token, update.id);
    return update;
  }

  private end(update: SimEksUpdate, status: UpdateStatus, errors: ErrorDetail[] = []): void {
    update.status = status;
    update.errors = errors;
    update.endMs = this.ctx.scheduler.nowMs();
  }

  /** A one-shot scenario fault for this cluster, consumed when found. */
  private takeFault<T extends SimAwsContext['faults'][number]['fault']['type']>(
    cluster: string,
    type: T,
    matches: (fault: Extract<SimAwsContext['faults'][number]['fault'], { type: T }>) => boolean,
  ): Extract<SimAwsContext['faults'][number]['fault'], { type: T }> | undefined {
    for (const armed of this.ctx.faults) {
      if (armed.cluster.name !== cluster || armed.fault.type !== type || armed.remaining <= 0) continue;
      const fault = armed.fault as Extract<SimAwsContext['faults'][number]['fault'], { type: T }>;
      if (!matches(fault)) continue;
      armed.remaining = 0;
      return fault;
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Clusters

  // https://docs.aws.amazon.com/eks/latest/APIReference/API_ListClusters.html
  private listClusters = (input: ListClustersRequest, region: string): ListClustersResponse => {
    const names = [...this.clusters.values()].filter((c) => c.region === region).map((c) => c.name);
    const { page, nextToken } = paginate(names, {
      nextToken: input.nextToken,
      maxResults: input.maxResults,
      defaultMax: 100,
      limits: eksPageLimits,
      invalidToken: this.invalidToken,
    });
    return { clusters: page, ...(nextToken ? { nextToken } : {}) };
  };

  private clusterOutput(c: SimEksCluster): Cluster {
    return {
      name: c.name,
      arn: c.arn,
      createdAt: c.createdAt,
      version: c.version,
      endpoint: this.options.kubeEndpoint(c.name),
      roleArn: `arn:aws:iam::${this.ctx.accountId}:role/${c.name}-cluster-role`,
      resourcesVpcConfig: {
        subnetIds: c.network.subnets.map((s) => s.subnetId),
        securityGroupIds: [c.network.securityGroupId],
        clusterSecurityGroupId: c.network.clusterSecurityGroupId,
        vpcId: c.network.vpcId,
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['0.0.0.0/0'],
      },
      // EKS Auto Mode turns on compute, block storage and load balancing together; computeConfig lists the
      // built-in NodePools it runs (https://docs.aws.amazon.com/eks/latest/APIReference/API_ComputeConfigResponse.html).
      ...(c.autoMode
        ? {
            computeConfig: {
              enabled: true,
              nodePools: c.autoMode.nodePools.filter((p) => p === 'general-purpose' || p === 'system'),
              nodeRoleArn: `arn:aws:iam::${this.ctx.accountId}:role/${c.name}-auto-node-role`,
            },
            storageConfig: { blockStorage: { enabled: true } },
          }
        : {}),
      kubernetesNetworkConfig: {
        serviceIpv4Cidr: '172.20.0.0/16',
        ipFamily: 'ipv4',
        ...(c.autoMode ? { elasticLoadBalancing: { enabled: true } } : {}),
      },
      logging: {
        clusterLogging: [
          { types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false },
        ],
      },
      identity: { oidc: { issuer: `https://oidc.eks.${c.region}.amazonaws.com/id/${c.oidcId}` } },
      status: c.status,
      certificateAuthority: {
        data: this.options.kubeCertificateAuthority?.(c.name) ?? fakeCertificateAuthority(c.name),
      },
      platformVersion: c.platformVersion,
      tags: { ...c.tags },
      health: { issues: c.healthIssues.map((i) => ({ ...i, resourceIds: [...(i.resourceIds ?? [])] })) },
      accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
      upgradePolicy: { supportType: 'EXTENDED' },
    };
  }

  // https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeCluster.html
  private describeCluster = (input: DescribeClusterRequest, region: string): DescribeClusterResponse => ({
    cluster: this.clusterOutput(this.clusterOrThrow(region, input.name)),
  });

  // https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeClusterVersions.html: without includeAll,
  // only versions still in standard or extended support are listed.
  private describeClusterVersions = (
    input: DescribeClusterVersionsRequest,
    _region: string,
  ): DescribeClusterVersionsResponse => {
    const now = this.ctx.scheduler.now();
    const statusName = {
      STANDARD_SUPPORT: 'standard-support',
      EXTENDED_SUPPORT: 'extended-support',
      UNSUPPORTED: 'unsupported',
    } as const;
    const all: ClusterVersionInformation[] = kubernetesVersions()
      .reverse()
      .map((v) => {
        const versionStatus = supportStatus(v.version, now);
        return {
          clusterVersion: v.version,
          clusterType: 'eks',
          defaultPlatformVersion: v.platformVersion,
          defaultVersion: v.version === DEFAULT_CLUSTER_VERSION,
          releaseDate: v.releaseDate,
          endOfStandardSupportDate: v.endOfStandardSupport,
          endOfExtendedSupportDate: v.endOfExtendedSupport,
          status: statusName[versionStatus],
          versionStatus,
          kubernetesPatchVersion: v.kubernetesPatchVersion,
        };
      });
    if (input.clusterType && input.clusterType !== 'eks') return { clusterVersions: [] };
    const selected = all.filter(
      (v) =>
        (input.includeAll || input.clusterVersions?.length || v.versionStatus !== 'UNSUPPORTED') &&
        (!input.clusterVersions?.length || input.clusterVersions.includes(v.clusterVersion ?? '')) &&
        (!input.defaultOnly || v.defaultVersion) &&
        (!input.versionStatus || v.versionStatus === input.versionStatus) &&
        (!input.status || v.status === input.status),
    );
    const { page, nextToken } = paginate(selected, {
      nextToken: input.nextToken,
      maxResults: input.maxResults,
      defaultMax: 100,
      limits: eksPageLimits,
      invalidToken: this.invalidToken,
    });
    return { clusterVersions: page, ...(nextToken ? { nextToken } : {}) };
  };

  // https://docs.aws.amazon.com/eks/latest/APIReference/API_ListInsights.html: every category and status unless
  // the filter narrows them; insights are refreshed by EKS, here fixed at the scenario's start.
  private listInsights = (input: ListInsightsRequest, region: string): ListInsightsResponse => {
    const cluster = this.clusterOrThrow(region, input.clusterName);
    const f = input.filter ?? {};
    const selected = cluster.insights.filter(
      (i) =>
        (!f.categories?.length || f.categories.includes(i.category ?? 'UPGRADE_READINESS')) &&
        (!f.kubernetesVersions?.length || f.kubernetesVersions.includes(i.kubernetesVersion ?? '')) &&
        (!f.statuses?.length || f.statuses.includes(i.insightStatus?.status ?? 'UNKNOWN')),
    );
    const { page, nextToken } = paginate(selected, {
      nextToken: input.nextToken,
      maxResults: input.maxResults,
      defaultMax: 100,
      limits: eksPageLimits,
      invalidToken: this.invalidToken,
    });
    const summaries: InsightSummary[] = page.map((i) => ({
      id: i.id,
      name: i.name,
      category: i.category,
      kubernetesVersion: i.kubernetesVersion,
      lastRefreshTime: i.lastRefreshTime,
      lastTransitionTime: i.lastTransitionTime,
      description: i.description,
      insightStatus: i.insightStatus,
    }));
    return { insights: summaries, ...(nextToken ? { nextToken } : {}) };
  };

  // https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeInsight.html
  private describeInsight = (input: DescribeInsightRequest, region: string): DescribeInsightResponse => {
    const cluster = this.clusterOrThrow(region, input.clusterName);
    const insight = cluster.insights.find((i) => i.id === input.id);
    if (!insight) throw notFound(`No insight found for id: ${input.id ?? ''}`, { clusterName: cluster.name });
    return { insight: structuredClone(insight) };
  };

  // https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html: one minor version at a time; managed
  // node groups must already run the cluster's version; one update at a time. The update takes about ten minutes.
  private updateClusterVersion = (input: UpdateClusterVersionRequest, region: string): UpdateClusterVersionResponse => {
    const cluster = this.clusterOrThrow(region, input.name);
    const replay = this.replayed(cluster, input.clientRequestToken);
    if (replay) return { update: this.updateOutput(replay) };
    const fields = { clusterName: cluster.name };
    if (cluster.status === 'UPDATING') {
      throw inUse('Cluster has an update in progress', fields);
    }
    const target = input.version;
    if (!target) throw invalidParameter('version is required', fields);
    if (!isKnownVersion(target)) throw invalidParameter(`unsupported Kubernetes version ${target}`, fields);
    if (target === cluster.version) {
      throw invalidParameter(`The cluster is already at version ${target}`, fields);
    }
    if (target !== nextMinor(cluster.version)) {
      throw invalidParameter(
        `Unsupported Kubernetes minor version update from ${cluster.version} to ${target}`,
        fields,
      );
    }
    const lagging = [...cluster.nodegroups.values()]
      .filter((ng) => ng.version !== cluster.version)
      .map((ng) => ng.name);
    if (lagging.length) {
      throw invalidRequest(
        `Nodegroups ${lagging.join(', ')} must be updated to match cluster version ${cluster.version} before updating cluster version`,
        fields,
      );
    }
    const platformVersion = latestPlatformVersion(target);
    const update = this.newUpdate(
      cluster,
      {
        kind: 'controlPlaneUpdate',
        type: 'VersionUpdate',
        params: [
          { type: 'Version', value: target },
          { type: 'PlatformVersion', value: platformVersion },
        ],
      },
      input.clientRequestToken,
    );
    cluster.status = 'UPDATING';
    // Control plane updates take roughly 8-12 minutes; a hash of the update id picks 9-11 deterministically. A stuck
    // update (a fault) stays InProgress as long as the scenario says, then lands.
    const stuck = this.takeFault(cluster.name, 'controlPlaneUpdateStuck', (f) => f.toVersion === target);
    const durationMs = stuck ? stuck.minutes * 60_000 : 540_000 + hashInt(120_001, update.id);
    this.ctx.scheduler.after(durationMs, `eks ${cluster.name} control plane ${target}`, () => {
      const fault = this.takeFault(cluster.name, 'controlPlaneUpdateFails', (f) => f.toVersion === target);
      cluster.status = 'ACTIVE';
      if (fault) {
        this.end(update, 'Failed', [
          { errorCode: fault.errorCode as ErrorCode, errorMessage: fault.message, resourceIds: [cluster.name] },
        ]);
        return;
      }
      cluster.version = target;
      cluster.platformVersion = platformVersion;
      this.end(update, 'Successful');
      this.options.onClusterVersionChange?.(cluster.name, target);
    });
    return { update: this.updateOutput(update) };
  };

  private updatesInScope(cluster: SimEksCluster, scope: { nodegroupName?: string; addonName?: string }) {
    if (scope.nodegroupName) this.nodegroupOrThrow(cluster, scope.nodegroupName);
    if (scope.addonName) this.addonOrThrow(cluster, scope.addonName);
    return cluster.updates.filter(
      (u) => u.nodegroup === (scope.nodegroupName || undefined) && u.addon === (scope.addonName || undefined),
    );
  }

  // https://docs.aws.amazon.com/eks/latest/APIReference/API_ListUpdates.html
  private listUpdates = (input: ListUpdatesRequest, region: string): ListUpdatesResponse => {
    const cluster = this.clusterOrThrow(region, input.name);
    const ids = this.updatesInScope(cluster, {
      ...(input.nodegroupName ? { nodegroupName: input.nodegroupName } : {}),
      ...(input.addonName ? { addonName: input.addonName } : {}),
    }).map((u) => u.id);
    const { page, nextToken } = paginate(ids, {
      nextToken: input.nextToken,
      maxResults: input.maxResults,
      defaultMax: 100,
      limits: eksPageLimits,
      invalidToken: this.invalidToken,
    });
    return { updateIds: page, ...(nextToken ? { nextToken } : {}) };
  };

  // https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeUpdate.html: node group and add-on updates are
  // found only with their nodegroupName or addonName.
  private describeUpdate = (input: DescribeUpdateRequest, region: string): DescribeUpdateResponse => {
    const cluster = this.clusterOrThrow(region, input.name);
    const update = this.updatesInScope(cluster, {
      ...(input.nodegroupName ? { nodegroupName: input.nodegroupName } : {}),
      ...(input.addonName ? { addonName: input.addonName } : {}),
    }).find((u) => u.id === input.updateId);
    if (!update) {
      throw notFound(`No update found for ID: ${input.updateId ?? ''}`, {
        clusterName: cluster.name,
        ...(input.nodegroupName ? { nodegroupName: input.nodegroupName } : {}),
        ...(input.addonName ? { addonName: input.addonName } : {}),
      });
    }
    return { update: this.updateOutput(update) };
  };

  // -------------------------------------------------------------------------------------------------------------
  // Managed node groups

  // https://docs.aws.amazon.com/eks/latest/APIReference/API_ListNodegroups.html
  private listNodegroups = (input: ListNodegroupsRequest, region: string): ListNodegroupsResponse => {
    const cluster = this.clusterOrThrow(region, input.clusterName);
    const { page, nextToken } = paginate([...cluster.nodegroups.keys()], {
      nextToken: input.nextToken,
      maxResults: input.maxResults,
      defaultMax: 100,
      limits: eksPageLimits,
      invalidToken: this.invalidToken,
    });
    return { nodegroups: page, ...(nextToken ? { nextToken } : {}) };
  };

  private nodegroupOutput(cluster: SimEksCluster, ng: SimEksNodegroup): Nodegroup {
    return {
      nodegroupName: ng.name,
      nodegroupArn: ng.arn,
      clusterName: cluster.name,
      version: ng.version,
      releaseVersion: ng.releaseVersion,
      createdAt: ng.createdAt,
      modifiedAt: ng.modifiedAt,
      status: ng.status,
      capacityType: 'ON_DEMAND',
      scalingConfig: { ...ng.scaling },
      instanceTypes: [ng.instanceType],
      subnets: cluster.network.subnets.map((s) => s.subnetId),
      amiType: ng.amiType,
      nodeRole: ng.nodeRole,
      labels: {},
      resources: { autoScalingGroups: [{ name: ng.asg.name }] },
      diskSize: 20,
      health: { issues: ng.issues.map((i) => ({ ...i })) },
      updateConfig: { ...ng.updateConfig },
      tags: { ...ng.tags },
      ...(ng.userLaunchTemplate
        ? {
            launchTemplate: {
              id: ng.userLaunchTemplate.template.id,
              name: ng.userLaunchTemplate.template.name,
              version: ng.userLaunchTemplate.version,
            },
          }
        : {}),
    };
  }

  // https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeNodegroup.html
  private describeNodegroup = (input: DescribeNodegroupRequest, region: string): DescribeNodegroupResponse => {
    const cluster = this.clusterOrThrow(region, input.clusterName);
    return { nodegroup: this.nodegroupOutput(cluster, this.nodegroupOrThrow(cluster, input.nodegroupName)) };
  };

  // https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateNodegroupVersion.html: version defaults to the
  // cluster's, release version to the latest AMI for it; a node group cannot run newer than the cluster.
  private updateNodegroupVersion = (
    input: UpdateNodegroupVersionRequest,
    region: string,
  ): UpdateNodegroupVersionResponse => {
    const cluster = this.clusterOrThrow(region, input.clusterName);
    const ng = this.nodegroupOrThrow(cluster, input.nodegroupName);
    const replay = this.replayed(cluster, input.clientRequestToken);
    if (replay) return { update: this.updateOutput(replay) };
    const fields = { clusterName: cluster.name, nodegroupName: ng.name };
    // https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html: a group created with a launch template
    // is updated with a version of the same template; one whose template names a custom AMI takes no version.
    let customImage: AmiImage | undefined;
    let templateVersion: string | undefined;
    if (input.launchTemplate) {
      const own = ng.userLaunchTemplate;
      if (!own) {
        throw invalidParameter(
          `Nodegroup ${ng.name} was not created with a launch template; you cannot specify a launch template when updating it`,
          fields,
        );
      }
      if ((input.launchTemplate.id ?? own.template.id) !== own.template.id) {
        throw invalidParameter(
          `Launch template ${input.launchTemplate.id} is not the one node group ${ng.name} was created with`,
          fields,
        );
      }
      const chosen = this.ec2.resolveVersion(own.template, input.launchTemplate.version ?? '$Default');
      if (!chosen)
        throw invalidParameter(`Launch template version ${input.launchTemplate.version} does not exist`, fields);
      templateVersion = String(chosen.versionNumber);
      if (chosen.data.ImageId) {
        if (input.version) {
          throw invalidParameter(
            'You cannot specify a Kubernetes version when the launch template uses a custom AMI',
            fields,
          );
        }
        customImage = imageById(region, chosen.data.ImageId);
        if (!customImage)
          throw invalidParameter(`The AMI ${chosen.data.ImageId} of the launch template does not exist`, fields);
      }
    }
    if (ng.status === 'UPDATING') {
      throw inUse(
        `Nodegroup ${ng.name} is currently being updated (status UPDATING); wait for that update to finish`,
        fields,
      );
    }
    if (cluster.status === 'UPDATING') {
      throw inUse(
        `Cluster ${cluster.name} is currently being updated (status UPDATING); wait for that update to finish`,
        fields,
      );
    }
    const target = customImage?.kubernetesVersion ?? input.version ?? cluster.version;
    if (!isKnownVersion(target)) throw invalidParameter(`unsupported Kubernetes version ${target}`, fields);
    if (compareMinor(target, cluster.version) > 0) {
      throw invalidParameter(
        `Requested Nodegroup version ${target} is newer than the cluster version ${cluster.version}; update the cluster first`,
        fields,
      );
    }
    if (compareMinor(target, ng.version) < 0) {
      throw invalidParameter(
        `Requested Nodegroup version ${target} is older than the node group's version ${ng.version}; node groups cannot be downgraded`,
        fields,
      );
    }
    if (!amiFamilyAvailable(ng.family, target)) {
      throw invalidParameter(
        `Requested AMI type ${ng.amiType} is not supported for Kubernetes version ${target}`,
        fields,
      );
    }
    const releases = amiReleases(ng.family, ng.architecture, target);
    const releaseVersion =
      customImage?.releaseVersion ?? input.releaseVersion ?? releases[releases.length - 1]?.releaseVersion ?? '';
    const image =
      customImage ??
      findAmi({
        region,
        family: ng.family,
        architecture: ng.architecture,
        version: target,
        releaseVersion,
      });
    if (!image) {
      throw invalidParameter(
        `Requested release version ${releaseVersion} is not valid for kubernetes version ${target}.`,
        fields,
      );
    }
    if (target === ng.version && releaseVersion === ng.releaseVersion) {
      throw invalidParameter(
        `Nodegroup ${ng.name} is already at version ${target} with release version ${releaseVersion}`,
        fields,
      );
    }
    const update = this.newUpdate(
      cluster,
      {
        kind: 'nodegroupUpdate',
        type: 'VersionUpdate',
        nodegroup: ng.name,
        params: [
          { type: 'Version', value: target },
          { type: 'ReleaseVersion', value: releaseVersion },
        ],
      },
      input.clientRequestToken,
    );
    ng.status = 'UPDATING';
    ng.modifiedAt = this.ctx.scheduler.now();
    const run = new NodegroupUpdateRun(
      {
        scheduler: this.ctx.scheduler,
        kube: this.ctx.kubeFor(cluster.name),
        autoscaling: this.autoscaling,
        ec2: this.ec2,
      },
      {
        cluster: cluster.name,
        nodegroup: ng.name,
        asg: ng.asg,
        launchTemplate: ng.launchTemplate,
        image,
        desiredSize: ng.scaling.desiredSize,
        maxSize: ng.scaling.maxSize,
        maxUnavailable: ng.updateConfig.maxUnavailable,
        maxUnavailablePercentage: ng.updateConfig.maxUnavailablePercentage,
        force: input.force === true,
      },
      (outcome: NodegroupUpdateOutcome) => {
        ng.modifiedAt = this.ctx.scheduler.now();
        if (outcome.status === 'Successful') {
          ng.version = target;
          ng.releaseVersion = releaseVersion;
          if (ng.userLaunchTemplate && templateVersion) ng.userLaunchTemplate.version = templateVersion;
          ng.status = 'ACTIVE';
          ng.issues = [];
          this.end(update, 'Successful');
          return;
        }
        ng.status = outcome.nodegroupStatus;
        ng.issues = outcome.issues;
        this.end(update, 'Failed', outcome.errors);
      },
    );
    run.start();
    return { update: this.updateOutput(update) };
  };

  // https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateNodegroupConfig.html
  // A ConfigUpdate runs asynchronously like the others (the node group is UPDATING meanwhile); updateConfig takes
  // maxUnavailable (1-100) or maxUnavailablePercentage (1-100), never both.
  private updateNodegroupConfig = (
    input: UpdateNodegroupConfigRequest,
    region: string,
  ): UpdateNodegroupConfigResponse => {
    const cluster = this.clusterOrThrow(region, input.clusterName);
    const ng = this.nodegroupOrThrow(cluster, input.nodegroupName);
    const fields = { clusterName: cluster.name, nodegroupName: ng.name };
    if (ng.status === 'UPDATING') {
      throw inUse(
        `Nodegroup ${ng.name} is currently being updated (status UPDATING); wait for that update to finish`,
        fields,
      );
    }
    const config = input.updateConfig;
    if (config?.maxUnavailable !== undefined && config.maxUnavailablePercentage !== undefined) {
      throw invalidParameter('You can specify either maxUnavailable or maxUnavailablePercentage, not both', fields);
    }
    for (const value of [config?.maxUnavailable, config?.maxUnavailablePercentage]) {
      if (value !== undefined && (value < 1 || value > 100)) {
        throw invalidParameter('updateConfig values must be between 1 and 100', fields);
      }
    }
    // https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html: minSize >= 0,
    // maxSize >= 1, and desiredSize between them; what is left out keeps its value.
    const scaling = input.scalingConfig ? { ...ng.scaling, ...definedOnly(input.scalingConfig) } : undefined;
    if (scaling) {
      if (scaling.minSize < 0 || scaling.maxSize < 1 || scaling.minSize > scaling.maxSize) {
        throw invalidParameter(
          `Invalid scalingConfig: minSize ${scaling.minSize} must be at least 0 and at most maxSize ${scaling.maxSize}, which must be at least 1`,
          fields,
        );
      }
      if (scaling.desiredSize < scaling.minSize || scaling.desiredSize > scaling.maxSize) {
        throw invalidParameter(
          `Invalid scalingConfig: desiredSize ${scaling.desiredSize} must be between minSize ${scaling.minSize} and maxSize ${scaling.maxSize}`,
          fields,
        );
      }
    }
    if (input.labels || input.taints) {
      // Not modelled: refused loudly rather than accepted and dropped.
      throw new NotSimulatedError('eks', 'UpdateNodegroupConfig with labels or taints');
    }
    if (!config && !scaling) {
      throw invalidParameter('No changes needed: give updateConfig or scalingConfig', fields);
    }
    const scalingParams = input.scalingConfig
      ? (
          [
            ['MinSize', input.scalingConfig.minSize],
            ['MaxSize', input.scalingConfig.maxSize],
            ['DesiredSize', input.scalingConfig.desiredSize],
          ] as const
        ).flatMap(([type, value]) => (value === undefined ? [] : [{ type, value: String(value) }]))
      : [];
    const params = [
      ...scalingParams,
      ...(config?.maxUnavailable !== undefined
        ? [{ type: 'MaxUnavailable' as const, value: String(config.maxUnavailable) }]
        : []),
      ...(config?.maxUnavailablePercentage !== undefined
        ? [{ type: 'MaxUnavailablePercentage' as const, value: String(config.maxUnavailablePercentage) }]
        : []),
    ];
    const update = this.newUpdate(
      cluster,
      { kind: 'nodegroupUpdate', type: 'ConfigUpdate', nodegroup: ng.name, params },
      input.clientRequestToken,
    );
    ng.status = 'UPDATING';
    this.ctx.scheduler.after(
      45_000 + hashInt(30_000, update.id),
      `eks ${cluster.name} nodegroup ${ng.name} config`,
      () => {
        if (config) {
          ng.updateConfig =
            config.maxUnavailable !== undefined
              ? { maxUnavailable: config.maxUnavailable }
              : { maxUnavailablePercentage: config.maxUnavailablePercentage };
        }
        if (scaling) {
          // The node group's Auto Scaling group follows, launching or terminating nodes.
          ng.scaling = scaling;
          this.autoscaling.setCapacity(ng.asg, {
            min: scaling.minSize,
            max: scaling.maxSize,
            desired: scaling.desiredSize,
          });
        }
        ng.status = 'ACTIVE';
        ng.modifiedAt = this.ctx.scheduler.now();
        this.end(update, 'Successful');
      },
    );
    return { update: this.updateOutput(update) };
  };

  // -------------------------------------------------------------------------------------------------------------
  // Add-ons

  // https://docs.aws.amazon.com/eks/latest/APIReference/API_ListAddons.html
  private listAddons = (input: ListAddonsRequest, region: string): ListAddonsResponse => {
    const cluster = this.clusterOrThrow(region, input.clusterName);
    const { page, nextToken } = paginate([...cluster.addons.keys()], {
      nextToken: input.nextToken,
      maxResults: input.maxResults,
      defaultMax: 100,
      limits: eksPageLimits,
      invalidToken: this.invalidToken,
    });
    return { addons: page, ...(nextToken ? { nextToken } : {}) };
  };

  private addonOutput(cluster: SimEksCluster, a: SimEksAddon): Addon {
    return {
      addonName: a.name,
      clusterName: cluster.name,
      status: a.status,
      addonVersion: a.version,
      health: { issues: a.issues.map((i) => ({ ...i })) },
      addonArn: a.arn,
      createdAt: a.createdAt,
      modifiedAt: a.modifiedAt,
      tags: {},
      ...(a.serviceAccountRoleArn ? { serviceAccountRoleArn: a.serviceAccountRoleArn } : {}),
      ...(a.configurationValues ? { configurationValues: a.configurationValues } : {}),
    };
  }

  // https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeAddon.html
  private describeAddon = (input: DescribeAddonRequest, region: string): DescribeAddonResponse => {
    const cluster = this.clusterOrThrow(region, input.clusterName);
    return { addon: this.addonOutput(cluster, this.addonOrThrow(cluster, input.addonName)) };
  };

  // https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeAddonVersions.html
  private describeAddonVersions = (
    input: DescribeAddonVersionsRequest,
    _region: string,
  ): DescribeAddonVersionsResponse => {
    const k8s = input.kubernetesVersion;
    const addons = addonCatalog()
      .filter((a) => !input.addonName || a.name === input.addonName)
      .filter((a) => !input.types?.length || input.types.includes(a.type))
      .filter(() => !input.publishers?.length || input.publishers.includes('eks'))
      .filter(() => !input.owners?.length || input.owners.includes('aws'))
      .map((a) => ({
        addonName: a.name,
        type: a.type,
        publisher: 'eks',
        owner: 'aws',
        addonVersions: a.versions
          .filter((v) => !k8s || v.clusterVersions.includes(k8s))
          .map((v) => ({
            addonVersion: v.addonVersion,
            architecture: ['amd64', 'arm64'],
            computeTypes: ['ec2'],
            compatibilities: v.clusterVersions
              .filter((cv) => !k8s || cv === k8s)
              .map((cv) => ({
                clusterVersion: cv,
                platformVersions: ['*'],
                defaultVersion: v.defaultFor.includes(cv),
              })),
            requiresConfiguration: false,
            requiresIamPermissions: a.requiresIamPermissions,
          })),
      }))
      .filter((a) => a.addonVersions.length > 0);
    const { page, nextToken } = paginate(addons, {
      nextToken: input.nextToken,
      maxResults: input.maxResults,
      defaultMax: 100,
      limits: eksPageLimits,
      invalidToken: this.invalidToken,
    });
    return { addons: page, ...(nextToken ? { nextToken } : {}) };
  };

  // https://docs.aws.amazon.com/eks/latest/userguide/updating-an-add-on.html: the version must be compatible with
  // the cluster's Kubernetes version; add-ons cannot be downgraded; the update takes a minute or few.
  private updateAddon = (input: UpdateAddonRequest, region: string): UpdateAddonResponse => {
    const cluster = this.clusterOrThrow(region, input.clusterName);
    const addon = this.addonOrThrow(cluster, input.addonName);
    const replay = this.replayed(cluster, input.clientRequestToken);
    if (replay) return { update: this.updateOutput(replay) };
    const fields = { clusterName: cluster.name, addonName: addon.name };
    if (addon.status === 'UPDATING') {
      throw inUse(
        `Addon ${addon.name} is currently being updated (status UPDATING); wait for that update to finish`,
        fields,
      );
    }
    if (cluster.status === 'UPDATING') {
      throw inUse(
        `Cluster ${cluster.name} is currently being updated (status UPDATING); wait for that update to finish`,
        fields,
      );
    }
    const version = input.addonVersion ?? addon.version;
    if (!isAddonVersionCompatible(addon.name, version, cluster.version)) {
      const known = findAddon(addon.name)?.versions.some((v) => v.addonVersion === version);
      throw invalidParameter(
        known
          ? `Addon version specified is not supported: ${addon.name} ${version} is not compatible with Kubernetes ${cluster.version} (see DescribeAddonVersions)`
          : `Addon version specified is not supported: ${addon.name} has no version ${version}`,
        fields,
      );
    }
    if (compareAddonVersions(version, addon.version) < 0) {
      throw invalidParameter(
        `Addon version specified is not supported: ${addon.name} cannot be downgraded from ${addon.version} to ${version}`,
        fields,
      );
    }
    const params: UpdateParam[] = [{ type: 'AddonVersion', value: version }];
    if (input.resolveConflicts) params.push({ type: 'ResolveConflicts', value: input.resolveConflicts });
    if (input.serviceAccountRoleArn) params.push({ type: 'ServiceAccountRoleArn', value: input.serviceAccountRoleArn });
    if (input.configurationValues !== undefined) {
      params.push({ type: 'ConfigurationValues', value: input.configurationValues });
    }
    const update = this.newUpdate(
      cluster,
      { kind: 'addonUpdate', type: 'AddonUpdate', addon: addon.name, params },
      input.clientRequestToken,
    );
    addon.status = 'UPDATING';
    addon.modifiedAt = this.ctx.scheduler.now();
    const durationMs = 60_000 + hashInt(120_001, update.id);
    this.ctx.scheduler.after(durationMs, `eks ${cluster.name} addon ${addon.name} ${version}`, () => {
      addon.modifiedAt = this.ctx.scheduler.now();
      const fault = this.takeFault(cluster.name, 'addonUpdateFails', (f) => f.addon === addon.name);
      // OVERWRITE resolves field-ownership conflicts (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-field-management.html).
      const overwritten = fault?.errorCode === 'ConfigurationConflict' && input.resolveConflicts === 'OVERWRITE';
      if (fault && !overwritten) {
        addon.status = 'UPDATE_FAILED';
        addon.issues = [{ code: fault.errorCode as AddonIssue['code'], message: fault.message, resourceIds: [] }];
        this.end(update, 'Failed', [
          { errorCode: fault.errorCode as ErrorCode, errorMessage: fault.message, resourceIds: [] },
        ]);
        // The add-on keeps running its previous version; it reports ACTIVE again once EKS has rolled back.
        this.ctx.scheduler.after(60_000, `eks ${cluster.name} addon ${addon.name} rolled back`, () => {
          if (addon.status !== 'UPDATE_FAILED') return;
          addon.status = 'ACTIVE';
          addon.issues = [];
        });
        return;
      }
      addon.version = version;
      addon.status = 'ACTIVE';
      addon.issues = [];
      if (input.configurationValues !== undefined) addon.configurationValues = input.configurationValues;
      if (input.serviceAccountRoleArn) addon.serviceAccountRoleArn = input.serviceAccountRoleArn;
      this.end(update, 'Successful');
      // The new version's pods do not come up (a fault): the add-on reports DEGRADED with a health issue.
      const degraded = this.takeFault(cluster.name, 'addonDegradedAfterUpdate', (f) => f.addon === addon.name);
      if (degraded) {
        addon.status = 'DEGRADED';
        addon.issues = [{ code: degraded.code as AddonIssue['code'], message: degraded.message, resourceIds: [] }];
      }
    });
    return { update: this.updateOutput(update) };
  };
}
