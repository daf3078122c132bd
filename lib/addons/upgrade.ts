import {
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  DescribeUpdateCommand,
  type EKSClient,
  UpdateAddonCommand,
} from '@aws-sdk/client-eks';
import { describeUpdateErrors, findUpdateInProgress, type UpdateProgress } from '../controlplane/index.js';
import { AddonUpdateFailed } from '../errors.js';
import type { Log } from '../runtime/log.js';
import { compareAddonVersions } from '../versions/index.js';
import { nextCheckSeconds, stuckAfterSeconds, typicalMinSeconds } from '../waits.js';

export interface AddonTarget {
  name: string;
  installed: string;
  /** The version to move to; equal to `installed` when nothing needs doing. */
  target: string;
  compatibleVersions: string[];
}

/**
 * Chooses an add-on's version for a Kubernetes version: EKS's default for it, unless the installed version is
 * already compatible and newer (never downgrade).
 */
export async function addonTargetFor(
  eks: EKSClient,
  request: { cluster: string; addon: string; kubernetesVersion: string },
): Promise<AddonTarget> {
  const { addon } = await eks.send(
    new DescribeAddonCommand({ clusterName: request.cluster, addonName: request.addon }),
  );
  const installed = addon?.addonVersion ?? '';
  const compatible: string[] = [];
  let defaultVersion: string | undefined;
  let nextToken: string | undefined;
  do {
    const page = await eks.send(
      new DescribeAddonVersionsCommand({
        addonName: request.addon,
        kubernetesVersion: request.kubernetesVersion,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    for (const info of page.addons ?? []) {
      for (const v of info.addonVersions ?? []) {
        const match = v.compatibilities?.find((c) => c.clusterVersion === request.kubernetesVersion);
        if (!v.addonVersion || !match) continue;
        compatible.push(v.addonVersion);
        if (match.defaultVersion) defaultVersion = v.addonVersion;
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  compatible.sort(compareAddonVersions);
  const fallback = compatible[compatible.length - 1];
  const preferred = defaultVersion ?? fallback ?? installed;
  const keep = compatible.includes(installed) && compareAddonVersions(installed, preferred) >= 0;
  return { name: request.addon, installed, target: keep ? installed : preferred, compatibleVersions: compatible };
}

export interface AddonProgress extends UpdateProgress {
  addon: string;
  version: string;
}

/** Starts updating one EKS add-on to its version for `toVersion` (or attaches to a running update). */
export async function startAddonUpgrade(
  deps: { eks: EKSClient; log: Log; now: () => Date },
  request: { cluster: string; addon: string; toVersion: string },
): Promise<AddonProgress> {
  const target = await addonTargetFor(deps.eks, {
    cluster: request.cluster,
    addon: request.addon,
    kubernetesVersion: request.toVersion,
  });
  const base = { addon: request.addon, version: target.target };
  const wait = nextCheckSeconds({ elapsedSeconds: 0, typicalMinSeconds: typicalMinSeconds.addon });
  const running = await findUpdateInProgress(
    deps.eks,
    { cluster: request.cluster, addon: request.addon },
    'AddonUpdate',
  );
  if (running) {
    return {
      ...base,
      done: false,
      updateId: running,
      waitSeconds: wait,
      startedAt: deps.now().toISOString(),
      detail: `attached to add-on update ${running}`,
    };
  }
  if (target.target === target.installed) {
    return {
      ...base,
      done: true,
      waitSeconds: 0,
      detail: `${request.addon} ${target.installed} already suits ${request.toVersion}`,
    };
  }
  // PRESERVE keeps any configuration people changed on the add-on's objects instead of overwriting it.
  const { update } = await deps.eks.send(
    new UpdateAddonCommand({
      clusterName: request.cluster,
      addonName: request.addon,
      addonVersion: target.target,
      resolveConflicts: 'PRESERVE',
    }),
  );
  deps.log.info('add-on update started', { addon: request.addon, from: target.installed, to: target.target });
  return {
    ...base,
    done: false,
    ...(update?.id ? { updateId: update.id } : {}),
    waitSeconds: wait,
    startedAt: (update?.createdAt ?? deps.now()).toISOString(),
    detail: `${request.addon} ${target.installed} → ${target.target} started`,
  };
}

/** Checks an add-on update. Throws AddonUpdateFailed with EKS's errors and the add-on's health issues. */
export async function checkAddonUpgrade(
  deps: { eks: EKSClient; now: () => Date },
  request: { cluster: string; addon: string; version: string; updateId: string; startedAt?: string },
): Promise<AddonProgress> {
  const { update } = await deps.eks.send(
    new DescribeUpdateCommand({ name: request.cluster, addonName: request.addon, updateId: request.updateId }),
  );
  const base = { addon: request.addon, version: request.version, updateId: request.updateId };
  if (update?.status === 'Successful') {
    const { addon } = await deps.eks.send(
      new DescribeAddonCommand({ clusterName: request.cluster, addonName: request.addon }),
    );
    if (addon?.status === 'ACTIVE') {
      return { ...base, done: true, waitSeconds: 0, detail: `${request.addon} runs ${addon.addonVersion}` };
    }
  }
  if (update?.status === 'Failed' || update?.status === 'Cancelled') {
    const { addon } = await deps.eks.send(
      new DescribeAddonCommand({ clusterName: request.cluster, addonName: request.addon }),
    );
    const issues = (addon?.health?.issues ?? []).map((i) => `${i.code}: ${i.message}`).join('; ');
    throw new AddonUpdateFailed(
      `add-on ${request.addon} update to ${request.version} ${update.status.toLowerCase()}: ${describeUpdateErrors(update.errors)}` +
        `${issues ? `; health: ${issues}` : ''}. Resolve the conflict (or set resolveConflicts) and rerun; the control plane is already upgraded and the next run resumes here.`,
    );
  }
  const started = Date.parse(request.startedAt ?? deps.now().toISOString());
  const elapsedSeconds = (deps.now().getTime() - started) / 1000;
  if (elapsedSeconds > stuckAfterSeconds.addon) {
    const minutes = Math.round(elapsedSeconds / 60);
    const { addon } = await deps.eks.send(
      new DescribeAddonCommand({ clusterName: request.cluster, addonName: request.addon }),
    );
    const issues = (addon?.health?.issues ?? []).map((i) => `${i.code}: ${i.message}`).join('; ');
    const state =
      update?.status === 'Successful'
        ? `its update succeeded but the add-on has been ${addon?.status ?? 'not ACTIVE'} since, for ${minutes} minutes in all`
        : `its update has been ${update?.status ?? 'in progress'} for ${minutes} minutes`;
    throw new AddonUpdateFailed(
      `add-on ${request.addon} ${request.version} (update ${request.updateId}): ${state}${issues ? `; health: ${issues}` : ''}. ` +
        `Check it with: aws eks describe-addon --cluster-name ${request.cluster} --addon-name ${request.addon} ` +
        '(and the pods it runs in kube-system), fix what its health issues name, then rerun: the control plane is already upgraded and the next run resumes here.',
    );
  }
  return {
    ...base,
    done: false,
    waitSeconds: nextCheckSeconds({ elapsedSeconds, typicalMinSeconds: typicalMinSeconds.addon }),
    ...(request.startedAt ? { startedAt: request.startedAt } : {}),
    detail: `${request.addon} update in progress for ${Math.round(elapsedSeconds)} s`,
  };
}
