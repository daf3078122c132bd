/**
 * Simulated Amazon EC2: the cluster VPCs and subnets, instances launched by Auto Scaling, launch templates and
 * their versions, and the EKS-optimized AMIs of the catalog.
 */
import type {
  CreateLaunchTemplateVersionRequest,
  CreateLaunchTemplateVersionResult,
  DescribeImagesRequest,
  DescribeImagesResult,
  DescribeInstancesRequest,
  DescribeInstancesResult,
  DescribeLaunchTemplatesRequest,
  DescribeLaunchTemplatesResult,
  DescribeLaunchTemplateVersionsRequest,
  DescribeLaunchTemplateVersionsResult,
  DescribeSubnetsRequest,
  DescribeSubnetsResult,
  Image,
  Instance,
  InstanceStateName,
  LaunchTemplate,
  LaunchTemplateVersion,
  ModifyLaunchTemplateRequest,
  ModifyLaunchTemplateResult,
  ResponseLaunchTemplateData,
  Subnet,
  TerminateInstancesRequest,
  TerminateInstancesResult,
} from '@aws-sdk/client-ec2';
import { type AmiImage, imageById, publicParameters, regionImages } from './catalog.js';
import { unmodelled } from './errors.js';
import { awsId } from './ids.js';
import type { SimAwsContext } from './types.js';
import {
  handler,
  matchesFilters,
  type PageLimits,
  paginate,
  type SimHandler,
  tagFilterValues,
  tagList,
} from './util.js';

export interface SimSubnet {
  subnetId: string;
  region: string;
  cluster: string;
  vpcId: string;
  availabilityZone: string;
  availabilityZoneId: string;
  cidrBlock: string;
  /** First three octets' base, e.g. [10, 1, 32] for 10.1.32.0/19. */
  base: [number, number, number];
  nextHost: number;
  tags: Record<string, string>;
  /** Addresses used by things outside the simulation (other workloads, endpoints, load balancers). */
  usedElsewhere: number;
}

export interface SimNetwork {
  vpcId: string;
  subnets: SimSubnet[];
  clusterSecurityGroupId: string;
  securityGroupId: string;
}

export interface SimInstance {
  instanceId: string;
  region: string;
  cluster: string;
  availabilityZone: string;
  availabilityZoneId: string;
  subnetId: string;
  vpcId: string;
  privateIpAddress: string;
  privateDnsName: string;
  imageId: string;
  image: AmiImage;
  instanceType: string;
  launchTime: Date;
  state: InstanceStateName;
  stateTransitionReason: string;
  tags: Record<string, string>;
  launchTemplate?: { id: string; name: string; version: number };
  /** Pod addresses the VPC CNI may hand out on this node (counted against the subnet). */
  maxPods: number;
}

export interface SimLaunchTemplateVersion {
  versionNumber: number;
  description?: string;
  createTime: Date;
  createdBy: string;
  data: ResponseLaunchTemplateData;
}

export interface SimLaunchTemplate {
  id: string;
  name: string;
  region: string;
  createTime: Date;
  createdBy: string;
  defaultVersion: number;
  versions: SimLaunchTemplateVersion[];
  tags: Record<string, string>;
}

const STATE_CODES: Record<string, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

/** `eu-west-1` → `euw1`, as AWS abbreviates regions in zone ids (`euw1-az1`). */
function regionShortName(region: string): string {
  const [area = '', direction = '', number = ''] = region.split('-');
  const compass: Record<string, string> = {
    north: 'n',
    south: 's',
    east: 'e',
    west: 'w',
    central: 'c',
    northeast: 'ne',
    southeast: 'se',
    northwest: 'nw',
    southwest: 'sw',
  };
  return `${area}${compass[direction] ?? direction.slice(0, 1)}${number}`;
}

/** `ip-10-0-33-17.eu-west-1.compute.internal`; us-east-1 uses `ec2.internal` (EC2 instance hostname types). */
function privateDnsName(region: string, ip: string): string {
  const host = `ip-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/**
 * `MaxResults` bounds: DescribeSubnets 5-1000 and DescribeLaunchTemplates 1-200 from the EC2 service model;
 * DescribeInstances 5-1000, DescribeImages 1-1000 and DescribeLaunchTemplateVersions 1-200 from the API reference.
 */
const ec2Results = (min: number, max: number): PageLimits => ({
  member: 'MaxResults',
  min,
  max,
  refuse: (message) => unmodelled('ec2', 'InvalidParameterValue', message),
});

export class SimEc2 {
  readonly instances = new Map<string, SimInstance>();
  readonly launchTemplates = new Map<string, SimLaunchTemplate>();
  readonly networks = new Map<string, SimNetwork>();
  /** Set by the account: Auto Scaling replaces an instance terminated through EC2. */
  onInstanceTerminatedByEc2: (instanceId: string) => void = () => {};

  constructor(private readonly ctx: SimAwsContext) {}

  /** Creates the VPC of a cluster: one private /19 subnet in each of three Availability Zones. */
  createClusterNetwork(cluster: string, region: string, index: number): SimNetwork {
    const vpcId = awsId('vpc', region, cluster);
    const short = regionShortName(region);
    const subnets = ['a', 'b', 'c'].map((letter, i): SimSubnet => {
      const base: [number, number, number] = [10, index % 256, i * 32];
      return {
        subnetId: awsId('subnet', region, cluster, letter),
        region,
        cluster,
        vpcId,
        availabilityZone: `${region}${letter}`,
        availabilityZoneId: `${short}-az${i + 1}`,
        cidrBlock: `${base.join('.')}.0/19`,
        base,
        nextHost: 10,
        usedElsewhere: 0,
        tags: {
          Name: `${cluster}-private-${region}${letter}`,
          [`kubernetes.io/cluster/${cluster}`]: 'shared',
          'kubernetes.io/role/internal-elb': '1',
        },
      };
    });
    const network: SimNetwork = {
      vpcId,
      subnets,
      clusterSecurityGroupId: awsId('sg', region, cluster, 'cluster'),
      securityGroupId: awsId('sg', region, cluster, 'control-plane'),
    };
    this.networks.set(cluster, network);
    return network;
  }

  network(cluster: string): SimNetwork {
    const network = this.networks.get(cluster);
    if (!network) throw new Error(`no simulated VPC for cluster ${cluster}`);
    return network;
  }

  /** Addresses still free in a subnet: a /19 holds 8,187 usable addresses; each node takes one plus its pods'. */
  // VPC CNI gives each pod a VPC address (https://docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html);
  // counting maxPods per node is the upper bound of what the CNI may hold.
  availableIpAddressCount(subnet: SimSubnet): number {
    let used = 0;
    for (const i of this.instances.values()) {
      if (i.subnetId === subnet.subnetId && i.state !== 'terminated') used += 1 + i.maxPods;
    }
    return Math.max(0, 8192 - 5 - used - subnet.usedElsewhere);
  }

  /** Makes a subnet have `free` addresses now, by counting the rest as used outside the simulation. */
  setAvailableIpAddressCount(subnet: SimSubnet, free: number): void {
    subnet.usedElsewhere = Math.max(0, subnet.usedElsewhere + this.availableIpAddressCount(subnet) - free);
  }

  createLaunchTemplate(options: {
    region: string;
    name: string;
    data: ResponseLaunchTemplateData;
    createdBy: string;
    tags?: Record<string, string>;
  }): SimLaunchTemplate {
    const now = this.ctx.scheduler.now();
    const lt: SimLaunchTemplate = {
      id: awsId('lt', options.region, options.name),
      name: options.name,
      region: options.region,
      createTime: now,
      createdBy: options.createdBy,
      defaultVersion: 1,
      versions: [{ versionNumber: 1, createTime: now, createdBy: options.createdBy, data: options.data }],
      tags: options.tags ?? {},
    };
    this.launchTemplates.set(lt.id, lt);
    return lt;
  }

  /** Adds a version to a launch template (new version inherits from `source` except for what `data` sets). */
  // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/manage-launch-template-versions.html
  addLaunchTemplateVersion(
    lt: SimLaunchTemplate,
    data: ResponseLaunchTemplateData,
    options: { source?: SimLaunchTemplateVersion; description?: string; createdBy: string },
  ): SimLaunchTemplateVersion {
    const versionNumber = Math.max(...lt.versions.map((v) => v.versionNumber)) + 1;
    const version: SimLaunchTemplateVersion = {
      versionNumber,
      createTime: this.ctx.scheduler.now(),
      createdBy: options.createdBy,
      data: { ...(options.source?.data ?? {}), ...data },
      ...(options.description ? { description: options.description } : {}),
    };
    lt.versions.push(version);
    return version;
  }

  /** Resolves `$Latest`, `$Default` or a version number; undefined when there is no such version. */
  resolveVersion(lt: SimLaunchTemplate, spec: string | undefined): SimLaunchTemplateVersion | undefined {
    const wanted =
      spec === undefined || spec === '$Default'
        ? lt.defaultVersion
        : spec === '$Latest'
          ? Math.max(...lt.versions.map((v) => v.versionNumber))
          : Number(spec);
    return lt.versions.find((v) => v.versionNumber === wanted);
  }

  findLaunchTemplate(region: string, ref: { id?: string | undefined; name?: string | undefined }) {
    for (const lt of this.launchTemplates.values()) {
      if (lt.region !== region) continue;
      if (ref.id ? lt.id === ref.id : lt.name === ref.name) return lt;
    }
    return undefined;
  }

  /** An AMI of the catalog, by id or by `resolve:ssm:<public parameter>` as launch templates allow. */
  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/using-systems-manager-parameters.html
  resolveImage(region: string, imageId: string | undefined): AmiImage | undefined {
    if (!imageId) return undefined;
    if (imageId.startsWith('resolve:ssm:')) {
      const param = publicParameters(region).get(imageId.slice('resolve:ssm:'.length));
      return param ? imageById(region, param.value) : undefined;
    }
    return imageById(region, imageId);
  }

  /** Starts an instance in a subnet (state `pending`). */
  runInstance(options: {
    region: string;
    cluster: string;
    subnet: SimSubnet;
    image: AmiImage;
    instanceType: string;
    tags: Record<string, string>;
    launchTemplate?: { id: string; name: string; version: number };
    maxPods: number;
    launchTime?: Date;
  }): SimInstance {
    const seq = this.ctx.nextSeq('instance');
    const host = options.subnet.nextHost++;
    const [a, b, c] = options.subnet.base;
    const ip = `${a}.${b}.${c + Math.floor(host / 256)}.${host % 256}`;
    const instance: SimInstance = {
      instanceId: awsId('i', options.region, options.cluster, String(seq)),
      region: options.region,
      cluster: options.cluster,
      availabilityZone: options.subnet.availabilityZone,
      availabilityZoneId: options.subnet.availabilityZoneId,
      subnetId: options.subnet.subnetId,
      vpcId: options.subnet.vpcId,
      privateIpAddress: ip,
      privateDnsName: privateDnsName(options.region, ip),
      imageId: options.image.imageId,
      image: options.image,
      instanceType: options.instanceType,
      launchTime: options.launchTime ?? this.ctx.scheduler.now(),
      state: 'pending',
      stateTransitionReason: '',
      tags: options.tags,
      maxPods: options.maxPods,
      ...(options.launchTemplate ? { launchTemplate: options.launchTemplate } : {}),
    };
    this.instances.set(instance.instanceId, instance);
    return instance;
  }

  setState(instanceId: string, state: InstanceStateName, reason = ''): void {
    const instance = this.instances.get(instanceId);
    if (!instance) return;
    instance.state = state;
    if (reason) instance.stateTransitionReason = reason;
  }

  commands(): Record<string, SimHandler> {
    return {
      DescribeInstances: handler(this.describeInstances),
      TerminateInstances: handler(this.terminateInstances),
      DescribeImages: handler(this.describeImages),
      DescribeSubnets: handler(this.describeSubnets),
      DescribeLaunchTemplates: handler(this.describeLaunchTemplates),
      DescribeLaunchTemplateVersions: handler(this.describeLaunchTemplateVersions),
      CreateLaunchTemplateVersion: handler(this.createLaunchTemplateVersion),
      ModifyLaunchTemplate: handler(this.modifyLaunchTemplate),
    };
  }

  // -------------------------------------------------------------------------------------------------------------
  // API

  private invalidToken = () => unmodelled('ec2', 'InvalidParameterValue', 'The specified NextToken is not valid.');

  private instanceOutput(i: SimInstance): Instance {
    return {
      InstanceId: i.instanceId,
      ImageId: i.imageId,
      InstanceType: i.instanceType as Instance['InstanceType'],
      Architecture: i.image.architecture,
      LaunchTime: i.launchTime,
      Placement: { AvailabilityZone: i.availabilityZone, AvailabilityZoneId: i.availabilityZoneId, Tenancy: 'default' },
      PrivateDnsName: i.state === 'terminated' ? '' : i.privateDnsName,
      PrivateIpAddress: i.state === 'terminated' ? undefined : i.privateIpAddress,
      State: { Code: STATE_CODES[i.state] ?? 0, Name: i.state },
      StateTransitionReason: i.stateTransitionReason,
      SubnetId: i.subnetId,
      VpcId: i.vpcId,
      AmiLaunchIndex: 0,
      Hypervisor: 'xen',
      VirtualizationType: 'hvm',
      RootDeviceType: 'ebs',
      RootDeviceName: '/dev/xvda',
      PlatformDetails: 'Linux/UNIX',
      Monitoring: { State: 'disabled' },
      Tags: tagList(i.tags),
    };
  }

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html
  private describeInstances = (input: DescribeInstancesRequest, region: string): DescribeInstancesResult => {
    const inRegion = [...this.instances.values()].filter((i) => i.region === region);
    if (input.InstanceIds?.length) {
      const missing = input.InstanceIds.filter((id) => !inRegion.some((i) => i.instanceId === id));
      if (missing.length) {
        throw unmodelled(
          'ec2',
          'InvalidInstanceID.NotFound',
          missing.length === 1
            ? `The instance ID '${missing[0]}' does not exist`
            : `The instance IDs '${missing.join(', ')}' do not exist`,
        );
      }
    }
    const selected = inRegion.filter(
      (i) =>
        (!input.InstanceIds?.length || input.InstanceIds.includes(i.instanceId)) &&
        matchesFilters(input.Filters, (name) => {
          switch (name) {
            case 'instance-id':
              return [i.instanceId];
            case 'instance-state-name':
              return [i.state];
            case 'private-dns-name':
              return [i.privateDnsName];
            case 'private-ip-address':
              return [i.privateIpAddress];
            case 'vpc-id':
              return [i.vpcId];
            case 'subnet-id':
              return [i.subnetId];
            case 'availability-zone':
              return [i.availabilityZone];
            case 'image-id':
              return [i.imageId];
            case 'instance-type':
              return [i.instanceType];
            default:
              return tagFilterValues(name, i.tags);
          }
        }),
    );
    const { page, nextToken } = paginate(selected, {
      nextToken: input.NextToken,
      maxResults: input.MaxResults,
      defaultMax: 1000,
      limits: ec2Results(5, 1000),
      invalidToken: this.invalidToken,
    });
    return {
      Reservations: page.map((i) => ({
        ReservationId: awsId('r', i.instanceId),
        OwnerId: this.ctx.accountId,
        Groups: [],
        Instances: [this.instanceOutput(i)],
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  };

  // Terminating an Auto Scaling instance through EC2: the group notices and launches a replacement.
  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-health-checks.html
  private terminateInstances = (input: TerminateInstancesRequest, region: string): TerminateInstancesResult => {
    const ids = input.InstanceIds ?? [];
    const missing = ids.filter((id) => this.instances.get(id)?.region !== region);
    if (missing.length) {
      throw unmodelled('ec2', 'InvalidInstanceID.NotFound', `The instance ID '${missing.join(', ')}' does not exist`);
    }
    return {
      TerminatingInstances: ids.map((id) => {
        const instance = this.instances.get(id) as SimInstance;
        const previous = instance.state;
        if (previous !== 'terminated' && previous !== 'shutting-down') this.onInstanceTerminatedByEc2(id);
        return {
          InstanceId: id,
          PreviousState: { Code: STATE_CODES[previous] ?? 0, Name: previous },
          CurrentState: { Code: STATE_CODES[instance.state] ?? 0, Name: instance.state },
        };
      }),
    };
  };

  private imageOutput(image: AmiImage): Image {
    const bottlerocket = image.family === 'bottlerocket';
    return {
      ImageId: image.imageId,
      Name: image.amiName,
      Description: image.description,
      Architecture: image.architecture,
      CreationDate: image.creationDate,
      ImageLocation: `amazon/${image.amiName}`,
      ImageOwnerAlias: 'amazon',
      OwnerId: bottlerocket ? '092701018921' : '602401143452',
      Public: true,
      State: 'available',
      ImageType: 'machine',
      PlatformDetails: 'Linux/UNIX',
      UsageOperation: 'RunInstances',
      RootDeviceType: 'ebs',
      RootDeviceName: '/dev/xvda',
      VirtualizationType: 'hvm',
      Hypervisor: 'xen',
      EnaSupport: true,
      SriovNetSupport: 'simple',
      BootMode: 'uefi-preferred',
    };
  }

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html
  private describeImages = (input: DescribeImagesRequest, region: string): DescribeImagesResult => {
    const images = regionImages(region);
    if (input.ImageIds?.length) {
      const missing = input.ImageIds.filter((id) => !images.has(id));
      if (missing.length) {
        throw unmodelled('ec2', 'InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`);
      }
    }
    if (input.Owners?.length && !input.Owners.some((o) => o === 'amazon' || /^\d{12}$/.test(o))) {
      return { Images: [] };
    }
    const selected = [...images.values()]
      .filter((image) => !input.ImageIds?.length || input.ImageIds.includes(image.imageId))
      .filter((image) => {
        const out = this.imageOutput(image);
        return matchesFilters(input.Filters, (name) => {
          switch (name) {
            case 'name':
              return [out.Name ?? ''];
            case 'image-id':
              return [image.imageId];
            case 'architecture':
              return [image.architecture];
            case 'description':
              return [image.description];
            case 'state':
              return ['available'];
            case 'owner-alias':
              return ['amazon'];
            case 'owner-id':
              return [out.OwnerId ?? ''];
            default:
              return undefined;
          }
        });
      });
    const { page, nextToken } = paginate(selected, {
      nextToken: input.NextToken,
      maxResults: input.MaxResults,
      defaultMax: 1000,
      limits: ec2Results(1, 1000),
      invalidToken: this.invalidToken,
    });
    return { Images: page.map((i) => this.imageOutput(i)), ...(nextToken ? { NextToken: nextToken } : {}) };
  };

  private subnetOutput(s: SimSubnet): Subnet {
    return {
      SubnetId: s.subnetId,
      SubnetArn: `arn:aws:ec2:${s.region}:${this.ctx.accountId}:subnet/${s.subnetId}`,
      VpcId: s.vpcId,
      AvailabilityZone: s.availabilityZone,
      AvailabilityZoneId: s.availabilityZoneId,
      CidrBlock: s.cidrBlock,
      AvailableIpAddressCount: this.availableIpAddressCount(s),
      State: 'available',
      DefaultForAz: false,
      MapPublicIpOnLaunch: false,
      OwnerId: this.ctx.accountId,
      Tags: tagList(s.tags),
    };
  }

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html
  private describeSubnets = (input: DescribeSubnetsRequest, region: string): DescribeSubnetsResult => {
    const all = [...this.networks.values()].flatMap((n) => n.subnets).filter((s) => s.region === region);
    const missing = (input.SubnetIds ?? []).filter((id) => !all.some((s) => s.subnetId === id));
    if (missing.length) {
      throw unmodelled('ec2', 'InvalidSubnetID.NotFound', `The subnet ID '${missing.join(', ')}' does not exist`);
    }
    const selected = all.filter(
      (s) =>
        (!input.SubnetIds?.length || input.SubnetIds.includes(s.subnetId)) &&
        matchesFilters(input.Filters, (name) => {
          switch (name) {
            case 'subnet-id':
              return [s.subnetId];
            case 'vpc-id':
              return [s.vpcId];
            case 'availability-zone':
              return [s.availabilityZone];
            case 'availability-zone-id':
              return [s.availabilityZoneId];
            case 'cidr-block':
              return [s.cidrBlock];
            case 'state':
              return ['available'];
            default:
              return tagFilterValues(name, s.tags);
          }
        }),
    );
    const { page, nextToken } = paginate(selected, {
      nextToken: input.NextToken,
      maxResults: input.MaxResults,
      defaultMax: 1000,
      limits: ec2Results(5, 1000),
      invalidToken: this.invalidToken,
    });
    return { Subnets: page.map((s) => this.subnetOutput(s)), ...(nextToken ? { NextToken: nextToken } : {}) };
  };

  private launchTemplateOrThrow(region: string, input: { LaunchTemplateId?: string; LaunchTemplateName?: string }) {
    if (!input.LaunchTemplateId && !input.LaunchTemplateName) {
      throw unmodelled(
        'ec2',
        'MissingParameter',
        'The request must contain the parameter LaunchTemplateId or LaunchTemplateName',
      );
    }
    const lt = this.findLaunchTemplate(region, { id: input.LaunchTemplateId, name: input.LaunchTemplateName });
    if (lt) return lt;
    if (input.LaunchTemplateId) {
      throw unmodelled(
        'ec2',
        'InvalidLaunchTemplateId.NotFound',
        `The specified launch template, with template ID ${input.LaunchTemplateId}, does not exist.`,
      );
    }
    throw unmodelled(
      'ec2',
      'InvalidLaunchTemplateName.NotFoundException',
      `The specified launch template, with template name ${input.LaunchTemplateName}, does not exist.`,
    );
  }

  private launchTemplateOutput(lt: SimLaunchTemplate): LaunchTemplate {
    return {
      LaunchTemplateId: lt.id,
      LaunchTemplateName: lt.name,
      CreateTime: lt.createTime,
      CreatedBy: lt.createdBy,
      DefaultVersionNumber: lt.defaultVersion,
      LatestVersionNumber: Math.max(...lt.versions.map((v) => v.versionNumber)),
      Tags: tagList(lt.tags),
    };
  }

  private versionOutput(lt: SimLaunchTemplate, v: SimLaunchTemplateVersion): LaunchTemplateVersion {
    return {
      LaunchTemplateId: lt.id,
      LaunchTemplateName: lt.name,
      VersionNumber: v.versionNumber,
      CreateTime: v.createTime,
      CreatedBy: v.createdBy,
      DefaultVersion: v.versionNumber === lt.defaultVersion,
      LaunchTemplateData: structuredClone(v.data),
      ...(v.description ? { VersionDescription: v.description } : {}),
    };
  }

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplates.html
  private describeLaunchTemplates = (
    input: DescribeLaunchTemplatesRequest,
    region: string,
  ): DescribeLaunchTemplatesResult => {
    const all = [...this.launchTemplates.values()].filter((lt) => lt.region === region);
    for (const id of input.LaunchTemplateIds ?? []) this.launchTemplateOrThrow(region, { LaunchTemplateId: id });
    for (const name of input.LaunchTemplateNames ?? [])
      this.launchTemplateOrThrow(region, { LaunchTemplateName: name });
    const selected = all.filter(
      (lt) =>
        (!input.LaunchTemplateIds?.length || input.LaunchTemplateIds.includes(lt.id)) &&
        (!input.LaunchTemplateNames?.length || input.LaunchTemplateNames.includes(lt.name)) &&
        matchesFilters(input.Filters, (name) =>
          name === 'launch-template-name' ? [lt.name] : tagFilterValues(name, lt.tags),
        ),
    );
    const { page, nextToken } = paginate(selected, {
      nextToken: input.NextToken,
      maxResults: input.MaxResults,
      defaultMax: 1000,
      limits: ec2Results(1, 200),
      invalidToken: this.invalidToken,
    });
    return {
      LaunchTemplates: page.map((lt) => this.launchTemplateOutput(lt)),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  };

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplateVersions.html
  private describeLaunchTemplateVersions = (
    input: DescribeLaunchTemplateVersionsRequest,
    region: string,
  ): DescribeLaunchTemplateVersionsResult => {
    const lt = this.launchTemplateOrThrow(region, input);
    let versions: SimLaunchTemplateVersion[];
    if (input.Versions?.length) {
      versions = input.Versions.map((spec) => {
        const v = this.resolveVersion(lt, spec);
        if (!v) {
          throw unmodelled(
            'ec2',
            'InvalidLaunchTemplateId.VersionNotFound',
            `Could not find launch template version ${spec} for launch template ${lt.id}.`,
          );
        }
        return v;
      });
    } else {
      const min = input.MinVersion ? Number(input.MinVersion) : 1;
      const max = input.MaxVersion ? Number(input.MaxVersion) : Number.POSITIVE_INFINITY;
      versions = lt.versions.filter((v) => v.versionNumber >= min && v.versionNumber <= max);
    }
    const sorted = [...versions].sort((a, b) => b.versionNumber - a.versionNumber);
    const { page, nextToken } = paginate(sorted, {
      nextToken: input.NextToken,
      maxResults: input.MaxResults,
      defaultMax: 200,
      limits: ec2Results(1, 200),
      invalidToken: this.invalidToken,
    });
    return {
      LaunchTemplateVersions: page.map((v) => this.versionOutput(lt, v)),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  };

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplateVersion.html
  private createLaunchTemplateVersion = (
    input: CreateLaunchTemplateVersionRequest,
    region: string,
  ): CreateLaunchTemplateVersionResult => {
    const lt = this.launchTemplateOrThrow(region, input);
    if (!input.LaunchTemplateData) {
      throw unmodelled('ec2', 'MissingParameter', 'The request must contain the parameter LaunchTemplateData');
    }
    let source: SimLaunchTemplateVersion | undefined;
    if (input.SourceVersion !== undefined) {
      source = this.resolveVersion(lt, input.SourceVersion);
      if (!source) {
        throw unmodelled(
          'ec2',
          'InvalidLaunchTemplateId.VersionNotFound',
          `Could not find launch template version ${input.SourceVersion} for launch template ${lt.id}.`,
        );
      }
    }
    const imageId = input.LaunchTemplateData.ImageId;
    if (imageId !== undefined && !this.resolveImage(region, imageId)) {
      throw unmodelled('ec2', 'InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`);
    }
    // Request and response launch template data share the fields the simulator reads (ImageId, InstanceType, UserData).
    const data = structuredClone(input.LaunchTemplateData) as ResponseLaunchTemplateData;
    const version = this.addLaunchTemplateVersion(lt, data, {
      createdBy: `arn:aws:sts::${this.ctx.accountId}:assumed-role/simulated/caller`,
      ...(source ? { source } : {}),
      ...(input.VersionDescription ? { description: input.VersionDescription } : {}),
    });
    return { LaunchTemplateVersion: this.versionOutput(lt, version) };
  };

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyLaunchTemplate.html
  private modifyLaunchTemplate = (input: ModifyLaunchTemplateRequest, region: string): ModifyLaunchTemplateResult => {
    const lt = this.launchTemplateOrThrow(region, input);
    if (input.DefaultVersion !== undefined) {
      const v = this.resolveVersion(lt, input.DefaultVersion);
      if (!v) {
        throw unmodelled(
          'ec2',
          'InvalidLaunchTemplateId.VersionNotFound',
          `Could not find launch template version ${input.DefaultVersion} for launch template ${lt.id}.`,
        );
      }
      lt.defaultVersion = v.versionNumber;
    }
    return { LaunchTemplate: this.launchTemplateOutput(lt) };
  };
}
