import {
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListClustersCommand,
  ListUpdatesCommand,
  paginateListClusters,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateAddonCommand,
  UpdateClusterVersionCommand,
} from '@aws-sdk/client-eks';
import { describe, expect, it } from 'vitest';
import { createWorld } from './harness.js';

const baseCluster = {
  name: 'prod',
  region: 'eu-west-1',
  version: '1.32',
  tags: { team: 'platform' },
  addons: [{ name: 'vpc-cni' }, { name: 'coredns' }, { name: 'kube-proxy' }],
  managedNodegroups: [{ name: 'general', desiredSize: 2, maxSize: 4 }],
};

describe('simulated EKS clusters', () => {
  it('describes a cluster with the real SDK shapes', async () => {
    const w = createWorld({ clusters: [baseCluster] });

    const { cluster, $metadata } = await w.aws.eks.send(new DescribeClusterCommand({ name: 'prod' }));

    expect($metadata.httpStatusCode).toBe(200);
    expect($metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(cluster?.status).toBe('ACTIVE');
    expect(cluster?.version).toBe('1.32');
    expect(cluster?.platformVersion).toMatch(/^eks\.\d+$/);
    expect(cluster?.arn).toBe('arn:aws:eks:eu-west-1:111122223333:cluster/prod');
    expect(cluster?.endpoint).toBe('https://127.0.0.1:6443/prod');
    expect(cluster?.createdAt).toBeInstanceOf(Date);
    expect(Buffer.from(cluster?.certificateAuthority?.data ?? '', 'base64').toString()).toContain('BEGIN CERTIFICATE');
    expect(cluster?.tags).toEqual({ team: 'platform' });
    expect(cluster?.health?.issues).toEqual([]);
    expect(cluster?.resourcesVpcConfig?.subnetIds).toHaveLength(3);
  });

  it('answers ResourceNotFoundException for an unknown cluster, and for a known one in another region', async () => {
    const w = createWorld({ clusters: [baseCluster] });

    await expect(w.aws.eks.send(new DescribeClusterCommand({ name: 'nope' }))).rejects.toThrow(
      'No cluster found for name: nope.',
    );
    const error = await w.aws.eks.send(new DescribeClusterCommand({ name: 'nope' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
    await expect(
      w.clientsFor('us-east-1').eks.send(new DescribeClusterCommand({ name: 'prod' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('paginates ListClusters', async () => {
    const clusters = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, region: 'eu-west-1', version: '1.33' }));
    const w = createWorld({ clusters });

    const first = await w.aws.eks.send(new ListClustersCommand({ maxResults: 2 }));
    const all: string[] = [];
    for await (const page of paginateListClusters({ client: w.aws.eks, pageSize: 2 }, {}))
      all.push(...(page.clusters ?? []));

    expect(first.clusters).toEqual(['a', 'b']);
    expect(first.nextToken).toBeDefined();
    expect(all).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('updates the control plane: InProgress, UPDATING, then Successful with the new version about ten minutes later', async () => {
    const w = createWorld({ clusters: [baseCluster] });

    const { update } = await w.aws.eks.send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.33' }));
    const during = await w.aws.eks.send(new DescribeClusterCommand({ name: 'prod' }));
    w.advance(8 * 60_000);
    const stillRunning = await w.aws.eks.send(new DescribeUpdateCommand({ name: 'prod', updateId: update?.id }));
    w.advance(4 * 60_000);
    const done = await w.aws.eks.send(new DescribeUpdateCommand({ name: 'prod', updateId: update?.id }));
    const after = await w.aws.eks.send(new DescribeClusterCommand({ name: 'prod' }));

    expect(update).toMatchObject({ status: 'InProgress', type: 'VersionUpdate', errors: [] });
    expect(update?.params).toContainEqual({ type: 'Version', value: '1.33' });
    expect(update?.createdAt).toBeInstanceOf(Date);
    expect(during.cluster?.status).toBe('UPDATING');
    expect(during.cluster?.version).toBe('1.32');
    expect(stillRunning.update?.status).toBe('InProgress');
    expect(done.update?.status).toBe('Successful');
    expect(after.cluster?.status).toBe('ACTIVE');
    expect(after.cluster?.version).toBe('1.33');
    expect(after.cluster?.platformVersion).not.toBe(during.cluster?.platformVersion);
    expect(w.versionChanges).toEqual([{ cluster: 'prod', version: '1.33' }]);
    const [op] = w.account.operations();
    expect(op?.kind).toBe('controlPlaneUpdate');
    expect(op?.status).toBe('Successful');
    const duration = (op?.endMs ?? 0) - (op?.startMs ?? 0);
    expect(duration).toBeGreaterThanOrEqual(9 * 60_000);
    expect(duration).toBeLessThanOrEqual(11 * 60_000);
    const listed = await w.aws.eks.send(new ListUpdatesCommand({ name: 'prod' }));
    expect(listed.updateIds).toEqual([update?.id]);
  });

  it('refuses a second update while one runs (ResourceInUseException)', async () => {
    const w = createWorld({ clusters: [baseCluster] });
    await w.aws.eks.send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.33' }));

    const error = await w.aws.eks
      .send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.33' }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ResourceInUseException);
    expect((error as ResourceInUseException).clusterName).toBe('prod');
    expect((error as ResourceInUseException).$metadata.httpStatusCode).toBe(409);
  });

  it('replays the same update for the same clientRequestToken', async () => {
    const w = createWorld({ clusters: [baseCluster] });
    const input = { name: 'prod', version: '1.33', clientRequestToken: 'tok-1' };

    const first = await w.aws.eks.send(new UpdateClusterVersionCommand(input));
    const second = await w.aws.eks.send(new UpdateClusterVersionCommand(input));

    expect(second.update?.id).toBe(first.update?.id);
  });

  it('refuses to skip a minor version (InvalidParameterException)', async () => {
    const w = createWorld({ clusters: [baseCluster] });

    const error = await w.aws.eks
      .send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.34' }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toBe('Unsupported Kubernetes minor version update from 1.32 to 1.34');
    expect(w.account.clusterVersion('prod')).toBe('1.32');
    expect(w.account.operations()).toEqual([]);
  });

  it('refuses a control plane update while a managed node group lags behind (InvalidRequestException)', async () => {
    const w = createWorld({
      clusters: [
        {
          ...baseCluster,
          version: '1.33',
          managedNodegroups: [
            { name: 'general', desiredSize: 1 },
            { name: 'batch', version: '1.32', desiredSize: 1 },
          ],
        },
      ],
    });

    const error = await w.aws.eks
      .send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.34' }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidRequestException);
    expect((error as Error).message).toBe(
      'Nodegroups batch must be updated to match cluster version 1.33 before updating cluster version',
    );
  });

  it('fails the control plane update the scenario says fails, keeping the version, and lets a retry succeed', async () => {
    const w = createWorld({
      clusters: [{ ...baseCluster, faults: [{ type: 'controlPlaneUpdateFails', toVersion: '1.33' }] }],
    });

    const { update } = await w.aws.eks.send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.33' }));
    w.advance(12 * 60_000);
    const failed = await w.aws.eks.send(new DescribeUpdateCommand({ name: 'prod', updateId: update?.id }));
    const cluster = await w.aws.eks.send(new DescribeClusterCommand({ name: 'prod' }));
    const retry = await w.aws.eks.send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.33' }));
    w.advance(12 * 60_000);
    const retried = await w.aws.eks.send(new DescribeUpdateCommand({ name: 'prod', updateId: retry.update?.id }));

    expect(failed.update?.status).toBe('Failed');
    expect(failed.update?.errors).toEqual([
      {
        errorCode: 'ClusterUnreachable',
        errorMessage: 'The control plane update could not complete; the cluster remains on its version.',
        resourceIds: ['prod'],
      },
    ]);
    expect(cluster.cluster?.version).toBe('1.32');
    expect(cluster.cluster?.status).toBe('ACTIVE');
    expect(retried.update?.status).toBe('Successful');
    expect(w.account.clusterVersion('prod')).toBe('1.33');
  });

  it('answers ResourceNotFoundException for an unknown update id and for a node group update asked without its node group', async () => {
    const w = createWorld({ clusters: [baseCluster] });

    await expect(
      w.aws.eks.send(new DescribeUpdateCommand({ name: 'prod', updateId: '00000000-0000-0000-0000-000000000000' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      w.aws.eks.send(new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'missing' })),
    ).rejects.toThrow('No node group found for name: missing.');
  });

  it('lists supported versions with support dates, hiding versions past extended support unless includeAll', async () => {
    const w = createWorld({ clusters: [baseCluster] });

    const { clusterVersions } = await w.aws.eks.send(new DescribeClusterVersionsCommand({}));
    const all = await w.aws.eks.send(new DescribeClusterVersionsCommand({ includeAll: true }));

    const versions = clusterVersions?.map((v) => v.clusterVersion);
    expect(versions).toEqual(['1.35', '1.34', '1.33', '1.32', '1.31']);
    expect(all.clusterVersions?.map((v) => v.clusterVersion)).toContain('1.28');
    const v131 = clusterVersions?.find((v) => v.clusterVersion === '1.31');
    expect(v131?.versionStatus).toBe('EXTENDED_SUPPORT');
    expect(v131?.status).toBe('extended-support');
    expect(v131?.endOfExtendedSupportDate).toEqual(new Date('2026-11-26T00:00:00Z'));
    expect(clusterVersions?.find((v) => v.clusterVersion === '1.34')?.versionStatus).toBe('STANDARD_SUPPORT');
    expect(clusterVersions?.filter((v) => v.defaultVersion)).toHaveLength(1);
  });
});

describe('simulated EKS add-ons', () => {
  it('offers add-on versions per Kubernetes version with exactly one default', async () => {
    const w = createWorld({ clusters: [baseCluster] });

    for (const k8s of ['1.30', '1.32', '1.33', '1.35']) {
      const { addons } = await w.aws.eks.send(new DescribeAddonVersionsCommand({ kubernetesVersion: k8s }));
      expect(addons?.map((a) => a.addonName).sort()).toEqual([
        'aws-ebs-csi-driver',
        'coredns',
        'eks-pod-identity-agent',
        'kube-proxy',
        'vpc-cni',
      ]);
      for (const addon of addons ?? []) {
        const defaults = (addon.addonVersions ?? []).filter((v) =>
          v.compatibilities?.some((c) => c.clusterVersion === k8s && c.defaultVersion),
        );
        expect(defaults, `${addon.addonName} on ${k8s}`).toHaveLength(1);
      }
    }
    const proxy = await w.aws.eks.send(
      new DescribeAddonVersionsCommand({ kubernetesVersion: '1.33', addonName: 'kube-proxy' }),
    );
    expect(proxy.addons?.[0]?.addonVersions?.map((v) => v.addonVersion)).toContain('v1.33.0-eksbuild.2');
    expect(proxy.addons?.[0]?.addonVersions?.every((v) => v.addonVersion?.startsWith('v1.33.'))).toBe(true);
    const dns = await w.aws.eks.send(
      new DescribeAddonVersionsCommand({ kubernetesVersion: '1.32', addonName: 'coredns' }),
    );
    expect(dns.addons?.[0]?.addonVersions?.every((v) => v.addonVersion?.startsWith('v1.11.'))).toBe(true);
  });

  it('paginates DescribeAddonVersions', async () => {
    const w = createWorld({ clusters: [baseCluster] });

    const first = await w.aws.eks.send(new DescribeAddonVersionsCommand({ kubernetesVersion: '1.33', maxResults: 2 }));
    const second = await w.aws.eks.send(
      new DescribeAddonVersionsCommand({ kubernetesVersion: '1.33', maxResults: 2, nextToken: first.nextToken }),
    );

    expect(first.addons).toHaveLength(2);
    expect(second.addons?.[0]?.addonName).not.toBe(first.addons?.[0]?.addonName);
  });

  it('refuses an add-on version incompatible with the cluster (InvalidParameterException)', async () => {
    const w = createWorld({ clusters: [baseCluster] });

    const error = await w.aws.eks
      .send(
        new UpdateAddonCommand({ clusterName: 'prod', addonName: 'kube-proxy', addonVersion: 'v1.33.0-eksbuild.2' }),
      )
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as InvalidParameterException).addonName).toBe('kube-proxy');
    expect((error as Error).message).toContain('Addon version specified is not supported');
  });

  it('updates an add-on after a minute or three', async () => {
    const w = createWorld({ clusters: [baseCluster] });
    await w.aws.eks.send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.33' }));
    w.advance(12 * 60_000);

    const { update } = await w.aws.eks.send(
      new UpdateAddonCommand({ clusterName: 'prod', addonName: 'kube-proxy', addonVersion: 'v1.33.5-eksbuild.2' }),
    );
    const during = await w.aws.eks.send(new DescribeAddonCommand({ clusterName: 'prod', addonName: 'kube-proxy' }));
    w.advance(3 * 60_000);
    const done = await w.aws.eks.send(
      new DescribeUpdateCommand({ name: 'prod', updateId: update?.id, addonName: 'kube-proxy' }),
    );

    expect(update).toMatchObject({ status: 'InProgress', type: 'AddonUpdate' });
    expect(during.addon?.status).toBe('UPDATING');
    expect(done.update?.status).toBe('Successful');
    expect(w.account.addonVersions('prod')['kube-proxy']).toBe('v1.33.5-eksbuild.2');
    const op = w.account.operations().find((o) => o.kind === 'addonUpdate');
    expect(op).toMatchObject({ cluster: 'prod', name: 'kube-proxy', status: 'Successful' });
    expect((op?.endMs ?? 0) - (op?.startMs ?? 0)).toBeGreaterThanOrEqual(60_000);
  });

  it('fails an add-on update the scenario says fails, then the add-on is ACTIVE on its old version and a retry works', async () => {
    const w = createWorld({ clusters: [{ ...baseCluster, faults: [{ type: 'addonUpdateFails', addon: 'coredns' }] }] });
    const before = w.account.addonVersions('prod').coredns;

    const { update } = await w.aws.eks.send(
      new UpdateAddonCommand({ clusterName: 'prod', addonName: 'coredns', addonVersion: 'v1.11.4-eksbuild.24' }),
    );
    w.advance(3 * 60_000 + 1);
    const failed = await w.aws.eks.send(
      new DescribeUpdateCommand({ name: 'prod', updateId: update?.id, addonName: 'coredns' }),
    );
    const degraded = await w.aws.eks.send(new DescribeAddonCommand({ clusterName: 'prod', addonName: 'coredns' }));
    w.advance(60_000);
    const recovered = await w.aws.eks.send(new DescribeAddonCommand({ clusterName: 'prod', addonName: 'coredns' }));

    expect(failed.update?.status).toBe('Failed');
    expect(failed.update?.errors?.[0]?.errorCode).toBe('ConfigurationConflict');
    expect(degraded.addon?.status).toBe('UPDATE_FAILED');
    expect(degraded.addon?.health?.issues?.[0]?.code).toBe('ConfigurationConflict');
    expect(recovered.addon?.status).toBe('ACTIVE');
    expect(recovered.addon?.addonVersion).toBe(before);
  });

  it('lets OVERWRITE resolve a configuration conflict', async () => {
    const w = createWorld({ clusters: [{ ...baseCluster, faults: [{ type: 'addonUpdateFails', addon: 'vpc-cni' }] }] });

    const { update } = await w.aws.eks.send(
      new UpdateAddonCommand({
        clusterName: 'prod',
        addonName: 'vpc-cni',
        addonVersion: 'v1.20.4-eksbuild.2',
        resolveConflicts: 'OVERWRITE',
      }),
    );
    w.advance(3 * 60_000 + 1);
    const done = await w.aws.eks.send(
      new DescribeUpdateCommand({ name: 'prod', updateId: update?.id, addonName: 'vpc-cni' }),
    );

    expect(done.update?.status).toBe('Successful');
    expect(done.update?.params).toContainEqual({ type: 'ResolveConflicts', value: 'OVERWRITE' });
  });
});

describe('a simulated EKS Auto Mode cluster', () => {
  it('describes compute, block storage and load balancing as enabled, with its built-in NodePools', async () => {
    const w = createWorld({
      clusters: [
        {
          name: 'auto',
          region: 'eu-west-1',
          version: '1.33',
          autoMode: {
            nodePools: [
              { name: 'general-purpose', nodes: 2 },
              { name: 'batch', nodes: 1 },
            ],
          },
        },
      ],
    });
    const { cluster } = await w.aws.eks.send(new DescribeClusterCommand({ name: 'auto' }));
    expect(cluster?.computeConfig).toMatchObject({ enabled: true, nodePools: ['general-purpose'] });
    expect(cluster?.computeConfig?.nodeRoleArn).toMatch(/^arn:aws:iam::\d{12}:role\//);
    expect(cluster?.storageConfig).toEqual({ blockStorage: { enabled: true } });
    expect(cluster?.kubernetesNetworkConfig?.elasticLoadBalancing).toEqual({ enabled: true });
    const plain = createWorld({ clusters: [{ name: 'own', region: 'eu-west-1', version: '1.33' }] });
    const own = (await plain.aws.eks.send(new DescribeClusterCommand({ name: 'own' }))).cluster;
    expect(own?.computeConfig).toBeUndefined();
  });
});
