import { execFileSync } from 'node:child_process';
import {
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeScalingActivitiesCommand,
  DescribeTagsCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSubnetsCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeAddonVersionsCommand,
  DescribeClusterVersionsCommand,
  ListAddonsCommand,
  ListClustersCommand,
  ListFargateProfilesCommand,
  ListInsightsCommand,
  ListNodegroupsCommand,
  ListUpdatesCommand,
} from '@aws-sdk/client-eks';
import { GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { createWorld } from './harness.js';

/**
 * Page sizes as AWS bounds them: the simulator refuses a size outside the range with the service's own error, and
 * serves the edges. The ranges come from botocore's service models (the referee, installed on these machines);
 * where a model states none, from the operation's API reference, cited below.
 */

interface Case {
  service: 'eks' | 'autoscaling' | 'ec2' | 'ssm';
  operation: string;
  member: string;
  /** The bounds the API reference states, for operations whose model states none. */
  documented?: { min: number; max: number; source: string };
  error: string;
  send(size: number): Promise<unknown>;
}

const world = createWorld({
  clusters: [
    {
      name: 'shop',
      region: 'eu-west-1',
      version: '1.32',
      managedNodegroups: [{ name: 'general', desiredSize: 2 }],
      selfManagedGroups: [{ name: 'legacy', desiredSize: 1 }],
    },
  ],
});
const { eks, autoscaling, ec2, ssm } = world.aws;

const cases: Case[] = [
  ...(
    [
      ['ListClusters', (n: number) => eks.send(new ListClustersCommand({ maxResults: n }))],
      ['DescribeClusterVersions', (n: number) => eks.send(new DescribeClusterVersionsCommand({ maxResults: n }))],
      ['ListInsights', (n: number) => eks.send(new ListInsightsCommand({ clusterName: 'shop', maxResults: n }))],
      ['ListUpdates', (n: number) => eks.send(new ListUpdatesCommand({ name: 'shop', maxResults: n }))],
      ['ListNodegroups', (n: number) => eks.send(new ListNodegroupsCommand({ clusterName: 'shop', maxResults: n }))],
      ['ListAddons', (n: number) => eks.send(new ListAddonsCommand({ clusterName: 'shop', maxResults: n }))],
      ['DescribeAddonVersions', (n: number) => eks.send(new DescribeAddonVersionsCommand({ maxResults: n }))],
      [
        'ListFargateProfiles',
        (n: number) => eks.send(new ListFargateProfilesCommand({ clusterName: 'shop', maxResults: n })),
      ],
    ] as const
  ).map(
    ([operation, send]): Case => ({
      service: 'eks',
      operation,
      member: 'maxResults',
      error: 'InvalidParameterException',
      send,
    }),
  ),
  ...(
    [
      [
        'DescribeAutoScalingGroups',
        100,
        (n: number) => autoscaling.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: n })),
      ],
      [
        'DescribeAutoScalingInstances',
        50,
        (n: number) => autoscaling.send(new DescribeAutoScalingInstancesCommand({ MaxRecords: n })),
      ],
      ['DescribeTags', 100, (n: number) => autoscaling.send(new DescribeTagsCommand({ MaxRecords: n }))],
      [
        'DescribeScalingActivities',
        100,
        (n: number) => autoscaling.send(new DescribeScalingActivitiesCommand({ MaxRecords: n })),
      ],
    ] as const
  ).map(
    ([operation, max, send]): Case => ({
      service: 'autoscaling',
      operation,
      member: 'MaxRecords',
      documented: {
        min: 1,
        max,
        source: `https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_${operation}.html`,
      },
      error: 'ValidationError',
      send,
    }),
  ),
  {
    service: 'ec2',
    operation: 'DescribeInstances',
    member: 'MaxResults',
    documented: {
      min: 5,
      max: 1000,
      source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html',
    },
    error: 'InvalidParameterValue',
    send: (n) => ec2.send(new DescribeInstancesCommand({ MaxResults: n })),
  },
  {
    service: 'ec2',
    operation: 'DescribeImages',
    member: 'MaxResults',
    documented: {
      min: 1,
      max: 1000,
      source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html',
    },
    error: 'InvalidParameterValue',
    send: (n) => ec2.send(new DescribeImagesCommand({ MaxResults: n, Owners: ['amazon'] })),
  },
  {
    service: 'ec2',
    operation: 'DescribeSubnets',
    member: 'MaxResults',
    error: 'InvalidParameterValue',
    send: (n) => ec2.send(new DescribeSubnetsCommand({ MaxResults: n })),
  },
  {
    service: 'ec2',
    operation: 'DescribeLaunchTemplates',
    member: 'MaxResults',
    error: 'InvalidParameterValue',
    send: (n) => ec2.send(new DescribeLaunchTemplatesCommand({ MaxResults: n })),
  },
  {
    service: 'ec2',
    operation: 'DescribeLaunchTemplateVersions',
    member: 'MaxResults',
    documented: {
      min: 1,
      max: 200,
      source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplateVersions.html',
    },
    error: 'InvalidParameterValue',
    send: async (n) => {
      const { LaunchTemplates = [] } = await ec2.send(new DescribeLaunchTemplatesCommand({}));
      const id = LaunchTemplates[0]?.LaunchTemplateId;
      return ec2.send(new DescribeLaunchTemplateVersionsCommand({ MaxResults: n, LaunchTemplateId: id }));
    },
  },
  {
    service: 'ssm',
    operation: 'GetParametersByPath',
    member: 'MaxResults',
    error: 'ValidationException',
    send: (n) => ssm.send(new GetParametersByPathCommand({ Path: '/aws/service/eks', MaxResults: n })),
  },
];

/** The bounds botocore's model gives each case's page-size member, where it gives any. */
function modelBounds(): Record<string, { min?: number; max?: number }> {
  const script = `
import json, sys, botocore.session
session = botocore.session.get_session()
out = {}
for service, operation, member in json.loads(sys.argv[1]):
    shape = session.get_service_model(service).operation_model(operation).input_shape.members[member]
    out[service + ' ' + operation] = {k: shape.metadata[k] for k in ('min', 'max') if k in shape.metadata}
print(json.dumps(out))`;
  try {
    const args = JSON.stringify(cases.map((c) => [c.service, c.operation, c.member]));
    return JSON.parse(execFileSync('python3', ['-c', script, args], { encoding: 'utf8' })) as Record<
      string,
      { min?: number; max?: number }
    >;
  } catch (error) {
    throw new Error(
      `botocore's service models are needed (python3 with botocore 1.43.11): ${(error as Error).message}`,
    );
  }
}

const bounds = modelBounds();

describe('page sizes the simulated AWS accepts', () => {
  it.each(cases.map((c) => [`${c.service} ${c.operation}`, c] as const))('%s', async (_name, c) => {
    const model = bounds[`${c.service} ${c.operation}`] ?? {};
    // The model decides where it states a range; the API reference only where it does not.
    if (model.max !== undefined)
      expect(c.documented, 'the model states this range: drop the documented one').toBeUndefined();
    const min = model.min ?? c.documented?.min;
    const max = model.max ?? c.documented?.max;
    if (min === undefined || max === undefined) throw new Error(`no bounds for ${c.operation}: cite the API reference`);

    await expect(c.send(min)).resolves.toBeDefined();
    await expect(c.send(max)).resolves.toBeDefined();
    for (const size of [min - 1, max + 1]) {
      const refused = await c.send(size).then(
        () => undefined,
        (error: unknown) => error as { name: string; message: string; $metadata: { httpStatusCode?: number } },
      );
      expect(refused?.name, `${c.operation} ${c.member}=${size}`).toBe(c.error);
      expect(refused?.message).toContain(`Value '${size}' at '`);
      expect(refused?.$metadata.httpStatusCode).toBe(400);
    }
  });
});
