import { execFileSync } from 'node:child_process';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  InvalidParameterException,
  ResourceInUseException,
  UpdateClusterVersionCommand,
  UpdateNodegroupConfigCommand,
  UpdateNodegroupVersionCommand,
} from '@aws-sdk/client-eks';
import { describe, expect, it } from 'vitest';
import { kubeletVersionFor, latestReleaseVersion } from '../../../sim/aws/index.js';
import { createWorld, type World } from './harness.js';

const OLD_KUBELET = kubeletVersionFor('1.32');
const NEW_KUBELET = kubeletVersionFor('1.33');

function lagging(nodegroup: Record<string, unknown> = {}, faults: unknown[] = []) {
  const w = createWorld({
    clusters: [
      {
        name: 'prod',
        region: 'eu-west-1',
        version: '1.33',
        managedNodegroups: [{ name: 'general', version: '1.32', desiredSize: 3, maxSize: 6, ...nodegroup }],
        faults,
      },
    ],
  });
  const kube = w.kube('prod');
  kube.addDaemonSet('aws-node');
  kube.addDeployment('web', 6, { pdb: 'web' });
  return { w, kube };
}

async function updateStatus(w: World, updateId: string | undefined) {
  const { update } = await w.aws.eks.send(
    new DescribeUpdateCommand({ name: 'prod', nodegroupName: 'general', updateId }),
  );
  return update;
}

async function runUpdate(w: World, input: { force?: boolean } = {}) {
  const { update } = await w.aws.eks.send(
    new UpdateNodegroupVersionCommand({ clusterName: 'prod', nodegroupName: 'general', ...input }),
  );
  const tookMs = await w.runUntil(async () => (await updateStatus(w, update?.id))?.status !== 'InProgress', {
    stepMs: 15_000,
  });
  return { update: await updateStatus(w, update?.id), tookMs };
}

const kubeletsOf = (w: World) => [...w.kube('prod').nodes.values()].map((n) => n.spec.kubeletVersion);

describe('simulated managed node group update', () => {
  it('replaces every node with one of the target version, terminating old nodes only once their pods are gone', async () => {
    const { w, kube } = lagging();
    const oldNodes = kube.nodeNames();
    expect(kubeletsOf(w)).toEqual([OLD_KUBELET, OLD_KUBELET, OLD_KUBELET]);

    const { update } = await w.aws.eks.send(
      new UpdateNodegroupVersionCommand({ clusterName: 'prod', nodegroupName: 'general' }),
    );
    const updating = await w.aws.eks.send(
      new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'general' }),
    );
    // Scale-up phase: new nodes come up and the old ones are tainted before any is drained.
    await w.runUntil(() =>
      oldNodes.every((n) => kube.node(n)?.taints.some((t) => t.key === 'eks.amazonaws.com/nodegroup')),
    );
    const duringScaleUp = w.account.nodegroup('prod', 'general').autoScalingGroup;
    await w.runUntil(async () => (await updateStatus(w, update?.id))?.status !== 'InProgress', { stepMs: 15_000 });
    const done = await updateStatus(w, update?.id);
    const after = await w.aws.eks.send(new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'general' }));

    expect(update).toMatchObject({ status: 'InProgress', type: 'VersionUpdate' });
    expect(update?.params).toEqual([
      { type: 'Version', value: '1.33' },
      { type: 'ReleaseVersion', value: latestReleaseVersion('1.33', 'al2023') },
    ]);
    expect(updating.nodegroup?.status).toBe('UPDATING');
    // Twice three zones, capped at the group's size: three new nodes beside the three old ones.
    expect(duringScaleUp.desiredCapacity).toBe(6);
    expect(duringScaleUp.maxSize).toBe(9);
    expect(done?.status).toBe('Successful');
    expect(after.nodegroup).toMatchObject({
      status: 'ACTIVE',
      version: '1.33',
      releaseVersion: latestReleaseVersion('1.33', 'al2023'),
      scalingConfig: { minSize: 3, maxSize: 6, desiredSize: 3 },
    });
    expect(kubeletsOf(w)).toEqual([NEW_KUBELET, NEW_KUBELET, NEW_KUBELET]);
    expect(kube.nodeNames().some((n) => oldNodes.includes(n))).toBe(false);
    expect(kube.removedNodes.map((r) => r.name).sort()).toEqual([...oldNodes].sort());
    expect(kube.removedNodes.every((r) => r.podsAtRemoval === 0)).toBe(true);
    expect(kube.disruptionStats().podsLost).toBe(0);
    const asg = w.account.nodegroup('prod', 'general').autoScalingGroup;
    expect(asg.desiredCapacity).toBe(3);
    expect(asg.maxSize).toBe(6);
    expect(asg.instances.filter((i) => i.lifecycle === 'InService')).toHaveLength(3);
    const op = w.account.operations().find((o) => o.kind === 'nodegroupUpdate');
    expect(op).toMatchObject({ cluster: 'prod', name: 'general', status: 'Successful' });
    // Setup 30 s, nodes Ready after 90 s, then per old node a drain, 60 s cordoned, termination; then scale-down.
    const tookMs = (op?.endMs ?? 0) - (op?.startMs ?? 0);
    expect(tookMs).toBeGreaterThan(5 * 60_000);
    expect(tookMs).toBeLessThan(10 * 60_000);

    // With its node group at the cluster's version, the control plane can move on.
    const next = await w.aws.eks.send(new UpdateClusterVersionCommand({ name: 'prod', version: '1.34' }));
    expect(next.update?.status).toBe('InProgress');
  });

  it('fails with PodEvictionFailure after 15 minutes when a disruption budget blocks the drain', async () => {
    const { w, kube } = lagging();
    const oldNodes = kube.nodeNames();
    kube.blockEvictions = true;

    const { update, tookMs } = await runUpdate(w);
    const ng = await w.aws.eks.send(new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'general' }));

    expect(update?.status).toBe('Failed');
    expect(update?.errors).toHaveLength(1);
    expect(update?.errors?.[0]).toMatchObject({
      errorCode: 'PodEvictionFailure',
      errorMessage: 'Reached max retries while trying to evict pods from nodes in node group general',
    });
    const stuck = update?.errors?.[0]?.resourceIds ?? [];
    expect(stuck).toHaveLength(1);
    expect(oldNodes).toContain(stuck[0]);
    expect(tookMs).toBeGreaterThanOrEqual(15 * 60_000);
    expect(tookMs).toBeLessThan(20 * 60_000);
    expect(ng.nodegroup?.status).toBe('ACTIVE');
    expect(ng.nodegroup?.version).toBe('1.32');
    // No old node was terminated with pods on it; they stay, tainted, next to the new ones.
    expect(kube.removedNodes).toEqual([]);
    for (const n of oldNodes) expect(kube.node(n)?.taints.map((t) => t.key)).toContain('eks.amazonaws.com/nodegroup');
    expect(kube.disruptionStats().podsLost).toBe(0);

    // Once the budget allows it, a retry finishes the job without a second surge.
    kube.blockEvictions = false;
    const retry = await runUpdate(w);
    expect(retry.update?.status).toBe('Successful');
    expect(kubeletsOf(w)).toEqual([NEW_KUBELET, NEW_KUBELET, NEW_KUBELET]);
    expect(w.account.nodegroup('prod', 'general').version).toBe('1.33');
    expect(w.account.nodegroup('prod', 'general').autoScalingGroup.desiredCapacity).toBe(3);
    expect(kube.disruptionStats().podsLost).toBe(0);
  });

  it('with force, terminates nodes whose pods a budget protects instead of failing', async () => {
    const { w, kube } = lagging();
    kube.blockEvictions = true;

    const { update, tookMs } = await runUpdate(w, { force: true });

    expect(update?.status).toBe('Successful');
    expect(tookMs).toBeLessThan(15 * 60_000);
    expect(kubeletsOf(w)).toEqual([NEW_KUBELET, NEW_KUBELET, NEW_KUBELET]);
    expect(kube.disruptionStats().podsLost).toBeGreaterThan(0);
  });

  it('drains up to maxUnavailable nodes at a time', async () => {
    const fast = lagging({ updateConfig: { maxUnavailable: 3 } });
    const slow = lagging({ updateConfig: { maxUnavailable: 1 } });

    const quick = await runUpdate(fast.w);
    const serial = await runUpdate(slow.w);

    expect(quick.update?.status).toBe('Successful');
    expect(serial.update?.status).toBe('Successful');
    expect(quick.tookMs).toBeLessThan(serial.tookMs - 60_000);
  });

  it('fails with NodeCreationFailure when new nodes never become Ready', async () => {
    const { w, kube } = lagging({}, [{ type: 'nodeNeverReady', nodegroup: 'general' }]);
    const oldNodes = kube.nodeNames();

    const { update, tookMs } = await runUpdate(w);
    const ng = await w.aws.eks.send(new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'general' }));

    expect(update?.errors?.[0]?.errorCode).toBe('NodeCreationFailure');
    expect(update?.errors?.[0]?.errorMessage).toBe(
      "Couldn't proceed with upgrade process as new nodes are not joining node group general",
    );
    expect(tookMs).toBeGreaterThanOrEqual(20 * 60_000);
    expect(ng.nodegroup?.status).toBe('DEGRADED');
    expect(ng.nodegroup?.health?.issues?.[0]?.code).toBe('NodeCreationFailure');
    expect(oldNodes.every((n) => kube.node(n) !== undefined)).toBe(true);
    expect(kube.evictions).toEqual([]);
  });

  it('validates the request as EKS does', async () => {
    const { w } = lagging();
    const send = (input: Record<string, unknown>) =>
      w.aws.eks
        .send(new UpdateNodegroupVersionCommand({ clusterName: 'prod', nodegroupName: 'general', ...input }))
        .catch((e: unknown) => e);

    const newer = await send({ version: '1.34' });
    const badRelease = await send({ releaseVersion: '1.32.9-20251112' });
    await send({});
    const busy = await send({});

    expect(newer).toBeInstanceOf(InvalidParameterException);
    expect(badRelease).toBeInstanceOf(InvalidParameterException);
    expect((badRelease as Error).message).toBe(
      'Requested release version 1.32.9-20251112 is not valid for kubernetes version 1.33.',
    );
    expect(busy).toBeInstanceOf(ResourceInUseException);
  });

  it('refuses Amazon Linux 2 node groups past 1.32', async () => {
    const w = createWorld({
      clusters: [
        {
          name: 'prod',
          region: 'eu-west-1',
          version: '1.33',
          managedNodegroups: [{ name: 'general', version: '1.32', amiType: 'AL2_x86_64', desiredSize: 1 }],
        },
      ],
    });

    const error = await w.aws.eks
      .send(new UpdateNodegroupVersionCommand({ clusterName: 'prod', nodegroupName: 'general' }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toBe('Requested AMI type AL2_x86_64 is not supported for Kubernetes version 1.33');
  });
});

describe('UpdateNodegroupConfig', () => {
  const updateParamTypes = (): string[] =>
    JSON.parse(
      execFileSync(
        'python3',
        [
          '-c',
          "import json, botocore.session; print(json.dumps(botocore.session.get_session().get_service_model('eks').shape_for('UpdateParamType').enum))",
        ],
        { encoding: 'utf8' },
      ),
    ) as string[];

  it('applies a scaling-only update: the update names the sizes, then the group and its Auto Scaling group follow', async () => {
    const { w } = lagging({ version: '1.33' });
    const { update } = await w.aws.eks.send(
      new UpdateNodegroupConfigCommand({
        clusterName: 'prod',
        nodegroupName: 'general',
        scalingConfig: { desiredSize: 5 },
      }),
    );
    expect(update?.type).toBe('ConfigUpdate');
    expect(update?.params).toEqual([{ type: 'DesiredSize', value: '5' }]);
    // The parameter types are EKS's own (botocore's UpdateParamType enum).
    for (const p of update?.params ?? []) expect(updateParamTypes()).toContain(p.type);

    await w.runUntil(async () => (await updateStatus(w, update?.id))?.status === 'Successful');
    const { nodegroup } = await w.aws.eks.send(
      new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'general' }),
    );
    expect(nodegroup?.scalingConfig).toEqual({ minSize: 3, maxSize: 6, desiredSize: 5 });
    const asgName = nodegroup?.resources?.autoScalingGroups?.[0]?.name;
    const { AutoScalingGroups = [] } = await w.aws.autoscaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: asgName ? [asgName] : [] }),
    );
    expect(AutoScalingGroups[0]?.DesiredCapacity).toBe(5);
    expect(AutoScalingGroups[0]?.Instances).toHaveLength(5);
  });

  it('refuses sizes out of order, an empty update, and what the simulator does not model', async () => {
    const { w } = lagging({ version: '1.33' });
    const send = (
      input: Omit<ConstructorParameters<typeof UpdateNodegroupConfigCommand>[0], 'clusterName' | 'nodegroupName'>,
    ) => w.aws.eks.send(new UpdateNodegroupConfigCommand({ clusterName: 'prod', nodegroupName: 'general', ...input }));
    await expect(send({ scalingConfig: { desiredSize: 7 } })).rejects.toThrow(InvalidParameterException);
    await expect(send({ scalingConfig: { minSize: 4, maxSize: 2 } })).rejects.toThrow(
      /minSize 4 must be at least 0 and at most maxSize 2/,
    );
    await expect(send({})).rejects.toThrow(/No changes needed/);
    await expect(send({ labels: { addOrUpdateLabels: { tier: 'web' } } })).rejects.toThrow(/not simulated/);
    const { nodegroup } = await w.aws.eks.send(
      new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'general' }),
    );
    expect(nodegroup?.status).toBe('ACTIVE');
  });
});
