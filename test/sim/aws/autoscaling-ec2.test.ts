import {
  AutoScalingServiceException,
  CreateOrUpdateTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeTagsCommand,
  ScalingActivityInProgressFault,
  SetDesiredCapacityCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateVersionCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSubnetsCommand,
  EC2ServiceException,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { kubeletVersionFor } from '../../../sim/aws/index.js';
import { createWorld, type World } from './harness.js';

function selfManaged() {
  return createWorld({
    clusters: [
      {
        name: 'prod',
        region: 'eu-west-1',
        version: '1.33',
        selfManagedGroups: [{ name: 'legacy-workers', version: '1.32', desiredSize: 2, minSize: 1, maxSize: 4 }],
      },
    ],
  });
}

async function group(w: World) {
  const { AutoScalingGroups } = await w.aws.autoscaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['legacy-workers'] }),
  );
  const asg = AutoScalingGroups?.[0];
  if (!asg) throw new Error('group not found');
  return asg;
}

const errorOf = (p: Promise<unknown>) => p.then(() => undefined).catch((e: unknown) => e as Error);

describe('simulated Auto Scaling and EC2', () => {
  it('describes a self-managed group whose instances are nodes of the cluster', async () => {
    const w = selfManaged();

    const asg = await group(w);

    expect(asg).toMatchObject({ MinSize: 1, MaxSize: 4, DesiredCapacity: 2, HealthCheckType: 'EC2' });
    expect(asg.MixedInstancesPolicy).toBeUndefined();
    expect(asg.LaunchTemplate).toMatchObject({ LaunchTemplateName: 'prod-legacy-workers', Version: '1' });
    expect(asg.CreatedTime).toBeInstanceOf(Date);
    expect(asg.Tags).toContainEqual(
      expect.objectContaining({ Key: 'kubernetes.io/cluster/prod', Value: 'owned', ResourceId: 'legacy-workers' }),
    );
    expect(asg.Instances?.map((i) => i.LifecycleState)).toEqual(['InService', 'InService']);
    expect(new Set(asg.Instances?.map((i) => i.AvailabilityZone)).size).toBe(2);
    const kube = w.kube('prod');
    expect([...kube.nodes.values()].map((n) => [n.spec.groupKind, n.spec.group, n.spec.kubeletVersion])).toEqual([
      ['self-managed', 'legacy-workers', kubeletVersionFor('1.32')],
      ['self-managed', 'legacy-workers', kubeletVersionFor('1.32')],
    ]);
  });

  it('validates capacity as Auto Scaling does', async () => {
    const w = selfManaged();

    const aboveMax = await errorOf(
      w.aws.autoscaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'legacy-workers', DesiredCapacity: 10 }),
      ),
    );
    const minAboveMax = await errorOf(
      w.aws.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'legacy-workers', MinSize: 5 })),
    );
    const setAbove = await errorOf(
      w.aws.autoscaling.send(
        new SetDesiredCapacityCommand({ AutoScalingGroupName: 'legacy-workers', DesiredCapacity: 5 }),
      ),
    );
    const unknown = await errorOf(
      w.aws.autoscaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'nope', DesiredCapacity: 1 })),
    );
    // A new MaxSize below the desired capacity lowers it (UpdateAutoScalingGroup API reference).
    await w.aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'legacy-workers', MaxSize: 1 }),
    );
    const shrunk = await group(w);

    expect(aboveMax).toBeInstanceOf(AutoScalingServiceException);
    expect(aboveMax?.name).toBe('ValidationError');
    expect(aboveMax?.message).toBe('Desired capacity:10 must be between the specified min size:1 and max size:4');
    expect(minAboveMax?.message).toBe('Max bound, 4, must be greater than or equal to min bound, 5');
    expect(setAbove?.message).toBe('New SetDesiredCapacity value 5 is above max value 4 for the AutoScalingGroup.');
    expect(unknown?.name).toBe('ValidationError');
    expect(shrunk.DesiredCapacity).toBe(1);
    expect(shrunk.Instances?.filter((i) => i.LifecycleState === 'InService')).toHaveLength(1);
    expect(shrunk.Instances?.filter((i) => i.LifecycleState === 'Terminating')).toHaveLength(1);
  });

  it('rotates a self-managed group to a new AMI through a launch template version', async () => {
    const w = selfManaged();
    const kube = w.kube('prod');
    const before = await group(w);
    const oldIds = before.Instances?.map((i) => i.InstanceId ?? '') ?? [];

    const { Parameter } = await w.aws.ssm.send(
      new GetParameterCommand({
        Name: '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id',
      }),
    );
    const imageId = Parameter?.Value;
    const { Images } = await w.aws.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId ?? ''] }));
    const created = await w.aws.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateName: 'prod-legacy-workers',
        SourceVersion: '1',
        VersionDescription: 'Kubernetes 1.33',
        LaunchTemplateData: { ImageId: imageId },
      }),
    );
    const latest = await w.aws.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'prod-legacy-workers', Versions: ['$Latest'] }),
    );
    await w.aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: 'legacy-workers',
        LaunchTemplate: { LaunchTemplateName: 'prod-legacy-workers', Version: '2' },
        DesiredCapacity: 4,
      }),
    );
    const launching = await group(w);
    w.advance(90_000);
    const ready = await group(w);
    const fresh = ready.Instances?.filter((i) => !oldIds.includes(i.InstanceId ?? '')) ?? [];
    const { Reservations } = await w.aws.ec2.send(
      new DescribeInstancesCommand({ InstanceIds: [fresh[0]?.InstanceId ?? ''] }),
    );
    const oldNode = [...kube.nodes.values()].find((n) => n.spec.instanceId === oldIds[0])?.spec.name ?? '';
    const { Activity } = await w.aws.autoscaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: oldIds[0], ShouldDecrementDesiredCapacity: true }),
    );
    const terminating = await group(w);
    w.advance(30_000);
    const after = await group(w);

    expect(imageId).toMatch(/^ami-[0-9a-f]{17}$/);
    expect(Images?.[0]?.Name).toMatch(/^amazon-eks-node-al2023-x86_64-standard-1\.33-v\d{8}$/);
    expect(Images?.[0]?.Description).toContain('Amazon Linux 2023');
    expect(created.LaunchTemplateVersion).toMatchObject({ VersionNumber: 2, VersionDescription: 'Kubernetes 1.33' });
    expect(latest.LaunchTemplateVersions?.[0]?.LaunchTemplateData).toMatchObject({
      ImageId: imageId,
      InstanceType: 'm6i.large',
    });
    expect(launching.Instances?.filter((i) => i.LifecycleState === 'Pending')).toHaveLength(2);
    expect(fresh.map((i) => [i.LifecycleState, i.LaunchTemplate?.Version])).toEqual([
      ['InService', '2'],
      ['InService', '2'],
    ]);
    expect(Reservations?.[0]?.Instances?.[0]).toMatchObject({ ImageId: imageId, State: { Code: 16, Name: 'running' } });
    expect(Reservations?.[0]?.Instances?.[0]?.LaunchTime).toBeInstanceOf(Date);
    expect(
      fresh.map((i) => [...kube.nodes.values()].find((n) => n.spec.instanceId === i.InstanceId)?.spec.kubeletVersion),
    ).toEqual([kubeletVersionFor('1.33'), kubeletVersionFor('1.33')]);
    expect(Activity?.Description).toBe(`Terminating EC2 instance: ${oldIds[0]}`);
    expect(terminating.DesiredCapacity).toBe(3);
    expect(terminating.Instances?.find((i) => i.InstanceId === oldIds[0])?.LifecycleState).toBe('Terminating');
    expect(kube.node(oldNode)).toBeUndefined();
    expect(after.Instances?.map((i) => i.InstanceId)).not.toContain(oldIds[0]);
    expect(after.Instances).toHaveLength(3);
  });

  it('replaces an instance terminated without decrementing the desired capacity', async () => {
    const w = selfManaged();
    const [first] = (await group(w)).Instances ?? [];

    await w.aws.autoscaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({
        InstanceId: first?.InstanceId,
        ShouldDecrementDesiredCapacity: false,
      }),
    );
    const asg = await group(w);

    expect(asg.DesiredCapacity).toBe(2);
    expect(asg.Instances?.filter((i) => i.LifecycleState === 'Pending')).toHaveLength(1);
    expect(asg.Instances?.find((i) => i.LifecycleState === 'Pending')?.LaunchTemplate?.Version).toBe('1');
  });

  it('refuses terminations that break min size or hit an instance still launching', async () => {
    const w = selfManaged();
    const [first, second] = (await group(w)).Instances ?? [];
    await w.aws.autoscaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({
        InstanceId: first?.InstanceId,
        ShouldDecrementDesiredCapacity: true,
      }),
    );

    const atMin = await errorOf(
      w.aws.autoscaling.send(
        new TerminateInstanceInAutoScalingGroupCommand({
          InstanceId: second?.InstanceId,
          ShouldDecrementDesiredCapacity: true,
        }),
      ),
    );
    await w.aws.autoscaling.send(
      new SetDesiredCapacityCommand({ AutoScalingGroupName: 'legacy-workers', DesiredCapacity: 2 }),
    );
    const pending = (await group(w)).Instances?.find((i) => i.LifecycleState === 'Pending');
    const launching = await errorOf(
      w.aws.autoscaling.send(
        new TerminateInstanceInAutoScalingGroupCommand({
          InstanceId: pending?.InstanceId,
          ShouldDecrementDesiredCapacity: false,
        }),
      ),
    );
    const unknown = await errorOf(
      w.aws.autoscaling.send(
        new TerminateInstanceInAutoScalingGroupCommand({
          InstanceId: 'i-0000000000000000',
          ShouldDecrementDesiredCapacity: false,
        }),
      ),
    );

    expect(atMin?.name).toBe('ValidationError');
    expect(atMin?.message).toContain('Currently, desiredSize equals minSize (1).');
    expect(launching).toBeInstanceOf(ScalingActivityInProgressFault);
    expect(unknown?.message).toBe(
      'Instance Id not found - No managed instance found for instance ID: i-0000000000000000',
    );
  });

  it('tags groups and filters tags', async () => {
    const w = selfManaged();

    await w.aws.autoscaling.send(
      new CreateOrUpdateTagsCommand({
        Tags: [
          {
            ResourceId: 'legacy-workers',
            ResourceType: 'auto-scaling-group',
            Key: 'eks-upgrade/rotating',
            Value: '1.33',
            PropagateAtLaunch: false,
          },
        ],
      }),
    );
    const { Tags } = await w.aws.autoscaling.send(
      new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['eks-upgrade/rotating'] }] }),
    );
    const byTag = await w.aws.autoscaling.send(
      new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:eks-upgrade/rotating', Values: ['1.33'] }] }),
    );

    expect(Tags).toEqual([
      {
        ResourceId: 'legacy-workers',
        ResourceType: 'auto-scaling-group',
        Key: 'eks-upgrade/rotating',
        Value: '1.33',
        PropagateAtLaunch: false,
      },
    ]);
    expect(byTag.AutoScalingGroups?.map((g) => g.AutoScalingGroupName)).toEqual(['legacy-workers']);
  });

  it('reports subnets with fewer free addresses as nodes launch', async () => {
    const w = selfManaged();
    const before = await w.aws.ec2.send(new DescribeSubnetsCommand({}));

    await w.aws.autoscaling.send(
      new SetDesiredCapacityCommand({ AutoScalingGroupName: 'legacy-workers', DesiredCapacity: 4 }),
    );
    const after = await w.aws.ec2.send(
      new DescribeSubnetsCommand({ SubnetIds: before.Subnets?.map((s) => s.SubnetId ?? '') }),
    );

    const free = (r: typeof before) => (r.Subnets ?? []).reduce((sum, s) => sum + (s.AvailableIpAddressCount ?? 0), 0);
    expect(before.Subnets).toHaveLength(3);
    expect(before.Subnets?.[0]?.CidrBlock).toMatch(/\/19$/);
    expect(free(before) - free(after)).toBe(2 * 30);
  });

  it('answers EC2 errors with the codes EC2 uses', async () => {
    const w = selfManaged();

    const noInstance = await errorOf(
      w.aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
    );
    const noImage = await errorOf(
      w.aws.ec2.send(
        new CreateLaunchTemplateVersionCommand({
          LaunchTemplateName: 'prod-legacy-workers',
          SourceVersion: '1',
          LaunchTemplateData: { ImageId: 'ami-00000000000000000' },
        }),
      ),
    );

    expect(noInstance).toBeInstanceOf(EC2ServiceException);
    expect(noInstance?.name).toBe('InvalidInstanceID.NotFound');
    expect(noInstance?.message).toBe("The instance ID 'i-0123456789abcdef0' does not exist");
    expect(noImage?.name).toBe('InvalidAMIID.NotFound');
  });
});

describe('how a simulated Auto Scaling group launches: launch template, mixed instances policy, launch configuration', () => {
  function withGroup(launch: Record<string, unknown>) {
    return createWorld({
      clusters: [
        {
          name: 'prod',
          region: 'eu-west-1',
          version: '1.33',
          selfManagedGroups: [{ name: 'legacy-workers', desiredSize: 2, minSize: 1, maxSize: 4, ...launch }],
        },
      ],
    });
  }

  it('shows a mixed group’s template inside its policy, with its overrides, and launches their types', async () => {
    const w = withGroup({ launch: 'mixed-instances', instanceTypes: ['m6i.large', 'm5.large'] });
    const g = await group(w);
    expect(g?.LaunchTemplate).toBeUndefined();
    expect(g?.MixedInstancesPolicy?.LaunchTemplate).toMatchObject({
      LaunchTemplateSpecification: { Version: '1' },
      Overrides: [{ InstanceType: 'm6i.large' }, { InstanceType: 'm5.large' }],
    });
    expect(g?.Instances?.map((i) => i.InstanceType).sort()).toEqual(['m5.large', 'm6i.large']);
    expect(g?.Instances?.every((i) => i.LaunchTemplate?.Version === '1')).toBe(true);
  });

  it('moves a mixed group’s template version inside the policy and keeps overrides a request leaves out', async () => {
    const w = withGroup({ launch: 'mixed-instances', instanceTypes: ['m6i.large', 'm5.large'] });
    const id = (await group(w))?.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.LaunchTemplateId;
    await w.aws.ec2.send(
      new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, SourceVersion: '1', LaunchTemplateData: {} }),
    );
    await w.aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: 'legacy-workers',
        MixedInstancesPolicy: {
          LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateId: id, Version: '2' } },
        },
      }),
    );
    expect((await group(w))?.MixedInstancesPolicy?.LaunchTemplate).toMatchObject({
      LaunchTemplateSpecification: { Version: '2' },
      Overrides: [{ InstanceType: 'm6i.large' }, { InstanceType: 'm5.large' }],
    });
    // A plain LaunchTemplate replaces the policy, as AWS applies what a request specifies: the types are gone.
    await w.aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: 'legacy-workers',
        LaunchTemplate: { LaunchTemplateId: id, Version: '2' },
      }),
    );
    const plain = await group(w);
    expect(plain?.MixedInstancesPolicy).toBeUndefined();
    expect(plain?.LaunchTemplate).toMatchObject({ LaunchTemplateId: id, Version: '2' });
  });

  it('refuses a request naming two launch sources, and says what it does not model', async () => {
    const w = withGroup({ launch: 'mixed-instances', instanceTypes: ['m6i.large'] });
    const id = (await group(w))?.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.LaunchTemplateId;
    await expect(
      w.aws.autoscaling.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: 'legacy-workers',
          LaunchTemplate: { LaunchTemplateId: id, Version: '1' },
          MixedInstancesPolicy: { LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateId: id } } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      w.aws.autoscaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'legacy-workers', LaunchConfigurationName: 'lc' }),
      ),
    ).rejects.toThrow(/does not model|not simulated/i);
  });

  it('shows a launch-configuration group by its configuration only, as AWS does', async () => {
    const w = withGroup({ launch: 'launch-configuration' });
    const g = await group(w);
    expect(g).toMatchObject({ LaunchConfigurationName: 'prod-legacy-workers' });
    expect(g?.LaunchTemplate).toBeUndefined();
    expect(g?.MixedInstancesPolicy).toBeUndefined();
    expect(g?.Instances?.every((i) => i.LaunchConfigurationName === 'prod-legacy-workers' && !i.LaunchTemplate)).toBe(
      true,
    );
  });
});
