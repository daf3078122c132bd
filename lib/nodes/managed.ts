import type { EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  type EKSClient,
  ListUpdatesCommand,
  type Nodegroup,
  UpdateNodegroupConfigCommand,
  UpdateNodegroupVersionCommand,
  type UpdateNodegroupVersionRequest,
} from '@aws-sdk/client-eks';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { describeUpdateErrors, findUpdateInProgress, type UpdateProgress } from '../controlplane/index.js';
import { NodegroupUpdateFailed, PodEvictionBlocked } from '../errors.js';
import { type KubeApis, listAll } from '../kube/index.js';
import type { Log } from '../runtime/log.js';
import { minorOf } from '../versions/index.js';
import { nextCheckSeconds, typicalMinSeconds } from '../waits.js';
import { launchTemplateForVersion } from './ami.js';
import { type DrainingNode, describeBlockers, drainingNodes, findEvictionBlockers } from './blockers.js';

/**
 * The UpdateNodegroupVersion request for a group: the target version and EKS's latest AMI release for it, or,
 * when the group was created with a launch template of the user's, a version of that template: one naming the
 * target AMI of the same family when the template names an AMI (EKS then takes no version), the same one otherwise.
 */
async function versionUpdateInput(
  deps: { ec2?: EC2Client; ssm?: SSMClient },
  target: { cluster: string; nodegroup: string; described: Nodegroup | undefined },
  toVersion: string,
  force: boolean,
): Promise<UpdateNodegroupVersionRequest> {
  const nodegroup = target.described;
  const base = { clusterName: target.cluster, nodegroupName: target.nodegroup, force };
  const template = nodegroup?.launchTemplate;
  if (!template?.id) return { ...base, version: toVersion };
  if (!deps.ec2 || !deps.ssm)
    throw new Error('updating a node group with its own launch template needs EC2 and SSM clients');
  const moved = await launchTemplateForVersion(
    { ec2: deps.ec2, ssm: deps.ssm },
    {
      templateId: template.id,
      templateVersion: template.version ?? '$Default',
      toVersion,
      owner: `node group ${target.nodegroup}`,
    },
  );
  return moved.hadImage
    ? { ...base, launchTemplate: { id: template.id, version: String(moved.version) } }
    : { ...base, version: toVersion, launchTemplate: { id: template.id, version: String(moved.version) } };
}

const silentLog: Log = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  appendKeys: () => undefined,
  resetKeys: () => undefined,
};

/** The policy's answer to a drain that PodDisruptionBudgets block (EKS's PodEvictionFailure). */
export interface EvictionFailurePolicy {
  action: 'stop' | 'retry' | 'force';
  /** How many times to start the update again (retry) or force it (force) before stopping. */
  retries: number;
}

export const defaultEvictionFailurePolicy: EvictionFailurePolicy = { action: 'stop', retries: 0 };

/** Counts this rotation's updates that ended in PodEvictionFailure, from EKS's own update history. */
async function evictionFailuresSince(
  eks: EKSClient,
  request: { cluster: string; nodegroup: string; toVersion: string; startedAt?: string },
): Promise<number> {
  const since = request.startedAt ? Date.parse(request.startedAt) : 0;
  const { updateIds } = await eks.send(
    new ListUpdatesCommand({ name: request.cluster, nodegroupName: request.nodegroup }),
  );
  let failures = 0;
  for (const id of updateIds ?? []) {
    const { update } = await eks.send(
      new DescribeUpdateCommand({ name: request.cluster, nodegroupName: request.nodegroup, updateId: id }),
    );
    const mine = (update?.createdAt?.getTime() ?? 0) >= since;
    if (mine && update?.status === 'Failed' && update.errors?.some((e) => e.errorCode === 'PodEvictionFailure'))
      failures++;
  }
  return failures;
}

export interface NodegroupProgress extends UpdateProgress {
  nodegroup: string;
  nodesUpgraded: number;
  nodesTotal: number;
  /** Old nodes EKS is emptying, what is left on them, and the budgets holding pods there now. */
  draining?: DrainingNode[];
}

async function nodeVersions(
  kube: KubeApis,
  nodegroup: string,
  toVersion: string,
): Promise<{ upgraded: number; total: number; leaving: Array<{ name: string; cordoned: boolean }> }> {
  let upgraded = 0;
  let total = 0;
  const leaving: Array<{ name: string; cordoned: boolean }> = [];
  const nodes = listAll((page) =>
    kube.core.listNode({ ...page, labelSelector: `eks.amazonaws.com/nodegroup=${nodegroup}` }),
  );
  for await (const node of nodes) {
    total++;
    if (minorOf(node.status?.nodeInfo?.kubeletVersion ?? '0.0') === toVersion) upgraded++;
    // EKS taints the old nodes once their replacements are Ready, then drains them a batch at a time.
    else if (
      node.metadata?.name &&
      (node.spec?.unschedulable ||
        node.spec?.taints?.some((t) => t.key === 'eks.amazonaws.com/nodegroup' && t.value === 'unschedulable'))
    )
      leaving.push({ name: node.metadata.name, cordoned: node.spec?.unschedulable === true });
  }
  return { upgraded, total, leaving };
}

function expectedSeconds(desired: number, maxUnavailable: number): number {
  return Math.max(1, Math.ceil(desired / Math.max(1, maxUnavailable))) * typicalMinSeconds.nodegroupPerBatch;
}

/**
 * Starts a managed node group's update to `toVersion` with the latest AMI release for it, attaches to one
 * already running, or reports that the group is already there.
 */
export async function startNodegroupUpgrade(
  deps: { eks: EKSClient; ec2?: EC2Client; ssm?: SSMClient; log: Log; now: () => Date },
  request: {
    cluster: string;
    nodegroup: string;
    toVersion: string;
    force: boolean;
    /** How many nodes EKS may replace at once; applied with UpdateNodegroupConfig before the version update. */
    updateConfig?: { maxUnavailable?: number; maxUnavailablePercentage?: number };
    startedAt?: string;
  },
): Promise<NodegroupProgress> {
  const { nodegroup } = await deps.eks.send(
    new DescribeNodegroupCommand({ clusterName: request.cluster, nodegroupName: request.nodegroup }),
  );
  const desired = nodegroup?.scalingConfig?.desiredSize ?? 0;
  const base = { nodegroup: request.nodegroup, nodesUpgraded: 0, nodesTotal: desired };
  const wait = nextCheckSeconds({
    elapsedSeconds: 0,
    typicalMinSeconds: expectedSeconds(desired, nodegroup?.updateConfig?.maxUnavailable ?? 1),
  });
  if (nodegroup?.status === 'UPDATING') {
    const running = await findUpdateInProgress(
      deps.eks,
      { cluster: request.cluster, nodegroup: request.nodegroup },
      'VersionUpdate',
    );
    if (running) {
      return {
        ...base,
        done: false,
        updateId: running,
        waitSeconds: wait,
        startedAt: deps.now().toISOString(),
        detail: `attached to node group update ${running}`,
      };
    }
  }
  if (minorOf(nodegroup?.version ?? '0.0') === request.toVersion) {
    return {
      ...base,
      nodesUpgraded: desired,
      done: true,
      waitSeconds: 0,
      detail: `${request.nodegroup} already runs ${request.toVersion}`,
    };
  }
  const wanted = request.updateConfig;
  const current = nodegroup?.updateConfig;
  const differs =
    wanted &&
    (wanted.maxUnavailable !== undefined
      ? current?.maxUnavailable !== wanted.maxUnavailable
      : wanted.maxUnavailablePercentage !== undefined &&
        current?.maxUnavailablePercentage !== wanted.maxUnavailablePercentage);
  if (differs) {
    // The batch size comes from the policy; EKS reads it from the node group when the version update starts.
    const { update } = await deps.eks.send(
      new UpdateNodegroupConfigCommand({
        clusterName: request.cluster,
        nodegroupName: request.nodegroup,
        updateConfig:
          wanted.maxUnavailable !== undefined
            ? { maxUnavailable: wanted.maxUnavailable }
            : { maxUnavailablePercentage: wanted.maxUnavailablePercentage },
      }),
    );
    deps.log.info('node group update config set from policy', { nodegroup: request.nodegroup, ...wanted });
    return {
      ...base,
      done: false,
      ...(update?.id ? { updateId: update.id } : {}),
      waitSeconds: 30,
      startedAt: request.startedAt ?? deps.now().toISOString(),
      detail: `${request.nodegroup}: setting maxUnavailable from the policy before the version update`,
    };
  }
  const { update } = await deps.eks.send(
    new UpdateNodegroupVersionCommand(
      await versionUpdateInput(deps, { ...request, described: nodegroup }, request.toVersion, request.force),
    ),
  );
  deps.log.info('node group update started', {
    nodegroup: request.nodegroup,
    updateId: update?.id,
    force: request.force,
  });
  return {
    ...base,
    done: false,
    ...(update?.id ? { updateId: update.id } : {}),
    waitSeconds: wait,
    startedAt: request.startedAt ?? (update?.createdAt ?? deps.now()).toISOString(),
    detail: `${request.nodegroup} ${minorOf(nodegroup?.version ?? '0.0')} → ${request.toVersion} started (${desired} nodes)`,
  };
}

/**
 * Checks a managed node group update and counts nodes on the target version. Throws PodEvictionBlocked naming
 * the pods and budgets when EKS reports PodEvictionFailure, NodegroupUpdateFailed for other failures.
 */
export async function checkNodegroupUpgrade(
  deps: { eks: EKSClient; ec2?: EC2Client; ssm?: SSMClient; kube: () => Promise<KubeApis>; log?: Log; now: () => Date },
  request: {
    cluster: string;
    nodegroup: string;
    toVersion: string;
    updateId: string;
    startedAt?: string;
    /** What to do when EKS reports PodEvictionFailure: stop (default), start the update again, or force it. */
    onEvictionFailure?: EvictionFailurePolicy;
    force?: boolean;
    updateConfig?: { maxUnavailable?: number; maxUnavailablePercentage?: number };
  },
): Promise<NodegroupProgress> {
  const { update } = await deps.eks.send(
    new DescribeUpdateCommand({ name: request.cluster, nodegroupName: request.nodegroup, updateId: request.updateId }),
  );
  const kube = await deps.kube();
  const counts = await nodeVersions(kube, request.nodegroup, request.toVersion);
  const base = {
    nodegroup: request.nodegroup,
    updateId: request.updateId,
    nodesUpgraded: counts.upgraded,
    nodesTotal: counts.total,
  };
  if (update?.status === 'Successful' && update.type === 'ConfigUpdate') {
    // The policy's batch size is in place: now the version update itself.
    return startNodegroupUpgrade(
      { ...deps, log: deps.log ?? silentLog },
      {
        cluster: request.cluster,
        nodegroup: request.nodegroup,
        toVersion: request.toVersion,
        force: request.force ?? false,
        ...(request.startedAt ? { startedAt: request.startedAt } : {}),
      },
    );
  }
  if (update?.status === 'Successful') {
    return {
      ...base,
      done: true,
      waitSeconds: 0,
      detail: `${request.nodegroup}: ${counts.upgraded}/${counts.total} nodes on ${request.toVersion}`,
    };
  }
  if (update?.status === 'Failed' || update?.status === 'Cancelled') {
    const eviction = update.errors?.find((e) => e.errorCode === 'PodEvictionFailure');
    if (eviction) {
      const blockers = await findEvictionBlockers(kube, eviction.resourceIds ?? []);
      const policy = request.onEvictionFailure ?? defaultEvictionFailurePolicy;
      const failures = policy.action === 'stop' ? 0 : await evictionFailuresSince(deps.eks, request);
      if (policy.action !== 'stop' && failures <= policy.retries) {
        const force = policy.action === 'force';
        const { nodegroup } = await deps.eks.send(
          new DescribeNodegroupCommand({ clusterName: request.cluster, nodegroupName: request.nodegroup }),
        );
        const { update: next } = await deps.eks.send(
          new UpdateNodegroupVersionCommand(
            await versionUpdateInput(deps, { ...request, described: nodegroup }, request.toVersion, force),
          ),
        );
        deps.log?.warn(force ? 'forcing the node group update past its budgets' : 'retrying the node group update', {
          nodegroup: request.nodegroup,
          attempt: failures + 1,
          blockers: describeBlockers(blockers),
        });
        return {
          ...base,
          ...(next?.id ? { updateId: next.id } : {}),
          ...(request.startedAt ? { startedAt: request.startedAt } : {}),
          done: false,
          waitSeconds: 60,
          detail: `${request.nodegroup}: drain blocked (${describeBlockers(blockers, 3)}); ${force ? 'forcing' : 'trying again'}, attempt ${failures + 1}`,
        };
      }
      throw new PodEvictionBlocked(
        `node group ${request.nodegroup} could not drain: ${describeBlockers(blockers) || describeUpdateErrors(update.errors)}. ` +
          'Nothing was forced: scale the workload up or relax its PodDisruptionBudget, then rerun (or set force in the policy to override budgets).',
      );
    }
    throw new NodegroupUpdateFailed(
      `node group ${request.nodegroup} update to ${request.toVersion} ${update.status.toLowerCase()}: ${describeUpdateErrors(update.errors)}`,
    );
  }
  const started = Date.parse(request.startedAt ?? deps.now().toISOString());
  const elapsedSeconds = (deps.now().getTime() - started) / 1000;
  return {
    ...base,
    done: false,
    // Judge from the nodes still to replace rather than the elapsed time: node groups differ too much in size.
    waitSeconds: nextCheckSeconds({
      elapsedSeconds: 0,
      typicalMinSeconds: (counts.total - counts.upgraded) * 60,
      ceilingSeconds: 15,
    }),
    ...(request.startedAt ? { startedAt: request.startedAt } : {}),
    detail: `${request.nodegroup}: ${counts.upgraded}/${counts.total} nodes on ${request.toVersion} after ${Math.round(elapsedSeconds)} s`,
    ...(counts.leaving.length ? { draining: await drainingNodes(kube, counts.leaving) } : {}),
  };
}
