import { AutoScalingServiceException, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  DescribeClusterCommand,
  EKSServiceException,
  ListClustersCommand,
} from '@aws-sdk/client-eks';
import {
  NotFoundException,
  PublishCommand,
  InvalidParameterException as SnsInvalidParameterException,
} from '@aws-sdk/client-sns';
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { isThrottlingError } from '@smithy/core/retry';
import type { SdkError } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { createWorld } from './harness.js';

const cluster = { name: 'prod', region: 'eu-west-1', version: '1.32' };
const errorOf = (p: Promise<unknown>) => p.then(() => undefined).catch((e: unknown) => e as SdkError);

describe('simulated SSM public parameters', () => {
  it('serves the EKS AMI parameters and answers ParameterNotFound otherwise', async () => {
    const w = createWorld({ clusters: [cluster] });
    const get = (Name: string) => w.aws.ssm.send(new GetParameterCommand({ Name }));

    const al2023 = await get(
      '/aws/service/eks/optimized-ami/1.32/amazon-linux-2023/arm64/standard/recommended/image_id',
    );
    const al2 = await get('/aws/service/eks/optimized-ami/1.32/amazon-linux-2/recommended/image_id');
    const bottlerocket = await get('/aws/service/bottlerocket/aws-k8s-1.34/arm64/latest/image_id');
    const release = await get(
      '/aws/service/eks/optimized-ami/1.32/amazon-linux-2023/x86_64/standard/recommended/release_version',
    );
    const noAl2 = await errorOf(get('/aws/service/eks/optimized-ami/1.33/amazon-linux-2/recommended/image_id'));
    const inOtherRegion = await w
      .clientsFor('us-east-1')
      .ssm.send(
        new GetParameterCommand({ Name: '/aws/service/eks/optimized-ami/1.32/amazon-linux-2/recommended/image_id' }),
      );

    expect(al2023.Parameter).toMatchObject({ Type: 'String', DataType: 'aws:ec2:image' });
    expect(al2023.Parameter?.Value).toMatch(/^ami-[0-9a-f]{17}$/);
    expect(al2023.Parameter?.LastModifiedDate).toBeInstanceOf(Date);
    expect(al2.Parameter?.Value).toMatch(/^ami-/);
    expect(bottlerocket.Parameter?.Value).toMatch(/^ami-/);
    expect(new Set([al2023, al2, bottlerocket].map((r) => r.Parameter?.Value)).size).toBe(3);
    expect(release.Parameter?.Value).toBe('1.32.9-20251112');
    expect(noAl2).toBeInstanceOf(ParameterNotFound);
    expect(inOtherRegion.Parameter?.Value).not.toBe(al2.Parameter?.Value);
  });
});

describe('simulated SNS and STS', () => {
  it('records published messages, to topics that exist', async () => {
    const w = createWorld({ clusters: [cluster] });
    const TopicArn = w.account.createTopic('eks-upgrades', 'eu-west-1');
    const missing = await errorOf(
      w.aws.sns.send(new PublishCommand({ TopicArn: `${TopicArn}-gone`, Message: 'nobody listens' })),
    );
    expect(missing).toBeInstanceOf(NotFoundException);
    expect(missing).toMatchObject({ message: 'Topic does not exist', $metadata: { httpStatusCode: 404 } });

    const { MessageId } = await w.aws.sns.send(
      new PublishCommand({
        TopicArn,
        Subject: 'prod upgraded to 1.33',
        Message: 'All done.',
        MessageAttributes: { cluster: { DataType: 'String', StringValue: 'prod' } },
      }),
    );
    const tooLong = await errorOf(
      w.aws.sns.send(new PublishCommand({ TopicArn, Subject: 'x'.repeat(101), Message: 'm' })),
    );

    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(w.account.published).toEqual([
      expect.objectContaining({
        messageId: MessageId,
        topicArn: TopicArn,
        subject: 'prod upgraded to 1.33',
        message: 'All done.',
        attributes: { cluster: { DataType: 'String', StringValue: 'prod' } },
      }),
    ]);
    expect(tooLong).toBeInstanceOf(SnsInvalidParameterException);
    expect(tooLong?.message).toBe('Invalid parameter: Subject');
  });

  it('tells who the caller is and hands out credentials for an assumed role', async () => {
    const w = createWorld({ clusters: [cluster], accountId: '444455556666' });

    const identity = await w.aws.sts.send(new GetCallerIdentityCommand({}));
    const assumed = await w.aws.sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/upgrader', RoleSessionName: 'hop-1' }),
    );

    expect(identity.Account).toBe('444455556666');
    expect(assumed.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(assumed.Credentials?.Expiration).toEqual(new Date(w.nowMs() + 3600_000));
    expect(assumed.AssumedRoleUser?.Arn).toBe('arn:aws:sts::444455556666:assumed-role/upgrader/hop-1');
    expect(w.account.assumedRoles).toEqual([
      expect.objectContaining({ roleArn: 'arn:aws:iam::444455556666:role/upgrader', sessionName: 'hop-1' }),
    ]);
  });
});

describe('simulated account plumbing', () => {
  it('throttles the next matching calls with errors the SDK classifies as throttling, then lets calls through', async () => {
    const w = createWorld({
      clusters: [
        {
          ...cluster,
          selfManagedGroups: [{ name: 'workers', desiredSize: 1 }],
          faults: [
            { type: 'throttle', service: 'eks', operation: 'DescribeCluster', times: 2 },
            { type: 'throttle', service: 'autoscaling', times: 1 },
            { type: 'throttle', service: 'ec2', times: 1 },
          ],
        },
      ],
    });

    const listed = await w.aws.eks.send(new ListClustersCommand({}));
    const first = await errorOf(w.aws.eks.send(new DescribeClusterCommand({ name: 'prod' })));
    const second = await errorOf(w.aws.eks.send(new DescribeClusterCommand({ name: 'prod' })));
    const third = await w.aws.eks.send(new DescribeClusterCommand({ name: 'prod' }));
    const asg = await errorOf(w.aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({})));
    const ec2 = await errorOf(w.aws.ec2.send(new DescribeInstancesCommand({})));

    expect(listed.clusters).toEqual(['prod']);
    expect(first).toBeInstanceOf(EKSServiceException);
    expect(first?.name).toBe('ThrottlingException');
    expect(first?.$fault).toBe('client');
    expect(first?.$metadata?.httpStatusCode).toBe(429);
    expect(isThrottlingError(first as SdkError)).toBe(true);
    expect(isThrottlingError(second as SdkError)).toBe(true);
    expect(third.cluster?.name).toBe('prod');
    expect(asg).toBeInstanceOf(AutoScalingServiceException);
    expect(asg?.name).toBe('Throttling');
    expect(isThrottlingError(asg as SdkError)).toBe(true);
    expect(ec2?.name).toBe('RequestLimitExceeded');
    expect(isThrottlingError(ec2 as SdkError)).toBe(true);
    expect(
      w.account.calls.filter((c) => c.outcome === 'error').map((c) => `${c.service}:${c.command}:${c.error}`),
    ).toEqual([
      'eks:DescribeCluster:ThrottlingException',
      'eks:DescribeCluster:ThrottlingException',
      'autoscaling:DescribeAutoScalingGroups:Throttling',
      'ec2:DescribeInstances:RequestLimitExceeded',
    ]);
  });

  it('refuses a command it does not model, naming it', async () => {
    const w = createWorld({ clusters: [cluster] });

    const error = await errorOf(
      w.aws.eks.send(
        new CreateClusterCommand({ name: 'new', roleArn: 'arn:aws:iam::111122223333:role/x', resourcesVpcConfig: {} }),
      ),
    );

    expect(error?.name).toBe('NotSimulatedError');
    expect(error?.message).toContain('CreateClusterCommand');
    expect(error?.message).toContain('not simulated');
  });

  it('records every call with its service, command, region, input, time and outcome', async () => {
    const w = createWorld({ clusters: [cluster] });

    w.advance(60_000);
    await w.aws.eks.send(new DescribeClusterCommand({ name: 'prod' }));
    await errorOf(w.aws.eks.send(new DescribeClusterCommand({ name: 'gone' })));

    expect(w.account.calls).toEqual([
      expect.objectContaining({
        service: 'eks',
        command: 'DescribeCluster',
        region: 'eu-west-1',
        input: { name: 'prod' },
        atMs: w.nowMs(),
        outcome: 'ok',
      }),
      expect.objectContaining({ command: 'DescribeCluster', outcome: 'error', error: 'ResourceNotFoundException' }),
    ]);
  });

  it('runs the events that are due before answering a call', async () => {
    const w = createWorld({ clusters: [cluster] });
    let ran = false;
    w.scheduler.after(1_000, 'probe', () => {
      ran = true;
    });

    await w.aws.eks.send(new ListClustersCommand({}));
    const before = ran;
    // Move the clock without running events: the next AWS call runs them first.
    w.advanceClockOnly(2_000);
    await w.aws.eks.send(new ListClustersCommand({}));

    expect(before).toBe(false);
    expect(ran).toBe(true);
  });
});
