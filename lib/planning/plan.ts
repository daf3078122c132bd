import { type AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeNodegroupCommand,
  type EKSClient,
  ListAddonsCommand,
  ListNodegroupsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { ClusterNotFound, InvalidPolicy } from '../errors.js';
import { type KubeApis, listAll as listAllPages } from '../kube/index.js';
import { FARGATE_PREFIX, fargateProfilesOf } from '../nodes/fargate.js';
import { AUTO_MODE_PREFIX, KARPENTER_PREFIX, nodePools, poolNodes } from '../nodes/karpenter.js';
import type { Log } from '../runtime/log.js';
import { compareMinor, minorOf, minorsBetween } from '../versions/index.js';
import type { UpgradePolicy } from './policy.js';

/** One step of the upgrade: the control plane moves at most one minor version, then add-ons and nodes follow. */
export interface Hop {
  index: number;
  from: string;
  to: string;
  /** False for a catch-up hop, where the control plane is already at `to` but nodes or add-ons are not. */
  controlPlane: boolean;
  addons: string[];
  /**
   * Node groups rotated in this hop: managed node groups and self-managed Auto Scaling groups by name, Karpenter
   * NodePools as `karpenter:<pool>`, EKS Auto Mode's as `automode:<pool>` and Fargate profiles as
   * `fargate:<profile>`.
   */
  nodegroups: string[];
}

export interface UpgradePlan {
  cluster: string;
  region: string;
  fromVersion: string;
  toVersion: string;
  /** How the target was chosen, in words. */
  targetReason: string;
  hops: Hop[];
  policy: UpgradePolicy;
  /** Things the plan deliberately leaves alone, and why. */
  notes: string[];
}

async function listAll<T>(fetch: (token?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...page.items);
    token = page.next;
  } while (token);
  return out;
}

/** Kubernetes versions EKS offers for new control planes, newest first. */
async function availableVersions(eks: EKSClient): Promise<string[]> {
  const versions = await listAll(async (nextToken) => {
    const page = await eks.send(new DescribeClusterVersionsCommand({ ...(nextToken ? { nextToken } : {}) }));
    return { items: page.clusterVersions ?? [], ...(page.nextToken ? { next: page.nextToken } : {}) };
  });
  return versions
    .filter((v) => v.clusterVersion && v.versionStatus !== 'UNSUPPORTED')
    .map((v) => v.clusterVersion as string)
    .sort((a, b) => compareMinor(b, a));
}

/** Resolves the policy's target (`latest`, `latest-1` or pinned) against what EKS offers. Throws InvalidPolicy. */
export function resolveTarget(
  target: UpgradePolicy['target'],
  current: string,
  offered: string[],
): { version: string; reason: string } {
  const newest = offered[0];
  if (!newest) throw new InvalidPolicy('EKS reported no Kubernetes versions; cannot choose a target');
  if (target === 'latest') return { version: newest, reason: `latest version EKS offers (${newest})` };
  if (target === 'latest-1') {
    const second = offered[1] ?? newest;
    return { version: second, reason: `one below the latest EKS offers (${newest} → ${second})` };
  }
  // A downgrade is named as such first, whether or not EKS still offers the older version.
  if (compareMinor(target, current) < 0) {
    throw new InvalidPolicy(
      `policy target ${target} is older than the cluster's ${current}; EKS cannot downgrade a control plane, so pin ${current} or newer`,
    );
  }
  if (!offered.includes(target)) {
    throw new InvalidPolicy(
      `policy target ${target} is not a version EKS offers (offered: ${offered.join(', ')}); pin one of those or use "latest"`,
    );
  }
  return { version: target, reason: `pinned by policy (${target})` };
}

/**
 * Self-managed node groups: the cluster's Auto Scaling groups (tagged `kubernetes.io/cluster/<name>=owned`, as
 * EKS requires for nodes to join) that no managed node group created.
 */
export async function selfManagedGroupsOf(
  autoscaling: AutoScalingClient,
  cluster: string,
): Promise<Array<{ name: string; instanceIds: string[]; rotating: boolean }>> {
  const groups: Array<{ name: string; instanceIds: string[]; rotating: boolean }> = [];
  let NextToken: string | undefined;
  do {
    const page = await autoscaling.send(
      new DescribeAutoScalingGroupsCommand({
        Filters: [{ Name: `tag:kubernetes.io/cluster/${cluster}`, Values: ['owned'] }],
        ...(NextToken ? { NextToken } : {}),
      }),
    );
    for (const g of page.AutoScalingGroups ?? []) {
      const managed = g.Tags?.some((t) => t.Key === 'eks:nodegroup-name');
      if (managed || !g.AutoScalingGroupName) continue;
      groups.push({
        name: g.AutoScalingGroupName,
        instanceIds: (g.Instances ?? []).flatMap((i) => (i.InstanceId ? [i.InstanceId] : [])),
        // A rotation interrupted part-way leaves this tag (see lib/nodes/selfmanaged.ts).
        rotating: Boolean(g.Tags?.some((t) => t.Key === 'eks-upgrade/rotation-target')),
      });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return groups.sort((a, b) => a.name.localeCompare(b.name));
}

/** The oldest kubelet minor among the given instances' nodes, when the cluster can be asked. */
async function oldestKubelet(kube: KubeApis, instanceIds: string[]): Promise<string | undefined> {
  const wanted = new Set(instanceIds);
  let oldest: string | undefined;
  for await (const node of listAllPages((page) => kube.core.listNode(page))) {
    const id = node.spec?.providerID?.split('/').pop();
    const kubelet = node.status?.nodeInfo?.kubeletVersion;
    if (!id || !wanted.has(id) || !kubelet) continue;
    const minor = minorOf(kubelet);
    if (!oldest || compareMinor(minor, oldest) < 0) oldest = minor;
  }
  return oldest;
}

/**
 * Whether self-managed nodes may stay on `from` while the control plane climbs to `to`: kubelets from 1.25 on
 * may be up to three minor versions older than the API server (Kubernetes version skew policy), and EKS does not
 * hold control plane updates back for self-managed nodes.
 */
export function skewAllowsOneRotation(from: string, to: string): boolean {
  return compareMinor(from, '1.25') >= 0 && compareMinor(to, addMinorSafe(from, 3)) <= 0;
}

function addMinorSafe(version: string, steps: number): string {
  const [major, minor] = version.split('.').map(Number);
  return `${major}.${(minor ?? 0) + steps}`;
}

/**
 * Plans the upgrade from the cluster's real state, so that a rerun after a failure resumes where it stopped:
 * a catch-up hop first when node groups lag the control plane, then one hop per minor version.
 * Throws ClusterNotFound, InvalidPolicy.
 */
export async function planUpgrade(
  deps: { eks: EKSClient; autoscaling: AutoScalingClient; kube?: () => Promise<KubeApis>; log: Log },
  request: { cluster: string; region: string; policy: UpgradePolicy },
): Promise<UpgradePlan> {
  const described = await deps.eks.send(new DescribeClusterCommand({ name: request.cluster })).catch((e: unknown) => {
    if (e instanceof ResourceNotFoundException) {
      throw new ClusterNotFound(
        `cluster "${request.cluster}" was not found in ${request.region}: check the name and region in the request`,
        { cause: e },
      );
    }
    throw e;
  });
  const current = minorOf(described.cluster?.version ?? '');
  const target = resolveTarget(request.policy.target, current, await availableVersions(deps.eks));

  const nodegroupNames = await listAll(async (nextToken) => {
    const page = await deps.eks.send(
      new ListNodegroupsCommand({ clusterName: request.cluster, ...(nextToken ? { nextToken } : {}) }),
    );
    return { items: page.nodegroups ?? [], ...(page.nextToken ? { next: page.nextToken } : {}) };
  });
  const nodegroups = await Promise.all(
    nodegroupNames.map(async (name) => {
      const ng = await deps.eks.send(
        new DescribeNodegroupCommand({ clusterName: request.cluster, nodegroupName: name }),
      );
      return { name, version: minorOf(ng.nodegroup?.version ?? current) };
    }),
  );
  const addons = await listAll(async (nextToken) => {
    const page = await deps.eks.send(
      new ListAddonsCommand({ clusterName: request.cluster, ...(nextToken ? { nextToken } : {}) }),
    );
    return { items: page.addons ?? [], ...(page.nextToken ? { next: page.nextToken } : {}) };
  });
  addons.sort();
  nodegroupNames.sort();
  const selfManagedGroups = await selfManagedGroupsOf(deps.autoscaling, request.cluster);
  const selfManaged = selfManagedGroups.map((g) => g.name);
  const kube = deps.kube ? await deps.kube() : undefined;
  // Karpenter nodes follow the control plane by drift, and EKS Auto Mode's are replaced by AWS after it moves:
  // their pools are waited for in every hop.
  const pools = kube ? await nodePools(kube) : [];
  const entryOf = (p: { name: string; autoMode: boolean }) =>
    `${p.autoMode ? AUTO_MODE_PREFIX : KARPENTER_PREFIX}${p.name}`;
  const poolsLagging: string[] = [];
  for (const pool of pools) {
    const { behind } = await poolNodes(kube as KubeApis, pool.name, current);
    const older = behind.some((n) => compareMinor(minorOf(n.status?.nodeInfo?.kubeletVersion ?? current), current) < 0);
    if (older) poolsLagging.push(entryOf(pool));
  }
  const karpenter = pools.map(entryOf);
  const fargate = (await fargateProfilesOf(deps.eks, request.cluster)).map((p) => `${FARGATE_PREFIX}${p}`);
  const selfManagedLagging: string[] = [];
  for (const g of selfManagedGroups) {
    const oldest = kube ? await oldestKubelet(kube, g.instanceIds) : undefined;
    if (g.rotating || (oldest && compareMinor(oldest, current) < 0)) selfManagedLagging.push(g.name);
  }
  const rotateSelfManagedOnce = request.policy.nodeRotation.skewAware && skewAllowsOneRotation(current, target.version);
  const notes: string[] = [];
  if (fargate.length && minorsBetween(current, target.version).length > 1 && rotateSelfManagedOnce) {
    notes.push(
      `Fargate profiles (${fargate.join(', ')}) are restarted once, in the last hop: their kubelets stay within the skew Kubernetes allows`,
    );
  }
  if (selfManaged.length && minorsBetween(current, target.version).length > 1) {
    notes.push(
      rotateSelfManagedOnce
        ? `self-managed groups (${selfManaged.join(', ')}) are rotated once, in the last hop: kubelets on ${current} stay within the three-minor skew Kubernetes allows up to ${target.version}`
        : request.policy.nodeRotation.skewAware
          ? `self-managed groups (${selfManaged.join(', ')}) are rotated in every hop: ${current} → ${target.version} is beyond the skew Kubernetes allows for kubelets`
          : `self-managed groups (${selfManaged.join(', ')}) are rotated in every hop, as the policy asks (nodeRotation.skewAware: false)`,
    );
  }

  const hops: Hop[] = [];
  const lagging = [
    ...nodegroups.filter((ng) => compareMinor(ng.version, current) < 0).map((ng) => ng.name),
    ...selfManagedLagging,
    ...poolsLagging,
  ];
  if (lagging.length > 0) {
    // EKS only updates a control plane whose managed node groups already run its version, so finish those first.
    hops.push({ index: 0, from: current, to: current, controlPlane: false, addons, nodegroups: lagging.sort() });
  }
  const minors = minorsBetween(current, target.version);
  minors.forEach((to, i) => {
    const last = i === minors.length - 1;
    hops.push({
      index: 0,
      from: current,
      to,
      controlPlane: true,
      addons,
      nodegroups: [
        ...nodegroupNames,
        ...(last || !rotateSelfManagedOnce ? selfManaged : []),
        ...karpenter,
        // Fargate pods follow the same skew rule as self-managed nodes: restarted once, in the last hop, when allowed.
        ...(last || !rotateSelfManagedOnce ? fargate : []),
      ],
    });
  });
  // Each hop starts where the previous one ended; indexes are 1-based for people.
  hops.forEach((h, i) => {
    h.index = i + 1;
    h.from = hops[i - 1]?.to ?? current;
  });

  const plan: UpgradePlan = {
    cluster: request.cluster,
    region: request.region,
    fromVersion: current,
    toVersion: target.version,
    targetReason: target.reason,
    hops,
    policy: request.policy,
    notes,
  };
  deps.log.info('planned upgrade', {
    fromVersion: current,
    toVersion: target.version,
    hops: hops.map((h) => `${h.from}->${h.to}${h.controlPlane ? '' : ' (catch-up)'}`),
  });
  return plan;
}
