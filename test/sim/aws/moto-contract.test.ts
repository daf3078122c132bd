/**
 * Contract tests: the product's own code paths, run against moto (a third-party AWS mock nobody here wrote, over
 * HTTP on 127.0.0.1) and against the simulator, with the same assertions. Each backend is seeded with the same
 * world through what it offers (moto: the SDK's create calls; the simulator: a scenario). Where the two differ,
 * a comment names the AWS documentation that decides. The operations covered are listed in
 * test/referees/moto-slice.ts (the "moto" column of docs/aws-coverage.md); the test checks it used each of them
 * against moto.
 */
import { CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateImageCommand,
  CreateLaunchTemplateCommand,
  DescribeImagesCommand,
  DescribeSubnetsCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateFargateProfileCommand,
  CreateNodegroupCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
} from '@aws-sdk/client-eks';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountClients, callerAccountId } from '../../../lib/aws/accounts.js';
import { type AwsClientClasses, type AwsClients, createAwsClients } from '../../../lib/aws/clients.js';
import { everyAwsClient } from '../../../lib/aws/every-client.js';
import { s3FleetStore } from '../../../lib/fleet/store.js';
import { connectToCluster } from '../../../lib/kube/connect.js';
import { launchTemplateForVersion } from '../../../lib/nodes/ami.js';
import { fargateProfilesOf } from '../../../lib/nodes/fargate.js';
import { startNodegroupUpgrade } from '../../../lib/nodes/managed.js';
import { rotateSelfManagedGroup } from '../../../lib/nodes/selfmanaged.js';
import { publishNotification } from '../../../lib/notify/messages.js';
import { selfManagedGroupsOf } from '../../../lib/planning/plan.js';
import { subnetFindings } from '../../../lib/readiness/checks/capacity.js';
import type { ClusterFacts, ReadinessDeps } from '../../../lib/readiness/context.js';
import { MemoryLog } from '../../../lib/runtime/log.js';
import { parseScenario } from '../../../sim/scenario.js';
import { createSimWorld, type SimWorld } from '../../../sim/world.js';
import { type MotoServer, startMoto } from '../../moto.js';
import { startKube } from '../../readiness/harness.js';
import { motoOperations } from '../../referees/moto-slice.js';

const region = 'eu-west-1';
/** moto's account; the simulated one is given the same id so that ARNs compare. */
const own = '123456789012';
const member = '222233334444';
const credentials = { accessKeyId: 'AKIAOWNACCOUNT000000', secretAccessKey: 'own-secret' };

/** What a backend offers the product: clients as the product builds them, and the world seeded in it. */
interface Backend {
  name: 'moto' | 'simulator';
  build(region: string, credentials?: AwsCredentialIdentityProvider): AwsClients;
  aws: AwsClients;
  world: {
    selfManagedGroup: string;
    subnetIds: string[];
    topicArn: string;
    bucket: string;
    /** A launch template version without an AMI, and one naming an AL2023 1.32 EKS-optimized AMI. */
    templateWithoutAmi: { id: string; version: string };
    templateWithEksAmi: { id: string; version: string };
  };
}

const silentLog = new MemoryLog();

/** Client classes that send to moto's endpoint, and record the operations they send. */
function motoClasses(endpoint: string, sent: Set<string>): AwsClientClasses {
  const classes: Record<string, unknown> = {};
  for (const [service, Client] of Object.entries(everyAwsClient)) {
    const Base = Client as new (config: object) => { middlewareStack: { add: (...a: unknown[]) => void } };
    classes[service] = class extends Base {
      constructor(config: object) {
        super({ ...config, endpoint });
        this.middlewareStack.add(
          (next: (args: unknown) => unknown, context: { commandName?: string }) => (args: unknown) => {
            sent.add(`${service}.${(context.commandName ?? '').replace(/Command$/, '')}`);
            return next(args);
          },
          { step: 'initialize', name: 'motoContractRecorder' },
        );
      }
    };
  }
  return classes as AwsClientClasses;
}

async function motoBackend(moto: MotoServer, sent: Set<string>): Promise<Backend> {
  const classes = motoClasses(moto.endpoint, sent);
  const build = (r: string, c?: AwsCredentialIdentityProvider) =>
    createAwsClients({ classes, region: r, credentials: c ?? credentials, maxAttempts: 1 });
  const aws = build(region);
  const subnets = (await aws.ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
  const subnetIds = subnets.flatMap((s) => (s.SubnetId ? [s.SubnetId] : [])).slice(0, 2);
  await aws.eks.send(
    new CreateClusterCommand({
      name: 'shop',
      version: '1.32',
      roleArn: `arn:aws:iam::${own}:role/cluster`,
      resourcesVpcConfig: { subnetIds },
    }),
  );
  // moto gives a node group Kubernetes 1.19 when asked for none; EKS uses the cluster's version
  // (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html, `version`): name it.
  await aws.eks.send(
    new CreateNodegroupCommand({
      clusterName: 'shop',
      nodegroupName: 'general',
      version: '1.32',
      nodeRole: `arn:aws:iam::${own}:role/node`,
      subnets: subnetIds,
      scalingConfig: { minSize: 1, maxSize: 4, desiredSize: 2 },
    }),
  );
  await aws.eks.send(
    new CreateFargateProfileCommand({
      clusterName: 'shop',
      fargateProfileName: 'apps',
      podExecutionRoleArn: `arn:aws:iam::${own}:role/pods`,
      selectors: [{ namespace: 'payments' }],
    }),
  );
  // An AL2023 EKS-optimized AMI for 1.32, made from an instance as a pipeline would register it.
  const [base] = (await aws.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images ?? [];
  const instance = await aws.ec2.send(
    new RunInstancesCommand({ ImageId: base?.ImageId ?? '', MinCount: 1, MaxCount: 1, InstanceType: 'm5.large' }),
  );
  const image = await aws.ec2.send(
    new CreateImageCommand({
      InstanceId: instance.Instances?.[0]?.InstanceId ?? '',
      Name: 'amazon-eks-node-al2023-x86_64-standard-1.32-v20251112',
    }),
  );
  const plain = await aws.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'shop-edge',
      LaunchTemplateData: { InstanceType: 'm5.large' },
    }),
  );
  const eksAmi = await aws.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'shop-gpu',
      LaunchTemplateData: { InstanceType: 'm5.large', ImageId: image.ImageId ?? '' },
    }),
  );
  await aws.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'shop-legacy',
      MinSize: 1,
      MaxSize: 4,
      DesiredCapacity: 2,
      LaunchTemplate: { LaunchTemplateId: eksAmi.LaunchTemplate?.LaunchTemplateId ?? '', Version: '$Latest' },
      VPCZoneIdentifier: subnetIds.join(','),
      Tags: [{ Key: 'kubernetes.io/cluster/shop', Value: 'owned', PropagateAtLaunch: true }],
    }),
  );
  const topic = await aws.sns.send(new CreateTopicCommand({ Name: 'eks-upgrades' }));
  await aws.s3.send(
    new CreateBucketCommand({ Bucket: 'fleet-snapshots', CreateBucketConfiguration: { LocationConstraint: region } }),
  );
  return {
    name: 'moto',
    build,
    aws,
    world: {
      selfManagedGroup: 'shop-legacy',
      subnetIds,
      topicArn: topic.TopicArn ?? '',
      bucket: 'fleet-snapshots',
      templateWithoutAmi: { id: plain.LaunchTemplate?.LaunchTemplateId ?? '', version: '1' },
      templateWithEksAmi: { id: eksAmi.LaunchTemplate?.LaunchTemplateId ?? '', version: '1' },
    },
  };
}

async function simulatorBackend(): Promise<{ backend: Backend; world: SimWorld }> {
  const scenario = parseScenario({
    name: 'contract',
    accountId: own,
    accounts: [{ id: member }],
    clusters: [
      {
        name: 'shop',
        region,
        version: '1.32',
        managedNodegroups: [
          { name: 'general', desiredSize: 2, maxSize: 4 },
          { name: 'edge', desiredSize: 1, maxSize: 2, launchTemplate: 'without-ami' },
          { name: 'gpu', desiredSize: 1, maxSize: 2, launchTemplate: 'custom-ami' },
        ],
        selfManagedGroups: [{ name: 'legacy', desiredSize: 2, minSize: 1, maxSize: 4 }],
        fargateProfiles: [{ name: 'apps', namespaces: ['payments'] }],
      },
    ],
  });
  const world = await createSimWorld(scenario);
  const build = (r: string, c?: AwsCredentialIdentityProvider) =>
    createAwsClients({
      classes: everyAwsClient,
      region: r,
      credentials: c ?? credentials,
      maxAttempts: 1,
      interceptor: world.cloud.interceptor,
    });
  const aws = build(region);
  const account = world.cloud.central;
  const cluster = await aws.eks.send(new DescribeClusterCommand({ name: 'shop' }));
  const template = async (group: string) => {
    const { nodegroup } = await aws.eks.send(
      new DescribeNodegroupCommand({ clusterName: 'shop', nodegroupName: group }),
    );
    return { id: nodegroup?.launchTemplate?.id ?? '', version: nodegroup?.launchTemplate?.version ?? '' };
  };
  account.createBucket('fleet-snapshots', region);
  return {
    world,
    backend: {
      name: 'simulator',
      build,
      aws,
      world: {
        selfManagedGroup: 'legacy',
        subnetIds: (cluster.cluster?.resourcesVpcConfig?.subnetIds ?? []).slice(0, 2),
        topicArn: account.createTopic('eks-upgrades', region),
        bucket: 'fleet-snapshots',
        templateWithoutAmi: await template('edge'),
        templateWithEksAmi: await template('gpu'),
      },
    },
  };
}

const sent = new Set<string>();
let moto: MotoServer;
let sim: SimWorld;
const backends: Backend[] = [];

beforeAll(async () => {
  moto = await startMoto();
  backends.push(await motoBackend(moto, sent));
  const simulated = await simulatorBackend();
  sim = simulated.world;
  backends.push(simulated.backend);
}, 60_000);

afterAll(async () => {
  await moto?.stop();
  await sim?.close();
});

const each = (name: string, check: (b: Backend) => Promise<void>) =>
  it.each(['moto', 'simulator'] as const)(`${name} (%s)`, async (which) => {
    const backend = backends.find((b) => b.name === which);
    if (!backend) throw new Error(`no ${which} backend`);
    await check(backend);
  });

describe('the product against moto and against the simulator, same assertions', () => {
  each('learns its own account from STS, and reaches a member account through its role', async (b) => {
    expect(await callerAccountId(b.aws.sts)).toBe(own);
    const accounts = accountClients({
      build: b.build,
      region,
      memberRole: { roleName: 'eks-upgrade-orchestrator-member', sessionName: 'eks-upgrade-plan' },
      now: () => new Date(),
    });
    expect(await accounts.ownAccountId()).toBe(own);
    expect(await callerAccountId(accounts.clients(region, member).sts)).toBe(member);
  });

  each('finds the self-managed groups of a cluster by its ownership tag, with their instances', async (b) => {
    const groups = await selfManagedGroupsOf(b.aws.autoscaling, 'shop');
    expect(groups.map((g) => ({ name: g.name, instances: g.instanceIds.length, rotating: g.rotating }))).toEqual([
      { name: b.world.selfManagedGroup, instances: 2, rotating: false },
    ]);
    expect(groups[0]?.instanceIds.every((id) => /^i-[0-9a-f]{8,17}$/.test(id))).toBe(true);
    expect(await selfManagedGroupsOf(b.aws.autoscaling, 'another')).toEqual([]);
  });

  each('leaves a launch template without an AMI alone', async (b) => {
    const t = b.world.templateWithoutAmi;
    const ec2ssm = { ec2: b.aws.ec2, ssm: b.aws.ssm };
    expect(
      await launchTemplateForVersion(ec2ssm, {
        templateId: t.id,
        templateVersion: t.version,
        toVersion: '1.33',
        owner: 'edge',
      }),
    ).toEqual({ version: Number(t.version), created: false, hadImage: false });
    await expect(
      launchTemplateForVersion(ec2ssm, { templateId: t.id, templateVersion: '99', toVersion: '1.33', owner: 'edge' }),
    ).rejects.toThrow();
  });

  each('resolves the next AMI of an EKS-optimized template from the public SSM parameter', async (b) => {
    const t = b.world.templateWithEksAmi;
    const attempt = launchTemplateForVersion(
      { ec2: b.aws.ec2, ssm: b.aws.ssm },
      { templateId: t.id, templateVersion: t.version, toVersion: '1.33', owner: 'gpu' },
    );
    if (b.name === 'moto') {
      // moto serves no EKS-optimized AMI parameters; AWS publishes one per version, family and architecture
      // (https://docs.aws.amazon.com/eks/latest/userguide/retrieve-ami-id.html), as the simulator does. Without it
      // the product says which parameter is missing and changes nothing.
      await expect(attempt).rejects.toThrow(
        /no al2023 AMI for Kubernetes 1\.33 \(\/aws\/service\/eks\/optimized-ami\/1\.33\/amazon-linux-2023\/x86_64\/standard\/recommended\/image_id does not exist\)/,
      );
      return;
    }
    const made = await attempt;
    expect(made).toMatchObject({ created: true, hadImage: true, version: Number(t.version) + 1 });
    expect(made.imageId).toMatch(/^ami-[0-9a-f]{8,17}$/);
  });

  each('counts free addresses in the cluster’s subnets, and names a subnet that does not exist', async (b) => {
    const deps = { ec2: b.aws.ec2 } as unknown as ReadinessDeps;
    const facts = (subnetIds: string[]) =>
      ({ cluster: { resourcesVpcConfig: { subnetIds } }, addons: [], nodegroups: [], nodes: [] }) as ClusterFacts;
    expect(await subnetFindings(deps, facts(b.world.subnetIds))).toEqual([]);
    await expect(subnetFindings(deps, facts(['subnet-0123456789abcdef0']))).rejects.toMatchObject({
      name: 'InvalidSubnetID.NotFound',
      $metadata: { httpStatusCode: 400 },
    });
  });

  each('publishes a notification to the topic, and is refused by a topic that does not exist', async (b) => {
    const notification = {
      kind: 'upgrade-succeeded',
      cluster: 'shop',
      region,
      summary: 'shop is on 1.33.',
    } as unknown as Parameters<typeof publishNotification>[2];
    const sentMessage = await publishNotification({ sns: b.aws.sns, log: silentLog }, b.world.topicArn, notification);
    expect(sentMessage.messageId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(
      publishNotification({ sns: b.aws.sns, log: silentLog }, `${b.world.topicArn}-gone`, notification),
    ).rejects.toMatchObject({ name: 'NotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  each('reads back the fleet snapshot it wrote, and nothing before it was written', async (b) => {
    const store = s3FleetStore({ s3: b.aws.s3, bucket: b.world.bucket, key: `fleet/${b.name}.json` });
    expect(await store.read()).toBeUndefined();
    const snapshot = { generatedAt: '2026-12-01T02:00:00Z', trigger: 'schedule' as const, clusters: [] };
    await store.write(snapshot);
    expect(await store.read()).toEqual(snapshot);
  });

  each('lists the Fargate profiles and leaves a node group already on the version alone', async (b) => {
    expect(await fargateProfilesOf(b.aws.eks, 'shop')).toEqual(['apps']);
    const started = await startNodegroupUpgrade(
      { eks: b.aws.eks, log: silentLog, now: () => new Date() },
      { cluster: 'shop', nodegroup: 'general', toVersion: '1.32', force: false },
    );
    expect(started).toMatchObject({ done: true, detail: 'general already runs 1.32' });
  });

  each('connects to a cluster EKS describes, and says which cluster it could not find', async (b) => {
    await expect(connectToCluster({ aws: b.aws, now: () => new Date() }, { name: 'shop' })).resolves.toBeDefined();
    await expect(connectToCluster({ aws: b.aws, now: () => new Date() }, { name: 'gone' })).rejects.toThrow(
      `cluster "gone" was not found in ${region}: check the name and region`,
    );
  });

  each(
    'starts a self-managed rotation only once its target AMI is known, then records on the group what to restore',
    async (b) => {
      const kube = await startKube({});
      try {
        const [before] = await selfManagedGroupsOf(b.aws.autoscaling, 'shop');
        const attempt = rotateSelfManagedGroup(
          { ...b.aws, kube: kube.kube, log: silentLog, now: () => new Date('2026-12-01T02:00:00Z') },
          { cluster: 'shop', group: b.world.selfManagedGroup, toVersion: '1.33' },
        );
        if (b.name === 'moto') {
          // No EKS-optimized AMI parameter in moto (see above): the rotation stops before it records or changes
          // anything, and the group is as it was.
          await expect(attempt).rejects.toThrow(/no al2023 AMI for Kubernetes 1\.33/);
        } else {
          await expect(attempt).resolves.toMatchObject({ phase: 'launching', done: false });
        }
        const [group] = await selfManagedGroupsOf(b.aws.autoscaling, 'shop');
        expect(before).toMatchObject({ name: b.world.selfManagedGroup, rotating: false });
        // Started: the group carries the marks a later run resumes from; refused: none.
        expect(group).toMatchObject({ name: b.world.selfManagedGroup, rotating: b.name !== 'moto' });
      } finally {
        await kube.close();
      }
    },
  );

  it('ran every operation of the moto slice against moto', () => {
    expect(motoOperations.filter((op) => !sent.has(op))).toEqual([]);
  });
});
