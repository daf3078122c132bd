/** Reads, once per check, what several checks share: the EKS cluster, add-ons, managed node groups and nodes. */
import {
  type Addon,
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  type EKSClient,
  ListAddonsCommand,
  ListNodegroupsCommand,
  type Nodegroup,
} from '@aws-sdk/client-eks';
import { ApiException } from '@kubernetes/client-node';
import { ClusterNotFound } from '../../errors.js';
import { listAll } from '../../kube/index.js';
import type { ClusterFacts, NodeFacts, ReadinessDeps } from '../context.js';

async function pages(fetch: (token?: string) => Promise<{ items?: string[]; next?: string }>): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...(page.items ?? []));
    token = page.next;
  } while (token);
  return out.sort();
}

async function describeAddons(eks: EKSClient, clusterName: string): Promise<Addon[]> {
  const names = await pages(async (nextToken) => {
    const page = await eks.send(new ListAddonsCommand({ clusterName, ...(nextToken ? { nextToken } : {}) }));
    return { items: page.addons ?? [], ...(page.nextToken ? { next: page.nextToken } : {}) };
  });
  const addons = await Promise.all(
    names.map(async (addonName) => (await eks.send(new DescribeAddonCommand({ clusterName, addonName }))).addon),
  );
  return addons.filter((a): a is Addon => a !== undefined);
}

async function describeNodegroups(eks: EKSClient, clusterName: string): Promise<Nodegroup[]> {
  const names = await pages(async (nextToken) => {
    const page = await eks.send(new ListNodegroupsCommand({ clusterName, ...(nextToken ? { nextToken } : {}) }));
    return { items: page.nodegroups ?? [], ...(page.nextToken ? { next: page.nextToken } : {}) };
  });
  const groups = await Promise.all(
    names.map(
      async (nodegroupName) => (await eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName }))).nodegroup,
    ),
  );
  return groups.filter((g): g is Nodegroup => g !== undefined);
}

/** Lists a resource the cluster may not serve (a 404 is an empty list, as for an API group it does not have). */
export async function listIfServed<T>(list: () => AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  try {
    for await (const item of list()) out.push(item);
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return [];
    throw error;
  }
  return out;
}

/** Gathers the cluster's facts. Throws ClusterNotFound when EKS does not know the cluster. */
export async function gatherFacts(deps: ReadinessDeps, clusterName: string): Promise<ClusterFacts> {
  const { cluster } = await deps.eks.send(new DescribeClusterCommand({ name: clusterName }));
  if (!cluster) throw new ClusterNotFound(`EKS did not describe cluster "${clusterName}"; check the name and region`);
  const nodes: NodeFacts[] = [];
  for await (const node of listAll((page) => deps.kube.core.listNode(page))) {
    const group = node.metadata?.labels?.['eks.amazonaws.com/nodegroup'];
    nodes.push({
      name: node.metadata?.name ?? '?',
      ready: node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
      ...(node.status?.nodeInfo?.kubeletVersion ? { kubelet: node.status.nodeInfo.kubeletVersion } : {}),
      ...(node.status?.nodeInfo?.osImage ? { osImage: node.status.nodeInfo.osImage } : {}),
      ...(group ? { nodegroup: group } : {}),
      ...(node.metadata?.labels?.['eks.amazonaws.com/compute-type'] === 'fargate' ? { fargate: true } : {}),
    });
  }
  const [addons, nodegroups] = await Promise.all([
    describeAddons(deps.eks, clusterName),
    describeNodegroups(deps.eks, clusterName),
  ]);
  return { cluster, addons, nodegroups, nodes };
}
