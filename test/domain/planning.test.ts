import {
  AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListAddonsCommand,
  ListNodegroupsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ClusterNotFound, InvalidPolicy } from '../../lib/errors.js';
import { planUpgrade, resolveTarget, upgradePolicySchema } from '../../lib/planning/index.js';
import { log, meta } from './setup.js';

const eks = mockClient(EKSClient);
const autoscaling = mockClient(AutoScalingClient);
const offered = ['1.35', '1.34', '1.33', '1.32', '1.31'];

function cluster(version: string, nodegroups: Record<string, string>): void {
  eks.on(DescribeClusterCommand).resolves({ cluster: { name: 'demo', version, status: 'ACTIVE' } });
  eks.on(DescribeClusterVersionsCommand).resolves({
    clusterVersions: offered.map((v) => ({
      clusterVersion: v,
      versionStatus: v === '1.31' ? 'EXTENDED_SUPPORT' : 'STANDARD_SUPPORT',
    })),
  });
  eks.on(ListNodegroupsCommand).resolves({ nodegroups: Object.keys(nodegroups) });
  for (const [name, v] of Object.entries(nodegroups)) {
    eks
      .on(DescribeNodegroupCommand, { nodegroupName: name })
      .resolves({ nodegroup: { nodegroupName: name, version: v } });
  }
  eks.on(ListAddonsCommand).resolves({ addons: ['vpc-cni', 'coredns'] });
  autoscaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: selfManaged });
}

let selfManaged: AutoScalingGroup[] = [];
const asg = (name: string, tags: Record<string, string>): AutoScalingGroup => ({
  AutoScalingGroupName: name,
  MinSize: 1,
  MaxSize: 3,
  DesiredCapacity: 2,
  DefaultCooldown: 300,
  AvailabilityZones: ['eu-west-1a'],
  HealthCheckType: 'EC2',
  CreatedTime: new Date('2025-01-01T00:00:00Z'),
  Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
});

const policy = (target: string) => upgradePolicySchema.parse({ target });

describe('target resolution', () => {
  it('resolves latest and latest-1 against what EKS offers', () => {
    expect(resolveTarget('latest', '1.32', offered).version).toBe('1.35');
    expect(resolveTarget('latest-1', '1.32', offered).version).toBe('1.34');
    expect(resolveTarget('1.34', '1.32', offered).reason).toContain('pinned');
  });

  it('refuses a pinned version EKS does not offer, or one older than the cluster, saying what to pin', () => {
    expect(() => resolveTarget('1.40', '1.32', offered)).toThrow(InvalidPolicy);
    expect(() => resolveTarget('1.40', '1.32', offered)).toThrow(/offered: 1.35, 1.34/);
    expect(() => resolveTarget('1.31', '1.32', offered)).toThrow(/cannot downgrade.*pin 1.32 or newer/);
  });

  it('calls a downgrade a downgrade even when EKS no longer offers the older version', () => {
    // 1.30 is not offered any more, but the mistake to name is that it lies below the cluster's 1.34.
    expect(() => resolveTarget('1.30', '1.34', offered)).toThrow(
      /1.30 is older than the cluster's 1.34.*cannot downgrade/,
    );
  });
});

describe('upgrade planning', () => {
  beforeEach(() => {
    eks.reset();
    autoscaling.reset();
    selfManaged = [];
  });

  it('plans one hop per minor version, every hop moving control plane, add-ons and node groups', async () => {
    cluster('1.32', { general: '1.32', system: '1.32' });
    const plan = await planUpgrade(
      { eks: new EKSClient({}), autoscaling: new AutoScalingClient({}), log },
      { cluster: 'demo', region: 'eu-west-1', policy: policy('1.34') },
    );
    expect(plan.hops.map((h) => [h.from, h.to, h.controlPlane])).toEqual([
      ['1.32', '1.33', true],
      ['1.33', '1.34', true],
    ]);
    expect(plan.hops[0]?.nodegroups).toEqual(['general', 'system']);
    expect(plan.hops[0]?.addons).toEqual(['coredns', 'vpc-cni']);
  });

  it('resumes with a catch-up hop when node groups lag the control plane', async () => {
    cluster('1.33', { general: '1.32', system: '1.33' });
    const plan = await planUpgrade(
      { eks: new EKSClient({}), autoscaling: new AutoScalingClient({}), log },
      { cluster: 'demo', region: 'eu-west-1', policy: policy('1.34') },
    );
    expect(plan.hops.map((h) => [h.index, h.from, h.to, h.controlPlane, h.nodegroups])).toEqual([
      [1, '1.33', '1.33', false, ['general']],
      [2, '1.33', '1.34', true, ['general', 'system']],
    ]);
  });

  it('plans nothing when everything is at the target', async () => {
    cluster('1.34', { general: '1.34' });
    const plan = await planUpgrade(
      { eks: new EKSClient({}), autoscaling: new AutoScalingClient({}), log },
      { cluster: 'demo', region: 'eu-west-1', policy: policy('1.34') },
    );
    expect(plan.hops).toEqual([]);
  });

  it('says which cluster and region when the cluster does not exist', async () => {
    eks
      .on(DescribeClusterCommand)
      .rejects(new ResourceNotFoundException({ message: 'No cluster found for name: nope.', ...meta }));
    const attempt = planUpgrade(
      { eks: new EKSClient({}), autoscaling: new AutoScalingClient({}), log },
      { cluster: 'nope', region: 'eu-west-1', policy: policy('1.34') },
    );
    await expect(attempt).rejects.toThrow(ClusterNotFound);
    await expect(attempt).rejects.toThrow(/"nope" was not found in eu-west-1/);
  });

  it('rotates self-managed groups once, in the last hop, when the kubelet skew policy allows it', async () => {
    selfManaged = [
      asg('legacy', { 'kubernetes.io/cluster/demo': 'owned' }),
      asg('eks-general-1234', { 'eks:nodegroup-name': 'general' }),
    ];
    cluster('1.31', { general: '1.31' });
    const plan = await planUpgrade(
      { eks: new EKSClient({}), autoscaling: new AutoScalingClient({}), log },
      { cluster: 'demo', region: 'eu-west-1', policy: policy('1.34') },
    );
    expect(plan.hops.map((h) => h.nodegroups)).toEqual([['general'], ['general'], ['general', 'legacy']]);
    expect(plan.notes.join(' ')).toMatch(/rotated once, in the last hop/);
    expect(autoscaling).toHaveReceivedCommandWith(DescribeAutoScalingGroupsCommand, {
      Filters: [{ Name: 'tag:kubernetes.io/cluster/demo', Values: ['owned'] }],
    });
  });

  it('rotates self-managed groups in every hop when the climb is beyond the skew policy', async () => {
    selfManaged = [asg('legacy', {})];
    cluster('1.31', { general: '1.31' });
    const plan = await planUpgrade(
      { eks: new EKSClient({}), autoscaling: new AutoScalingClient({}), log },
      { cluster: 'demo', region: 'eu-west-1', policy: policy('1.35') },
    );
    expect(plan.hops.every((h) => h.nodegroups.includes('legacy'))).toBe(true);
    expect(plan.notes.join(' ')).toMatch(/every hop/);
  });
});
