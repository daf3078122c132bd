import {
  DescribeClusterCommand,
  DescribeUpdateCommand,
  type EKSClient,
  ListUpdatesCommand,
  UpdateClusterVersionCommand,
} from '@aws-sdk/client-eks';
import { ControlPlaneUpdateFailed, ControlPlaneUpdateStuck, RequestRejected } from '../errors.js';
import type { Log } from '../runtime/log.js';
import { compareMinor, minorOf } from '../versions/index.js';
import { nextCheckSeconds, stuckAfterSeconds, typicalMinSeconds } from '../waits.js';

/** Progress of an asynchronous AWS update, as the state machine loops on it. */
export interface UpdateProgress {
  done: boolean;
  updateId?: string;
  /** When not done: seconds to wait before the next check. */
  waitSeconds: number;
  startedAt?: string;
  detail: string;
}

/** Finds an update of the given type that is still running on the cluster, so a rerun attaches to it. */
export async function findUpdateInProgress(
  eks: EKSClient,
  target: { cluster: string; nodegroup?: string; addon?: string },
  type: 'VersionUpdate' | 'AddonUpdate',
): Promise<string | undefined> {
  const list = await eks.send(
    new ListUpdatesCommand({
      name: target.cluster,
      ...(target.nodegroup ? { nodegroupName: target.nodegroup } : {}),
      ...(target.addon ? { addonName: target.addon } : {}),
    }),
  );
  for (const id of [...(list.updateIds ?? [])].reverse()) {
    const { update } = await eks.send(
      new DescribeUpdateCommand({
        name: target.cluster,
        updateId: id,
        ...(target.nodegroup ? { nodegroupName: target.nodegroup } : {}),
        ...(target.addon ? { addonName: target.addon } : {}),
      }),
    );
    if (update?.status === 'InProgress' && update.type === type) return id;
  }
  return undefined;
}

/**
 * Starts the control plane update to `toVersion`, or attaches to one already running, or reports that the
 * control plane is already there. Throws RequestRejected when the control plane is ahead of the hop.
 */
export async function startControlPlaneUpgrade(
  deps: { eks: EKSClient; log: Log; now: () => Date },
  request: { cluster: string; toVersion: string },
): Promise<UpdateProgress> {
  const { cluster } = await deps.eks.send(new DescribeClusterCommand({ name: request.cluster }));
  const current = minorOf(cluster?.version ?? '');
  const order = compareMinor(current, request.toVersion);
  if (order === 0 && cluster?.status === 'ACTIVE') {
    return { done: true, waitSeconds: 0, detail: `control plane already runs ${current}` };
  }
  if (order > 0) {
    throw new RequestRejected(
      `control plane runs ${current}, past this hop's ${request.toVersion}; plan again from the cluster's current version`,
    );
  }
  if (cluster?.status === 'UPDATING') {
    const running = await findUpdateInProgress(deps.eks, { cluster: request.cluster }, 'VersionUpdate');
    if (running) {
      deps.log.info('attached to a control plane update already in progress', { updateId: running });
      return {
        done: false,
        updateId: running,
        waitSeconds: nextCheckSeconds({
          elapsedSeconds: 0,
          typicalMinSeconds: typicalMinSeconds.controlPlane,
          ceilingSeconds: 240,
        }),
        startedAt: deps.now().toISOString(),
        detail: `control plane update ${running} already in progress`,
      };
    }
  }
  const { update } = await deps.eks.send(
    new UpdateClusterVersionCommand({ name: request.cluster, version: request.toVersion }),
  );
  const startedAt = (update?.createdAt ?? deps.now()).toISOString();
  deps.log.info('control plane update started', { updateId: update?.id, fromVersion: current });
  return {
    done: false,
    ...(update?.id ? { updateId: update.id } : {}),
    waitSeconds: nextCheckSeconds({
      elapsedSeconds: 0,
      typicalMinSeconds: typicalMinSeconds.controlPlane,
      ceilingSeconds: 240,
    }),
    startedAt,
    detail: `control plane ${current} → ${request.toVersion} started`,
  };
}

/** Formats EKS update errors for a person: code, message and the resources concerned. */
export function describeUpdateErrors(
  errors: Array<{ errorCode?: string; errorMessage?: string; resourceIds?: string[] }> | undefined,
): string {
  if (!errors?.length) return 'EKS gave no error details';
  return errors
    .map(
      (e) =>
        `${e.errorCode ?? 'Unknown'}: ${e.errorMessage ?? ''}${e.resourceIds?.length ? ` (${e.resourceIds.join(', ')})` : ''}`,
    )
    .join('; ');
}

/** Checks a control plane update. Throws ControlPlaneUpdateFailed with EKS's errors when it failed. */
export async function checkControlPlaneUpgrade(
  deps: { eks: EKSClient; now: () => Date },
  request: { cluster: string; toVersion: string; updateId: string; startedAt?: string },
): Promise<UpdateProgress> {
  const { update } = await deps.eks.send(
    new DescribeUpdateCommand({ name: request.cluster, updateId: request.updateId }),
  );
  const status = update?.status;
  if (status === 'Successful') {
    return {
      done: true,
      updateId: request.updateId,
      waitSeconds: 0,
      detail: `control plane runs ${request.toVersion}`,
    };
  }
  if (status === 'Failed' || status === 'Cancelled') {
    throw new ControlPlaneUpdateFailed(
      `control plane update to ${request.toVersion} ${status.toLowerCase()} (update ${request.updateId}): ${describeUpdateErrors(update?.errors)}. ` +
        'The cluster stays on its version and can be upgraded again once the cause is fixed.',
    );
  }
  const started = Date.parse(request.startedAt ?? update?.createdAt?.toISOString() ?? deps.now().toISOString());
  const elapsedSeconds = (deps.now().getTime() - started) / 1000;
  if (elapsedSeconds > stuckAfterSeconds.controlPlane) {
    const minutes = Math.round(elapsedSeconds / 60);
    throw new ControlPlaneUpdateStuck(
      `control plane update to ${request.toVersion} (update ${request.updateId}) has been ${status ?? 'in progress'} for ${minutes} minutes, ` +
        `more than the ${stuckAfterSeconds.controlPlane / 60} EKS ever needs in practice (usually 8-12). The orchestrator stopped waiting; ` +
        `the update goes on in EKS. Check it with: aws eks describe-update --name ${request.cluster} --update-id ${request.updateId}. ` +
        'Once it ends, run the upgrade again: it attaches to an update still in progress or continues from its result. ' +
        'If it stays in progress for hours, open an AWS Support case with the update id.',
    );
  }
  return {
    done: false,
    updateId: request.updateId,
    waitSeconds: nextCheckSeconds({
      elapsedSeconds,
      typicalMinSeconds: typicalMinSeconds.controlPlane,
      ceilingSeconds: 240,
    }),
    ...(request.startedAt ? { startedAt: request.startedAt } : {}),
    detail: `control plane update in progress for ${Math.round(elapsedSeconds)} s`,
  };
}
