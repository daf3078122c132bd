import { ApiException, PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import type { KubeApis } from '../kube/index.js';
import type { Log } from '../runtime/log.js';

/** Where the replica count of a paused cluster-autoscaler is kept, on its own Deployment, until it is restored. */
export const pausedReplicasAnnotation = 'eks-upgrade.io/paused-replicas';

async function findAutoscalers(kube: KubeApis): Promise<V1Deployment[]> {
  const list = await kube.apps.listNamespacedDeployment({ namespace: 'kube-system' });
  // The upstream manifest names it cluster-autoscaler; the Helm chart <release>-aws-cluster-autoscaler.
  return list.items.filter((d) => (d.metadata?.name ?? '').includes('cluster-autoscaler'));
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/**
 * Scales cluster-autoscaler to zero while nodes rotate, so it does not remove the surge nodes or fight the
 * rotation, and records its replica count on the Deployment. Idempotent. Returns the Deployments paused.
 */
export async function pauseClusterAutoscaler(deps: { kube: KubeApis; log: Log }): Promise<string[]> {
  const paused: string[] = [];
  for (const d of await findAutoscalers(deps.kube)) {
    const name = d.metadata?.name ?? '';
    const replicas = d.spec?.replicas ?? 1;
    if (d.metadata?.annotations?.[pausedReplicasAnnotation] !== undefined || replicas === 0) continue;
    await deps.kube.apps.patchNamespacedDeployment(
      {
        name,
        namespace: 'kube-system',
        body: { metadata: { annotations: { [pausedReplicasAnnotation]: String(replicas) } }, spec: { replicas: 0 } },
      },
      mergePatch,
    );
    deps.log.info('cluster-autoscaler paused for the rotation', { deployment: name, replicas });
    paused.push(name);
  }
  return paused;
}

/** Restores every cluster-autoscaler this product paused, to the replica count it had. Idempotent. */
export async function resumeClusterAutoscaler(deps: { kube: KubeApis; log: Log }): Promise<string[]> {
  const resumed: string[] = [];
  let deployments: V1Deployment[];
  try {
    deployments = await findAutoscalers(deps.kube);
  } catch (e) {
    if (e instanceof ApiException && e.code === 404) return resumed;
    throw e;
  }
  for (const d of deployments) {
    const recorded = d.metadata?.annotations?.[pausedReplicasAnnotation];
    if (recorded === undefined) continue;
    const name = d.metadata?.name ?? '';
    await deps.kube.apps.patchNamespacedDeployment(
      {
        name,
        namespace: 'kube-system',
        body: {
          metadata: { annotations: { [pausedReplicasAnnotation]: null } },
          spec: { replicas: Number(recorded) || 1 },
        },
      },
      mergePatch,
    );
    deps.log.info('cluster-autoscaler restored', { deployment: name, replicas: Number(recorded) });
    resumed.push(name);
  }
  return resumed;
}
