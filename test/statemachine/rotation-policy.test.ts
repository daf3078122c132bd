import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario.js';
import { scenario, upgrade, withEnvironment } from './helpers.js';

const twoGroups = (policy: Record<string, unknown>) =>
  parseScenario({
    name: 'two-groups',
    clusters: [
      {
        name: 'pair',
        region: 'eu-west-1',
        version: '1.33',
        policy: { target: '1.34', ...policy },
        managedNodegroups: [
          { name: 'blue', desiredSize: 4, maxSize: 8 },
          { name: 'green', desiredSize: 4, maxSize: 8 },
        ],
        workloads: [
          { kind: 'Deployment', name: 'web', replicas: 6, nodegroup: 'blue', pdb: { maxUnavailable: 1 } },
          { kind: 'Deployment', name: 'api', replicas: 6, nodegroup: 'green', pdb: { maxUnavailable: 2 } },
        ],
      },
    ],
  });

describe('node rotation policy', () => {
  it("sets the managed groups' batch size from the policy before their version update", async () => {
    await withEnvironment(twoGroups({ nodeRotation: { maxUnavailable: 2 } }), async (env) => {
      const execution = await upgrade(env, 'pair');
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      const configs = env.world.account.calls.filter((c) => c.command === 'UpdateNodegroupConfig');
      expect(configs.map((c) => (c.input as { updateConfig?: unknown }).updateConfig)).toEqual([
        { maxUnavailable: 2 },
        { maxUnavailable: 2 },
      ]);
      expect(env.world.account.nodegroup('pair', 'blue').version).toBe('1.34');
      expect(env.world.clusters.get('pair')?.kube.disruptionStats()).toMatchObject({ pdbViolations: 0, podsLost: 0 });
    });
  });

  it('rotates node groups side by side when the policy allows, one after the other by default', async () => {
    const overlap = async (concurrency: number) =>
      withEnvironment(twoGroups({ nodegroupConcurrency: concurrency }), async (env) => {
        const execution = await upgrade(env, 'pair');
        expect(execution.status, execution.cause).toBe('SUCCEEDED');
        const ops = env.world.account.operations().filter((o) => o.kind === 'nodegroupUpdate');
        const [a, b] = ops;
        if (!a || !b || a.endMs === undefined || b.endMs === undefined)
          throw new Error('expected two node group updates');
        return Math.min(a.endMs, b.endMs) - Math.max(a.startMs, b.startMs);
      });
    expect(await overlap(1)).toBeLessThanOrEqual(0);
    expect(await overlap(2)).toBeGreaterThan(60_000);
  });
});

describe('managed node groups created with a launch template of their own', () => {
  const withTemplate = (launchTemplate: 'custom-ami' | 'without-ami') =>
    parseScenario({
      name: 'templates',
      clusters: [
        {
          name: 'lt',
          region: 'eu-west-1',
          version: '1.33',
          policy: { target: '1.34' },
          managedNodegroups: [{ name: 'custom', desiredSize: 3, maxSize: 6, launchTemplate }],
          workloads: [{ kind: 'Deployment', name: 'web', replicas: 3, pdb: { maxUnavailable: 1 } }],
        },
      ],
    });

  it('moves a template that names an AMI to the same family’s AMI for the target, and updates with it', async () => {
    await withEnvironment(withTemplate('custom-ami'), async (env) => {
      const execution = await upgrade(env, 'lt');
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      const created = env.world.account.calls.filter((c) => c.command === 'CreateLaunchTemplateVersion');
      expect(created).toHaveLength(1);
      const update = env.world.account.calls.find((c) => c.command === 'UpdateNodegroupVersion')?.input as {
        version?: string;
        launchTemplate?: { version?: string };
      };
      expect(update.version).toBeUndefined();
      expect(update.launchTemplate?.version).toBe('2');
      for (const v of env.world.clusters.get('lt')?.kube.kubeletVersions() ?? []) expect(v).toMatch(/^v1\.34\./);
    });
  });

  it('keeps a template that names no AMI and lets EKS pick the AMI for the version', async () => {
    await withEnvironment(withTemplate('without-ami'), async (env) => {
      const execution = await upgrade(env, 'lt');
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      expect(env.world.account.calls.some((c) => c.command === 'CreateLaunchTemplateVersion')).toBe(false);
      const update = env.world.account.calls.find((c) => c.command === 'UpdateNodegroupVersion')?.input as {
        version?: string;
        launchTemplate?: { version?: string };
      };
      expect(update).toMatchObject({ version: '1.34', launchTemplate: { version: '1' } });
      expect(env.world.account.nodegroup('lt', 'custom').version).toBe('1.34');
    });
  });
});

describe('a managed node group drain that a budget blocks', () => {
  const blocked = (nodeRotation: Record<string, unknown>) => {
    const base = scenario('pdb-blocks-drain');
    const cluster = base.clusters[0];
    if (!cluster) throw new Error('no cluster');
    return parseScenario({ ...base, clusters: [{ ...cluster, policy: { target: '1.33', nodeRotation } }] });
  };

  it('starts the update again as many times as the policy says, then stops naming the budget', async () => {
    await withEnvironment(blocked({ onEvictionFailure: 'retry', evictionRetries: 1 }), async (env) => {
      const execution = await upgrade(env, 'strict');
      expect(execution.error).toBe('PodEvictionBlocked');
      expect(execution.cause).toContain('default/ledger-pdb');
      const updates = env.world.account.calls.filter((c) => c.command === 'UpdateNodegroupVersion');
      expect(updates.map((c) => (c.input as { force?: boolean }).force)).toEqual([false, false]);
      expect(env.world.clusters.get('strict')?.kube.disruptionStats().pdbViolations).toBe(0);
    });
  });

  it('forces past the budget only when the policy says force, and the simulator counts what that cost', async () => {
    await withEnvironment(blocked({ onEvictionFailure: 'force', evictionRetries: 1 }), async (env) => {
      const execution = await upgrade(env, 'strict');
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      const updates = env.world.account.calls.filter((c) => c.command === 'UpdateNodegroupVersion');
      expect(updates.map((c) => (c.input as { force?: boolean }).force)).toEqual([false, true]);
      expect(env.world.clusters.get('strict')?.kube.disruptionStats().pdbViolations).toBeGreaterThan(0);
      expect(env.log.records.some((r) => r.message === 'forcing the node group update past its budgets')).toBe(true);
    });
  });
});
