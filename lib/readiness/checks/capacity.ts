/**
 * Room for the upgrade itself. EKS places new control plane network interfaces in the cluster's subnets and
 * needs free addresses there ("up to five"), in two Availability Zones
 * (https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html); node rotation starts new nodes before old
 * ones go, so a self-managed Auto Scaling group needs MaxSize above DesiredCapacity (managed node groups get their
 * surge from EKS, https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html).
 */
import { type AutoScalingGroup, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeSubnetsCommand, type Subnet } from '@aws-sdk/client-ec2';
import { rotationMarks } from '../../nodes/index.js';
import type { ClusterFacts, ReadinessDeps, ReadinessRequest } from '../context.js';
import { count, type Finding, finding } from '../findings.js';

/** Free addresses EKS needs in a subnet to place control plane network interfaces during an update. */
export const controlPlaneIpsNeeded = 5;

async function clusterSubnets(deps: ReadinessDeps, facts: ClusterFacts): Promise<Subnet[]> {
  const ids = facts.cluster.resourcesVpcConfig?.subnetIds ?? [];
  if (!ids.length) return [];
  const subnets: Subnet[] = [];
  let NextToken: string | undefined;
  do {
    const page = await deps.ec2.send(
      new DescribeSubnetsCommand({ SubnetIds: ids, ...(NextToken ? { NextToken } : {}) }),
    );
    subnets.push(...(page.Subnets ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return subnets.sort((a, b) => (a.SubnetId ?? '').localeCompare(b.SubnetId ?? ''));
}

/** Blocks when fewer than two zones keep five free addresses in the cluster's subnets; warns per short subnet. */
export async function subnetFindings(deps: ReadinessDeps, facts: ClusterFacts): Promise<Finding[]> {
  const subnets = await clusterSubnets(deps, facts);
  if (!subnets.length) return [];
  const short = subnets.filter((s) => (s.AvailableIpAddressCount ?? 0) < controlPlaneIpsNeeded);
  if (!short.length) return [];
  const zones = new Set(
    subnets.filter((s) => (s.AvailableIpAddressCount ?? 0) >= controlPlaneIpsNeeded).map((s) => s.AvailabilityZone),
  );
  const blocked = zones.size < 2;
  return [
    finding({
      id: 'subnet-free-ips',
      area: 'capacity',
      severity: blocked ? 'blocker' : 'warning',
      message: blocked
        ? `Only ${count(zones.size, 'Availability Zone')} of the cluster's subnets keep ${controlPlaneIpsNeeded} free IP addresses; EKS needs two to update the control plane.`
        : `${count(short.length, 'cluster subnet has', 'cluster subnets have')} fewer than ${controlPlaneIpsNeeded} free IP addresses.`,
      objects: short.map((s) => `subnet/${s.SubnetId} (${s.AvailabilityZone}): ${s.AvailableIpAddressCount ?? 0} free`),
      fix: 'Free addresses in those subnets, or add subnets with free space to the cluster (UpdateClusterConfig), before upgrading.',
      ...(blocked ? { hard: true as const } : {}),
    }),
  ];
}

/** The capacity a self-managed group returns to after rotation: recorded by an interrupted rotation, else now. */
function restingCapacity(group: AutoScalingGroup): { desired: number; max: number } {
  const recorded = group.Tags?.find((t) => t.Key === rotationMarks.originalCapacity)?.Value;
  const [desired, , max] = (recorded ?? '').split('/').map(Number);
  if (recorded && Number.isFinite(desired) && Number.isFinite(max)) return { desired: desired ?? 0, max: max ?? 0 };
  return { desired: group.DesiredCapacity ?? 0, max: group.MaxSize ?? 0 };
}

/** Self-managed Auto Scaling groups of the cluster (tagged `kubernetes.io/cluster/<name>=owned`, not EKS's). */
async function selfManagedGroups(deps: ReadinessDeps, cluster: string): Promise<AutoScalingGroup[]> {
  const groups: AutoScalingGroup[] = [];
  let NextToken: string | undefined;
  do {
    const page = await deps.autoscaling.send(
      new DescribeAutoScalingGroupsCommand({
        Filters: [{ Name: `tag:kubernetes.io/cluster/${cluster}`, Values: ['owned'] }],
        ...(NextToken ? { NextToken } : {}),
      }),
    );
    groups.push(...(page.AutoScalingGroups ?? []).filter((g) => !g.Tags?.some((t) => t.Key === 'eks:nodegroup-name')));
    NextToken = page.NextToken;
  } while (NextToken);
  return groups.sort((a, b) => (a.AutoScalingGroupName ?? '').localeCompare(b.AutoScalingGroupName ?? ''));
}

/**
 * What keeps a self-managed group's rotation from starting: a group at its maximum cannot surge, and a group on a
 * launch configuration cannot be given the target's AMI (launch configurations are immutable and AWS no longer
 * adds features to them: https://docs.aws.amazon.com/autoscaling/ec2/userguide/launch-configurations.html). When
 * the hop rotates the group, each is a blocker, so the hop stops before the control plane moves rather than
 * half-way; otherwise a warning of the hop that will.
 */
export async function selfManagedFindings(deps: ReadinessDeps, request: ReadinessRequest): Promise<Finding[]> {
  const groups = (await selfManagedGroups(deps, request.cluster)).filter(
    (g) => !request.nodegroups || request.nodegroups.includes(g.AutoScalingGroupName ?? ''),
  );
  const rotatedNow = request.nodegroups !== undefined;
  const severity = rotatedNow ? ('blocker' as const) : ('warning' as const);
  // Overriding would not help: the rotation itself refuses to run without either.
  const hard = rotatedNow ? { hard: true as const } : {};
  const findings: Finding[] = [];
  const legacy = groups.filter((g) => g.LaunchConfigurationName && !g.LaunchTemplate && !g.MixedInstancesPolicy);
  if (legacy.length) {
    findings.push(
      finding({
        id: 'asg-launch-configuration',
        area: 'capacity',
        severity,
        ...hard,
        message: `${count(legacy.length, 'self-managed Auto Scaling group launches', 'self-managed Auto Scaling groups launch')} from a launch configuration, which cannot be given the new AMI: its nodes cannot be rotated.`,
        objects: legacy.map(
          (g) => `autoscaling-group/${g.AutoScalingGroupName} (launch configuration ${g.LaunchConfigurationName})`,
        ),
        fix: 'Migrate each group to a launch template (EC2 console: Launch configurations, "Copy to launch template", then point the group at it; https://docs.aws.amazon.com/autoscaling/ec2/userguide/migrate-to-launch-templates.html) and rerun.',
      }),
    );
  }
  const full = groups
    .map((g) => ({ name: g.AutoScalingGroupName ?? '?', ...restingCapacity(g) }))
    .filter((g) => g.max <= g.desired);
  if (full.length) {
    findings.push(
      finding({
        id: 'asg-no-surge-room',
        area: 'capacity',
        severity,
        ...hard,
        message: `${count(full.length, 'self-managed Auto Scaling group runs', 'self-managed Auto Scaling groups run')} at its maximum, so no replacement node can start before an old one goes.`,
        objects: full.map((g) => `autoscaling-group/${g.name} (desired ${g.desired}, max ${g.max})`),
        fix: 'Raise MaxSize by at least one node (more rotates faster) before the node rotation.',
      }),
    );
  }
  return findings;
}
