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
  if (!offered.includes(target)) {
    throw new InvalidPolicy(
      `policy target ${target} is not a version EKS offers (offered: ${offered.join(', ')}); pin one of those or use "latest"`,
    );
  }
  if (compareMinor(target, current) < 0) {
    throw new InvalidPolicy(
      `policy target ${target} is older than the cluster's ${current}; EKS cannot downgrade a control plane, so pin ${current} or newer`,
    );
  }
  return { version: target, reason: `pinned by policy (${target})` };
}

/**
 * Plans the upgrade from the cluster's real state, so that a rerun after a failure resumes where it stopped:
 * a catch-up hop first when node groups lag the control plane, then one hop per minor version.
 * Throws ClusterNotFound, InvalidPolicy.
 */
export async function planUpgrade(
  deps: { eks: EKSClient; log: Log },
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

  const hops: Hop[] = [];
  const lagging = nodegroups.filter((ng) => compareMinor(ng.version, current) < 0).map((ng) => ng.name);
  if (lagging.length > 0) {
    // EKS only updates a control plane whose managed node groups already run its version, so finish those first.
    hops.push({ index: 0, from: current, to: current, controlPlane: false, addons, nodegroups: lagging.sort() });
  }
  for (const to of minorsBetween(current, target.version)) {
    hops.push({
      index: 0,
      from: current,
      to,
      controlPlane: true,
      addons,
      nodegroups: nodegroupNames,
    });
  }
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
    notes: [],
  };
  deps.log.info('planned upgrade', {
    fromVersion: current,
    toVersion: target.version,
    hops: hops.map((h) => `${h.from}->${h.to}${h.controlPlane ? '' : ' (catch-up)'}`),
  });
  return plan;
}
