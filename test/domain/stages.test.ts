import {
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  EKSClient,
  ListUpdatesCommand,
  UpdateAddonCommand,
  UpdateClusterVersionCommand,
  UpdateNodegroupVersionCommand,
} from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { addonTargetFor, startAddonUpgrade } from '../../lib/addons/index.js';
import { checkControlPlaneUpgrade, startControlPlaneUpgrade } from '../../lib/controlplane/index.js';
import { ControlPlaneUpdateFailed, PodEvictionBlocked, RequestRejected } from '../../lib/errors.js';
import type { KubeApis } from '../../lib/kube/index.js';
import { checkNodegroupUpgrade } from '../../lib/nodes/index.js';
import { log, now } from './setup.js';

const eks = mockClient(EKSClient);
const client = () => new EKSClient({});

describe('control plane stage', () => {
  beforeEach(() => eks.reset());

  it('starts UpdateClusterVersion for the hop and asks to check back before the typical end', async () => {
    eks.on(DescribeClusterCommand).resolves({ cluster: { version: '1.32', status: 'ACTIVE' } });
    eks.on(UpdateClusterVersionCommand).resolves({ update: { id: 'u-1', status: 'InProgress', createdAt: now() } });
    const progress = await startControlPlaneUpgrade(
      { eks: client(), log, now },
      { cluster: 'demo', toVersion: '1.33' },
    );
    expect(progress).toMatchObject({ done: false, updateId: 'u-1' });
    expect(progress.waitSeconds).toBeGreaterThan(60);
    expect(eks).toHaveReceivedCommandWith(UpdateClusterVersionCommand, { name: 'demo', version: '1.33' });
  });

  it('does nothing when the control plane is already at the hop version', async () => {
    eks.on(DescribeClusterCommand).resolves({ cluster: { version: '1.33', status: 'ACTIVE' } });
    const progress = await startControlPlaneUpgrade(
      { eks: client(), log, now },
      { cluster: 'demo', toVersion: '1.33' },
    );
    expect(progress.done).toBe(true);
    expect(eks).not.toHaveReceivedCommand(UpdateClusterVersionCommand);
  });

  it('attaches to an update already in progress instead of starting a second one', async () => {
    eks.on(DescribeClusterCommand).resolves({ cluster: { version: '1.32', status: 'UPDATING' } });
    eks.on(ListUpdatesCommand).resolves({ updateIds: ['old', 'running'] });
    eks
      .on(DescribeUpdateCommand, { updateId: 'old' })
      .resolves({ update: { id: 'old', status: 'Successful', type: 'VersionUpdate' } });
    eks
      .on(DescribeUpdateCommand, { updateId: 'running' })
      .resolves({ update: { id: 'running', status: 'InProgress', type: 'VersionUpdate' } });
    const progress = await startControlPlaneUpgrade(
      { eks: client(), log, now },
      { cluster: 'demo', toVersion: '1.33' },
    );
    expect(progress.updateId).toBe('running');
    expect(eks).not.toHaveReceivedCommand(UpdateClusterVersionCommand);
  });

  it('refuses a hop the control plane has already passed', async () => {
    eks.on(DescribeClusterCommand).resolves({ cluster: { version: '1.34', status: 'ACTIVE' } });
    await expect(
      startControlPlaneUpgrade({ eks: client(), log, now }, { cluster: 'demo', toVersion: '1.33' }),
    ).rejects.toThrow(RequestRejected);
  });

  it('fails with EKS errors when the update failed', async () => {
    eks.on(DescribeUpdateCommand).resolves({
      update: {
        id: 'u-1',
        status: 'Failed',
        errors: [{ errorCode: 'SubnetNotFound', errorMessage: 'subnet-1 is gone', resourceIds: ['subnet-1'] }],
      },
    });
    const check = checkControlPlaneUpgrade(
      { eks: client(), now },
      { cluster: 'demo', toVersion: '1.33', updateId: 'u-1' },
    );
    await expect(check).rejects.toThrow(ControlPlaneUpdateFailed);
    await expect(check).rejects.toThrow(/SubnetNotFound: subnet-1 is gone \(subnet-1\)/);
  });
});

describe('add-on stage', () => {
  beforeEach(() => eks.reset());

  const versions = (list: Array<[string, boolean]>) => ({
    addons: [
      {
        addonName: 'coredns',
        addonVersions: list.map(([addonVersion, defaultVersion]) => ({
          addonVersion,
          compatibilities: [{ clusterVersion: '1.33', defaultVersion }],
        })),
      },
    ],
  });

  it("moves to the target's default version", async () => {
    eks.on(DescribeAddonCommand).resolves({ addon: { addonVersion: 'v1.11.4-eksbuild.2', status: 'ACTIVE' } });
    eks.on(DescribeAddonVersionsCommand).resolves(
      versions([
        ['v1.12.1-eksbuild.1', true],
        ['v1.12.2-eksbuild.1', false],
      ]),
    );
    eks.on(ListUpdatesCommand).resolves({ updateIds: [] });
    eks.on(UpdateAddonCommand).resolves({ update: { id: 'a-1', status: 'InProgress' } });
    const progress = await startAddonUpgrade(
      { eks: client(), log, now },
      { cluster: 'demo', addon: 'coredns', toVersion: '1.33' },
    );
    expect(progress).toMatchObject({ done: false, version: 'v1.12.1-eksbuild.1', updateId: 'a-1' });
    expect(eks).toHaveReceivedCommandWith(UpdateAddonCommand, {
      addonVersion: 'v1.12.1-eksbuild.1',
      resolveConflicts: 'PRESERVE',
    });
  });

  it('never downgrades an add-on that is already compatible and newer than the default', async () => {
    eks.on(DescribeAddonCommand).resolves({ addon: { addonVersion: 'v1.12.2-eksbuild.1', status: 'ACTIVE' } });
    eks.on(DescribeAddonVersionsCommand).resolves(
      versions([
        ['v1.12.1-eksbuild.1', true],
        ['v1.12.2-eksbuild.1', false],
      ]),
    );
    const target = await addonTargetFor(client(), { cluster: 'demo', addon: 'coredns', kubernetesVersion: '1.33' });
    expect(target.target).toBe('v1.12.2-eksbuild.1');
  });
});

describe('managed node group drain blocked by a budget', () => {
  beforeEach(() => {
    eks.reset();
    eks.on(DescribeNodegroupCommand).resolves({ nodegroup: { nodegroupName: 'general', version: '1.32' } });
  });

  const failed = {
    update: {
      id: 'ng-1',
      status: 'Failed' as const,
      type: 'VersionUpdate' as const,
      createdAt: new Date('2026-11-21T02:10:00Z'),
      errors: [
        { errorCode: 'PodEvictionFailure' as const, errorMessage: 'Reached max retries', resourceIds: ['node-a'] },
      ],
    },
  };
  const kube = async () => {
    const empty = { items: [], metadata: {} };
    return {
      core: { listPodForAllNamespaces: async () => empty, listNode: async () => empty },
      policy: { listPodDisruptionBudgetForAllNamespaces: async () => empty },
    } as unknown as KubeApis;
  };
  const request = {
    cluster: 'demo',
    nodegroup: 'general',
    toVersion: '1.33',
    updateId: 'ng-1',
    startedAt: '2026-11-21T02:00:00Z',
  };

  it('stops by default and forces nothing', async () => {
    eks.on(DescribeUpdateCommand).resolves(failed);
    await expect(checkNodegroupUpgrade({ eks: client(), kube, now }, request)).rejects.toThrow(PodEvictionBlocked);
    expect(eks).not.toHaveReceivedCommand(UpdateNodegroupVersionCommand);
  });

  it('starts the update again when the policy says retry, up to its limit', async () => {
    eks.on(DescribeUpdateCommand).resolves(failed);
    eks.on(ListUpdatesCommand).resolves({ updateIds: ['ng-1'] });
    eks.on(UpdateNodegroupVersionCommand).resolves({ update: { id: 'ng-2', status: 'InProgress' } });
    const progress = await checkNodegroupUpgrade(
      { eks: client(), kube, now },
      { ...request, onEvictionFailure: { action: 'retry', retries: 1 } },
    );
    expect(progress).toMatchObject({ done: false, updateId: 'ng-2', startedAt: request.startedAt });
    expect(eks).toHaveReceivedCommandWith(UpdateNodegroupVersionCommand, { force: false, version: '1.33' });
    eks.on(ListUpdatesCommand).resolves({ updateIds: ['ng-1', 'ng-1'] });
    await expect(
      checkNodegroupUpgrade(
        { eks: client(), kube, now },
        { ...request, onEvictionFailure: { action: 'retry', retries: 1 } },
      ),
    ).rejects.toThrow(PodEvictionBlocked);
  });

  it('forces the update past the budgets only when the policy says force', async () => {
    eks.on(DescribeUpdateCommand).resolves(failed);
    eks.on(ListUpdatesCommand).resolves({ updateIds: ['ng-1'] });
    eks.on(UpdateNodegroupVersionCommand).resolves({ update: { id: 'ng-3', status: 'InProgress' } });
    await checkNodegroupUpgrade(
      { eks: client(), kube, now },
      { ...request, onEvictionFailure: { action: 'force', retries: 1 } },
    );
    expect(eks).toHaveReceivedCommandWith(UpdateNodegroupVersionCommand, { force: true });
  });
});
