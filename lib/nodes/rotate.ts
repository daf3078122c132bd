import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { DescribeNodegroupCommand, type EKSClient, ResourceNotFoundException } from '@aws-sdk/client-eks';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { KubeApis } from '../kube/index.js';
import type { NodeRotationPolicy } from '../planning/index.js';
import type { Log } from '../runtime/log.js';
import { FARGATE_PREFIX, rotateFargateProfile } from './fargate.js';
import { AUTO_MODE_PREFIX, checkKarpenterPool, KARPENTER_PREFIX, type PoolProgress } from './karpenter.js';
import { checkNodegroupUpgrade, type NodegroupProgress, startNodegroupUpgrade } from './managed.js';
import { type RotationOptions, rotateSelfManagedGroup, type SelfManagedProgress } from './selfmanaged.js';

export type NodeGroupProgress = (NodegroupProgress | SelfManagedProgress | PoolProgress) & {
  kind: 'managed' | 'self-managed' | 'karpenter' | 'fargate';
};

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

function updateConfigOf(
  rotation: NodeRotationPolicy,
): { maxUnavailable?: number; maxUnavailablePercentage?: number } | undefined {
  if (rotation.maxUnavailable !== undefined) return { maxUnavailable: rotation.maxUnavailable };
  if (rotation.maxUnavailablePercentage !== undefined)
    return { maxUnavailablePercentage: rotation.maxUnavailablePercentage };
  return undefined;
}

function drainOptions(rotation: NodeRotationPolicy): Partial<RotationOptions> {
  return {
    drainTimeoutSeconds: rotation.drainTimeoutSeconds,
    evictBarePods: rotation.evictBarePods,
    evictEmptyDirPods: rotation.evictEmptyDirPods,
  };
}

/**
 * Karpenter NodePools (`karpenter:<pool>`) and Fargate profiles (`fargate:<profile>`) are not rotated node by
 * node: each call checks on them (and restarts Fargate workloads still behind). Undefined for other entries.
 */
async function followNodes(
  deps: RotationDeps,
  request: { cluster: string; nodegroup: string; toVersion: string; startedAt?: string; rotation: NodeRotationPolicy },
): Promise<NodeGroupProgress | undefined> {
  const timeoutSeconds = request.rotation.replacementTimeoutSeconds;
  const common = {
    cluster: request.cluster,
    toVersion: request.toVersion,
    timeoutSeconds,
    ...(request.startedAt ? { startedAt: request.startedAt } : {}),
  };
  if (request.nodegroup.startsWith(KARPENTER_PREFIX) || request.nodegroup.startsWith(AUTO_MODE_PREFIX)) {
    const autoMode = request.nodegroup.startsWith(AUTO_MODE_PREFIX);
    const pool = request.nodegroup.slice((autoMode ? AUTO_MODE_PREFIX : KARPENTER_PREFIX).length);
    const progress = await checkKarpenterPool(
      { kube: await deps.kube(), now: deps.now },
      { ...common, pool, ...(autoMode ? { autoMode } : {}) },
    );
    return { kind: 'karpenter', ...progress };
  }
  if (request.nodegroup.startsWith(FARGATE_PREFIX)) {
    const profile = request.nodegroup.slice(FARGATE_PREFIX.length);
    const progress = await rotateFargateProfile({ kube: await deps.kube(), now: deps.now }, { ...common, profile });
    return { kind: 'fargate', ...progress };
  }
  return undefined;
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
  const followed = await followNodes(deps, request);
  if (followed) return followed;
  if (await isManaged(deps.eks, request.cluster, request.nodegroup)) {
    return {
      kind: 'managed',
      ...(await startNodegroupUpgrade(deps, { ...request, updateConfig: updateConfigOf(request.rotation) })),
    };
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
    force: boolean;
    rotation: NodeRotationPolicy;
  },
): Promise<NodeGroupProgress> {
  const followed = await followNodes(deps, request);
  if (followed) return followed;
  if (!request.updateId.startsWith(selfManagedPrefix)) {
    const onEvictionFailure = { action: request.rotation.onEvictionFailure, retries: request.rotation.evictionRetries };
    return {
      kind: 'managed',
      ...(await checkNodegroupUpgrade(deps, {
        ...request,
        onEvictionFailure,
        updateConfig: updateConfigOf(request.rotation),
      })),
    };
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
