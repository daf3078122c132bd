import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeInsightCommand,
  DescribeNodegroupCommand,
  ListInsightsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { describe, expect, it } from 'vitest';
import { createWorld } from './harness.js';

const cluster = {
  name: 'prod',
  region: 'eu-west-1',
  version: '1.32',
  addons: [{ name: 'vpc-cni' }, { name: 'coredns' }],
  managedNodegroups: [
    { name: 'general', desiredSize: 2, maxSize: 4 },
    { name: 'batch', desiredSize: 1, maxSize: 2 },
  ],
  insights: [
    {
      name: 'Deprecated APIs removed in Kubernetes v1.33',
      kubernetesVersion: '1.33',
      status: 'ERROR',
      reason: 'Deprecated API usage detected within last 30 days.',
      deprecations: [
        {
          usage: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
          replacedWith: '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
          stopServingVersion: '1.32',
          clients: [{ userAgent: 'sync/1.0', requests: 12 }],
        },
      ],
      resources: ['arn:aws:eks:eu-west-1:111122223333:addon/prod/coredns/x'],
    },
    { name: 'Kubelet version skew', kubernetesVersion: '1.33', status: 'PASSING' },
    { name: 'Cluster health issues', kubernetesVersion: '1.34', status: 'WARNING' },
  ],
  subnets: [{ freeIps: 3 }, { freeIps: 0 }],
  faults: [
    { type: 'clusterHealthIssue', code: 'Ec2SubnetNotFound' },
    { type: 'nodegroupDegraded', nodegroup: 'batch' },
    { type: 'addonDegraded', addon: 'coredns' },
  ],
};

describe('simulated EKS Upgrade Insights', () => {
  it('lists insights filtered by category, Kubernetes version and status, as ListInsights does', async () => {
    // Prepare
    const w = createWorld({ clusters: [cluster] });

    // Act
    const all = await w.aws.eks.send(new ListInsightsCommand({ clusterName: 'prod' }));
    const next = await w.aws.eks.send(
      new ListInsightsCommand({
        clusterName: 'prod',
        filter: { categories: ['UPGRADE_READINESS'], kubernetesVersions: ['1.33'] },
      }),
    );
    const failing = await w.aws.eks.send(
      new ListInsightsCommand({ clusterName: 'prod', filter: { statuses: ['ERROR', 'WARNING'] }, maxResults: 1 }),
    );

    // Assess
    expect(all.insights).toHaveLength(3);
    expect(next.insights?.map((i) => [i.name, i.insightStatus?.status])).toEqual([
      ['Deprecated APIs removed in Kubernetes v1.33', 'ERROR'],
      ['Kubelet version skew', 'PASSING'],
    ]);
    expect(failing.insights).toHaveLength(1);
    expect(failing.nextToken).toBeDefined();
    expect(next.insights?.[0]).toMatchObject({
      category: 'UPGRADE_READINESS',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('describes an insight with its deprecation details, client stats and resources', async () => {
    // Prepare
    const w = createWorld({ clusters: [cluster] });
    const { insights } = await w.aws.eks.send(new ListInsightsCommand({ clusterName: 'prod' }));

    // Act
    const { insight } = await w.aws.eks.send(
      new DescribeInsightCommand({ clusterName: 'prod', id: insights?.[0]?.id }),
    );

    // Assess
    expect(insight?.categorySpecificSummary?.deprecationDetails).toEqual([
      {
        usage: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
        replacedWith: '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
        stopServingVersion: '1.32',
        clientStats: [{ userAgent: 'sync/1.0', numberOfRequestsLast30Days: 12, lastRequestTime: expect.any(Date) }],
      },
    ]);
    expect(insight?.resources).toEqual([
      {
        arn: 'arn:aws:eks:eu-west-1:111122223333:addon/prod/coredns/x',
        insightStatus: { status: 'ERROR', reason: 'Deprecated API usage detected within last 30 days.' },
      },
    ]);
    await expect(
      w.aws.eks.send(new DescribeInsightCommand({ clusterName: 'prod', id: 'nope' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('simulated health and capacity faults', () => {
  it('reports the cluster health issue, the DEGRADED node group and add-on with their issues', async () => {
    // Prepare
    const w = createWorld({ clusters: [cluster] });

    // Act
    const { cluster: described } = await w.aws.eks.send(new DescribeClusterCommand({ name: 'prod' }));
    const { nodegroup } = await w.aws.eks.send(
      new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'batch' }),
    );
    const { addon } = await w.aws.eks.send(new DescribeAddonCommand({ clusterName: 'prod', addonName: 'coredns' }));
    const { nodegroup: healthy } = await w.aws.eks.send(
      new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'general' }),
    );

    // Assess
    expect(described?.health?.issues).toEqual([
      { code: 'Ec2SubnetNotFound', message: expect.stringContaining('subnets'), resourceIds: [] },
    ]);
    expect(nodegroup?.status).toBe('DEGRADED');
    expect(nodegroup?.health?.issues?.[0]?.code).toBe('AsgInstanceLaunchFailures');
    expect(addon).toMatchObject({ status: 'DEGRADED', health: { issues: [{ code: 'InsufficientNumberOfReplicas' }] } });
    expect(healthy).toMatchObject({ status: 'ACTIVE', health: { issues: [] } });
  });

  it('gives the cluster subnets the free addresses the scenario says, and keeps counting nodes against them', async () => {
    // Prepare
    const w = createWorld({ clusters: [cluster] });
    const { cluster: described } = await w.aws.eks.send(new DescribeClusterCommand({ name: 'prod' }));

    // Act
    const { Subnets } = await w.aws.ec2.send(
      new DescribeSubnetsCommand({ SubnetIds: described?.resourcesVpcConfig?.subnetIds }),
    );

    // Assess
    const free = Object.fromEntries((Subnets ?? []).map((s) => [s.AvailabilityZone, s.AvailableIpAddressCount]));
    expect(free['eu-west-1a']).toBe(3);
    expect(free['eu-west-1b']).toBe(0);
    expect(free['eu-west-1c']).toBeGreaterThan(8000);
  });

  it('starts nodes NotReady when the scenario says so', () => {
    const w = createWorld({
      clusters: [{ ...cluster, faults: [{ type: 'nodesNotReady', nodegroup: 'general', count: 1 }] }],
    });
    const nodes = [...w.kube('prod').nodes.values()];
    expect(nodes.filter((n) => !n.ready)).toHaveLength(1);
    expect(nodes.filter((n) => n.ready)).toHaveLength(2);
  });

  it('rejects faults that name a node group or add-on the cluster does not have', () => {
    expect(() =>
      createWorld({ clusters: [{ ...cluster, faults: [{ type: 'addonDegraded', addon: 'kube-proxy' }] }] }),
    ).toThrow('names add-on "kube-proxy", which cluster "prod" does not install');
    expect(() =>
      createWorld({ clusters: [{ ...cluster, faults: [{ type: 'nodegroupDegraded', nodegroup: 'gpu' }] }] }),
    ).toThrow('names managed node group "gpu"');
  });
});
