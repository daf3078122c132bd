import { DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateVersionCommand } from '@aws-sdk/client-ec2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { rotateSelfManagedGroup, rotationMarks } from '../../lib/nodes/index.js';
import { parseScenario } from '../../sim/scenario.js';
import { scenario, selfManagedBehind, statesEntered, upgrade, withEnvironment } from './helpers.js';

describe('self-managed Auto Scaling groups', () => {
  it('rotates a self-managed group once, in the last hop, without breaking a budget or losing a pod', async () => {
    await withEnvironment(scenario('self-managed'), async (env) => {
      const execution = await upgrade(env, 'mixed');
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      const kube = env.world.clusters.get('mixed')?.kube;
      for (const v of kube?.kubeletVersions() ?? []) expect(v).toMatch(/^v1\.34\./);
      expect(kube?.disruptionStats()).toMatchObject({ pdbViolations: 0, podsLost: 0 });
      const calls = env.world.account.calls.map((c) => c.command);
      // One new launch template version: the self-managed group moved straight from 1.31 to 1.34.
      expect(calls.filter((c) => c === 'CreateLaunchTemplateVersion')).toHaveLength(1);
      expect(calls.filter((c) => c === 'TerminateInstanceInAutoScalingGroup')).toHaveLength(3);
      const group = env.world.account.autoScalingGroup('legacy');
      expect(group).toMatchObject({ desiredCapacity: 3, minSize: 2, maxSize: 4 });
      const tags = env.world.account.calls.filter((c) => c.command === 'DeleteTags');
      expect(tags).toHaveLength(1);
    });
  });

  it('stops before anything changes when the group has no room to surge', async () => {
    const base = scenario('self-managed');
    const cluster = base.clusters[0];
    if (!cluster) throw new Error('no cluster');
    const full = parseScenario({
      ...base,
      clusters: [
        {
          ...cluster,
          version: '1.33',
          policy: { target: '1.34' },
          managedNodegroups: cluster.managedNodegroups.map((g) => ({ ...g, version: undefined })),
          addons: [],
          selfManagedGroups: cluster.selfManagedGroups.map((g) => ({ ...g, maxSize: g.desiredSize })),
        },
      ],
    });
    // The rotation itself refuses too, should it ever be asked (a readiness override, a direct call).
    await withEnvironment(full, async (env) => {
      const kube = await env.deps.kube({ name: 'mixed', region: 'eu-west-1' });
      const attempt = rotateSelfManagedGroup(
        { ...env.deps.aws('eu-west-1'), kube, log: env.log, now: () => env.clock.now() },
        { cluster: 'mixed', group: 'legacy', toVersion: '1.34' },
      );
      await expect(attempt).rejects.toThrow(/runs at its maximum \(3 of 3\).*Raise its MaxSize/);
      const changes = env.world.account.calls.filter(
        (c) => c.service === 'autoscaling' && c.command !== 'DescribeAutoScalingGroups',
      );
      expect(changes).toEqual([]);
    });
    await withEnvironment(full, async (env) => {
      const execution = await upgrade(env, 'mixed');
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('ReadinessBlocked');
      expect(execution.cause).toMatch(/asg-no-surge-room|at its maximum/);
      expect(execution.cause).toContain('legacy');
      expect(env.world.account.calls.some((c) => c.command === 'UpdateClusterVersion')).toBe(false);
      const changes = env.world.account.calls.filter(
        (c) => c.service === 'autoscaling' && c.command !== 'DescribeAutoScalingGroups',
      );
      expect(changes).toEqual([]);
      expect(statesEntered(execution)).toContain('Notify failure');
    });
  });
});

describe('a budget that never allows an eviction on a self-managed node', () => {
  it('stops after the drain timeout, names the pod and its budget, and terminates no node that holds it', async () => {
    const strict = selfManagedBehind({
      workloads: [{ kind: 'Deployment', name: 'ledger', replicas: 2, nodegroup: 'legacy', pdb: { minAvailable: 2 } }],
    });
    await withEnvironment(strict, async (env) => {
      const execution = await upgrade(env, 'mixed');
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('PodEvictionBlocked');
      expect(execution.cause).toMatch(
        /pod default\/ledger-\S+ on \S+ is held by PodDisruptionBudget default\/ledger-pdb/,
      );
      expect(execution.cause).toContain('within 900 s');
      const kube = env.world.clusters.get('mixed')?.kube;
      expect(kube?.disruptionStats()).toMatchObject({ pdbViolations: 0, podsLost: 0 });
    });
  });
});

describe('resuming a self-managed rotation after a crash', () => {
  it('picks up from the group and nodes as the crashed run left them, and restores the capacity', async () => {
    const behind = selfManagedBehind();
    await withEnvironment(behind, async (env) => {
      // The crashed run: one rotation step (capacity recorded, AMI switched, old nodes tainted, surge asked for).
      const aws = env.deps.aws('eu-west-1');
      const kube = await env.deps.kube({ name: 'mixed', region: 'eu-west-1' });
      const step = await rotateSelfManagedGroup(
        { ...aws, kube, log: env.log, now: () => env.clock.now() },
        { cluster: 'mixed', group: 'legacy', toVersion: '1.34' },
      );
      expect(step.phase).toBe('launching');
      expect(env.world.account.autoScalingGroup('legacy').desiredCapacity).toBe(4);

      const execution = await upgrade(env, 'mixed');
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      expect(statesEntered(execution)).not.toContain('Upgrade control plane');
      expect(env.world.account.autoScalingGroup('legacy')).toMatchObject({
        desiredCapacity: 3,
        minSize: 2,
        maxSize: 4,
      });
      const k = env.world.clusters.get('mixed')?.kube;
      for (const v of k?.kubeletVersions() ?? []) expect(v).toMatch(/^v1\.34\./);
      expect(k?.disruptionStats()).toMatchObject({ pdbViolations: 0, podsLost: 0 });
      // The crashed run's launch template version is reused, not duplicated.
      expect(env.world.account.calls.filter((c) => c.command === 'CreateLaunchTemplateVersion')).toHaveLength(1);
    });
  });
});

describe('a launch template that names no AMI', () => {
  it('is refused before anything is recorded on the group or changed in it', async () => {
    await withEnvironment(selfManagedBehind(), async (env) => {
      // Prepare: the group launches a version of its template without an ImageId.
      const aws = env.deps.aws('eu-west-1');
      const group = await aws.autoscaling.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['legacy'] }),
      );
      const templateId = group.AutoScalingGroups?.[0]?.LaunchTemplate?.LaunchTemplateId ?? '';
      const created = await aws.ec2.send(
        new CreateLaunchTemplateVersionCommand({
          LaunchTemplateId: templateId,
          LaunchTemplateData: { InstanceType: 'm6i.large' },
        }),
      );
      await aws.autoscaling.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: 'legacy',
          LaunchTemplate: {
            LaunchTemplateId: templateId,
            Version: String(created.LaunchTemplateVersion?.VersionNumber),
          },
        }),
      );
      const before = env.world.account.calls.length;
      const kube = await env.deps.kube({ name: 'mixed', region: 'eu-west-1' });

      // Act
      const attempt = rotateSelfManagedGroup(
        { ...aws, kube, log: env.log, now: () => env.clock.now() },
        { cluster: 'mixed', group: 'legacy', toVersion: '1.34' },
      );

      // Assess
      await expect(attempt).rejects.toThrow(/names no AMI/);
      const writes = env.world.account.calls
        .slice(before)
        .filter((c) => !/^(Describe|Get|List)/.test(c.command))
        .map((c) => c.command);
      // Neither the capacity marks nor a launch template version: the group is as it was.
      expect(writes).toEqual([]);
    });
  });
});

describe('a crash in the middle of a drain', () => {
  it('is resumed by the next run from the nodes and the group as they are, losing no pod', async () => {
    const behind = selfManagedBehind();
    await withEnvironment(behind, async (env) => {
      const aws = env.deps.aws('eu-west-1');
      const kube = await env.deps.kube({ name: 'mixed', region: 'eu-west-1' });
      const pass = async (seconds: number) => {
        let due = false;
        setTimeout(() => {
          due = true;
        }, seconds * 1000);
        await env.clock.runUntil(() => due);
      };
      // The crashed run: steps as the Lambda would make them, until a node is being drained.
      let draining = false;
      let last: Awaited<ReturnType<typeof rotateSelfManagedGroup>> | undefined;
      for (let step = 0; step < 50 && !draining; step++) {
        last = await rotateSelfManagedGroup(
          { ...aws, kube, log: env.log, now: () => env.clock.now() },
          { cluster: 'mixed', group: 'legacy', toVersion: '1.34' },
        );
        draining = last.phase === 'draining';
        if (!draining) await pass(last.waitSeconds);
      }
      expect(draining).toBe(true);
      const nodes = await kube.core.listNode();
      const started = nodes.items.filter((n) => n.metadata?.annotations?.[rotationMarks.drainStarted]);
      expect(started.length).toBeGreaterThan(0);
      // The progress names the node being drained and what is left on it, for the console.
      expect(last?.draining?.map((d) => d.node)).toEqual(started.map((n) => n.metadata?.name));
      expect(last?.draining?.[0]?.podsLeft).toBeGreaterThan(0);

      // The next run starts from that state.
      const execution = await upgrade(env, 'mixed');
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      for (const v of env.world.clusters.get('mixed')?.kube.kubeletVersions() ?? []) expect(v).toMatch(/^v1\.34\./);
      expect(env.world.clusters.get('mixed')?.kube.disruptionStats()).toMatchObject({ pdbViolations: 0, podsLost: 0 });
      expect(env.world.account.autoScalingGroup('legacy')).toMatchObject({
        desiredCapacity: 3,
        minSize: 2,
        maxSize: 4,
      });
    });
  });
});

describe('the AMI family and architecture of a self-managed group', () => {
  it('keeps Bottlerocket on arm64 when moving to the next version', async () => {
    const bottlerocket = selfManagedBehind({
      group: { amiFamily: 'bottlerocket', architecture: 'arm64', instanceType: 'm7g.large' },
    });
    await withEnvironment(bottlerocket, async (env) => {
      const execution = await upgrade(env, 'mixed');
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      const expected = await env.deps
        .aws('eu-west-1')
        .ssm.send(new GetParameterCommand({ Name: '/aws/service/bottlerocket/aws-k8s-1.34/arm64/latest/image_id' }));
      const created = env.world.account.calls.find((c) => c.command === 'CreateLaunchTemplateVersion')?.input as {
        LaunchTemplateData?: { ImageId?: string };
      };
      expect(created.LaunchTemplateData?.ImageId).toBe(expected.Parameter?.Value);
    });
  });
});

describe('pods that a drain would lose', () => {
  const withBarePod = (policy: Record<string, unknown>) =>
    selfManagedBehind({ policy, workloads: [{ kind: 'Pod', name: 'debug-shell', nodegroup: 'legacy' }] });

  it('refuses to evict a bare pod unless the policy allows it, and terminates no node holding it', async () => {
    await withEnvironment(withBarePod({}), async (env) => {
      const execution = await upgrade(env, 'mixed');
      expect(execution.error).toBe('PodEvictionBlocked');
      expect(execution.cause).toMatch(/default\/debug-shell \(no controller would recreate it\)/);
      expect(env.world.clusters.get('mixed')?.kube.disruptionStats().podsLost).toBe(0);
    });
  });

  it('evicts it when the policy says evictBarePods', async () => {
    await withEnvironment(withBarePod({ nodeRotation: { evictBarePods: true } }), async (env) => {
      const execution = await upgrade(env, 'mixed');
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      expect(env.world.clusters.get('mixed')?.kube.disruptionStats()).toMatchObject({ pdbViolations: 0, podsLost: 0 });
    });
  });
});

describe('self-managed groups that launch from a mixed instances policy or a launch configuration', () => {
  it('rotates a mixed-instances group with the new launch template version inside its policy, keeping its types', async () => {
    await withEnvironment(scenario('mixed-instances'), async (env) => {
      const before = env.world.account.autoScalingGroup('batch');
      const execution = await upgrade(env, 'spotty');
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      const after = env.world.account.autoScalingGroup('batch');
      expect(after.mixedInstanceTypes).toEqual(['m6i.large', 'm5.large', 'm6a.large']);
      expect(Number(after.launchTemplateVersion)).toBe(Number(before.launchTemplateVersion) + 1);
      const running = after.instances.filter((i) => i.lifecycle === 'InService');
      expect(running).toHaveLength(3);
      for (const i of running) {
        expect(i.kubeletVersion).toMatch(/^v1\.33\./);
        expect(after.mixedInstanceTypes).toContain(i.instanceType);
      }
      // The group was pointed at the new version through its policy, overrides included, never with a bare
      // LaunchTemplate (which would have replaced the policy and its instance types).
      const updates = env.world.account.calls.filter((c) => c.command === 'UpdateAutoScalingGroup');
      const moved = updates.map((c) => c.input as { LaunchTemplate?: unknown; MixedInstancesPolicy?: unknown });
      expect(moved.some((u) => u.LaunchTemplate)).toBe(false);
      expect(moved.find((u) => u.MixedInstancesPolicy)).toMatchObject({
        MixedInstancesPolicy: {
          LaunchTemplate: {
            LaunchTemplateSpecification: { Version: after.launchTemplateVersion },
            Overrides: [{ InstanceType: 'm6i.large' }, { InstanceType: 'm5.large' }, { InstanceType: 'm6a.large' }],
          },
        },
      });
      expect(env.world.clusters.get('spotty')?.kube.disruptionStats()).toMatchObject({ pdbViolations: 0, podsLost: 0 });
    });
  });

  it('blocks a launch-configuration group before the control plane moves, naming the migration, and changes nothing', async () => {
    await withEnvironment(scenario('launch-configuration'), async (env) => {
      const execution = await upgrade(env, 'vintage-asg');
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('ReadinessBlocked');
      expect(execution.cause).toMatch(/asg-launch-configuration.*legacy-lc.*migrate-to-launch-templates/s);
      expect(env.world.account.clusterVersion('vintage-asg')).toBe('1.32');
      const changes = env.world.account.calls.filter(
        (c) =>
          (c.service === 'autoscaling' || c.service === 'eks') && /^(Update|Create|Delete|Terminate)/.test(c.command),
      );
      expect(changes).toEqual([]);
      // Asked directly, the rotation refuses too, before it records anything on the group.
      const kube = await env.deps.kube({ name: 'vintage-asg', region: 'eu-west-1' });
      await expect(
        rotateSelfManagedGroup(
          { ...env.deps.aws('eu-west-1'), kube, log: env.log, now: () => env.clock.now() },
          { cluster: 'vintage-asg', group: 'legacy-lc', toVersion: '1.33' },
        ),
      ).rejects.toThrow(
        /launches from launch configuration vintage-asg-legacy-lc.*Migrate it to a launch template.*nothing was changed/,
      );
      expect(env.world.account.calls.filter((c) => c.command === 'CreateOrUpdateTags')).toEqual([]);
    });
  });
});
