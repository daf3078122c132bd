import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { DescribeNodegroupCommand, type EKSClient, ResourceNotFoundException } from '@aws-sdk/client-eks';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { KubeApis } from '../kube/index.js';
import type { NodeRotationPolicy } from '../planning/index.js';
import type { Log } from '../runtime/log.js';
import { checkNodegroupUpgrade, type NodegroupProgress, startNodegroupUpgrade } from './managed.js';
import { type RotationOptions, rotateSelfManagedGroup, type SelfManagedProgress } from './selfmanaged.js';

export type NodeGroupProgress = (NodegroupProgress | SelfManagedProgress) & { kind: 'managed' | 'self-managed' };

export interface RotationDeps {
  eks: EKSClient;
  autoscaling: AutoScalingClient;
  ec2: EC2Client;
  ssm: SSMClient;
  kube: () => Promise<KubeApis>;
  log: Log;
  now: () => Date;
}

const selfManagedPrefix = 'self-managed:';

function drainOptions(rotation: NodeRotationPolicy): Partial<RotationOptions> {
  return {
    drainTimeoutSeconds: rotation.drainTimeoutSeconds,
    evictBarePods: rotation.evictBarePods,
    evictEmptyDirPods: rotation.evictEmptyDirPods,
  };
}

async function isManaged(eks: EKSClient, cluster: string, nodegroup: string): Promise<boolean> {
  try {
    await eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: nodegroup }));
    return true;
  } catch (e) {
    if (e instanceof ResourceNotFoundException) return false;
    throw e;
  }
}

/**
 * Starts rotating one node group to `toVersion`: a managed node group through EKS, or else the self-managed
 * Auto Scaling group of that name, which the orchestrator rotates itself.
 */
export async function startNodeGroupRotation(
  deps: RotationDeps,
  request: { cluster: string; nodegroup: string; toVersion: string; force: boolean; rotation: NodeRotationPolicy },
): Promise<NodeGroupProgress> {
  if (await isManaged(deps.eks, request.cluster, request.nodegroup)) {
    return { kind: 'managed', ...(await startNodegroupUpgrade(deps, request)) };
  }
  const progress = await rotateSelfManagedGroup(
    { ...deps, kube: await deps.kube() },
    {
      cluster: request.cluster,
      group: request.nodegroup,
      toVersion: request.toVersion,
      options: drainOptions(request.rotation),
    },
  );
  return { kind: 'self-managed', ...progress };
}

/** Checks on (and, for self-managed groups, advances) a node group rotation started by startNodeGroupRotation. */
export async function checkNodeGroupRotation(
  deps: RotationDeps,
  request: {
    cluster: string;
    nodegroup: string;
    toVersion: string;
    updateId: string;
    startedAt?: string;
    rotation: NodeRotationPolicy;
  },
): Promise<NodeGroupProgress> {
  if (!request.updateId.startsWith(selfManagedPrefix)) {
    const onEvictionFailure = { action: request.rotation.onEvictionFailure, retries: request.rotation.evictionRetries };
    return { kind: 'managed', ...(await checkNodegroupUpgrade(deps, { ...request, onEvictionFailure })) };
  }
  const progress = await rotateSelfManagedGroup(
    { ...deps, kube: await deps.kube() },
    {
      cluster: request.cluster,
      group: request.nodegroup,
      toVersion: request.toVersion,
      options: drainOptions(request.rotation),
      ...(request.startedAt ? { startedAt: request.startedAt } : {}),
    },
  );
  return { kind: 'self-managed', ...progress };
}
