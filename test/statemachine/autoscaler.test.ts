import { describe, expect, it } from 'vitest';
import { pausedReplicasAnnotation, rotateSelfManagedGroup } from '../../lib/nodes/index.js';
import type { LocalEnvironment } from '../../local/environment.js';
import type { Scenario } from '../../sim/scenario.js';
import { selfManagedBehind, upgrade, withEnvironment } from './helpers.js';

function withAutoscaler(extra: Array<Record<string, unknown>> = []): Scenario {
  return selfManagedBehind({
    workloads: [
      { kind: 'Deployment', name: 'cluster-autoscaler', namespace: 'kube-system', replicas: 2, nodegroup: 'general' },
      ...extra,
    ],
  });
}

async function autoscaler(env: LocalEnvironment) {
  const kube = await env.deps.kube({ name: 'mixed', region: 'eu-west-1' });
  return kube.apps.readNamespacedDeployment({ name: 'cluster-autoscaler', namespace: 'kube-system' });
}

async function runningAutoscalerPods(env: LocalEnvironment): Promise<number> {
  const kube = await env.deps.kube({ name: 'mixed', region: 'eu-west-1' });
  const pods = await kube.core.listNamespacedPod({ namespace: 'kube-system' });
  return pods.items.filter((p) => p.metadata?.name?.startsWith('cluster-autoscaler') && !p.metadata.deletionTimestamp)
    .length;
}

describe('cluster-autoscaler during a self-managed rotation', () => {
  it('is scaled to zero while nodes rotate and restored to its replicas at the end', async () => {
    await withEnvironment(withAutoscaler(), async (env) => {
      const kube = await env.deps.kube({ name: 'mixed', region: 'eu-west-1' });
      await rotateSelfManagedGroup(
        { ...env.deps.aws('eu-west-1'), kube, log: env.log, now: () => env.clock.now() },
        { cluster: 'mixed', group: 'legacy', toVersion: '1.34' },
      );
      const paused = await autoscaler(env);
      expect(paused.spec?.replicas).toBe(0);
      expect(paused.metadata?.annotations?.[pausedReplicasAnnotation]).toBe('2');
      expect(await runningAutoscalerPods(env)).toBe(0);

      const execution = await upgrade(env, 'mixed');
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      const restored = await autoscaler(env);
      expect(restored.spec?.replicas).toBe(2);
      expect(restored.metadata?.annotations?.[pausedReplicasAnnotation]).toBeUndefined();
      expect(await runningAutoscalerPods(env)).toBe(2);
    });
  });

  it('is restored when the rotation stops on a budget that never allows an eviction', async () => {
    const strict = withAutoscaler([
      { kind: 'Deployment', name: 'ledger', replicas: 2, nodegroup: 'legacy', pdb: { minAvailable: 2 } },
    ]);
    await withEnvironment(strict, async (env) => {
      const execution = await upgrade(env, 'mixed');
      expect(execution.error).toBe('PodEvictionBlocked');
      const restored = await autoscaler(env);
      expect(restored.spec?.replicas).toBe(2);
      expect(restored.metadata?.annotations?.[pausedReplicasAnnotation]).toBeUndefined();
    });
  });
});
