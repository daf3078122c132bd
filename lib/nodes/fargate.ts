/**
 * Fargate pods. Each runs on a node of its own whose kubelet is the control plane's version when the pod was
 * scheduled; a pod moves to a newer version only by being replaced. The rotation of a Fargate profile restarts the
 * workloads owning its pods that run an older kubelet (`kubectl rollout restart`: a pod template annotation, so the
 * controller replaces the pods at its own pace, within maxUnavailable), then waits until the pods are on the
 * target. Bare pods are reported, never deleted: nothing would recreate them.
 * https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html (Fargate pods after a control plane update)
 */
import { type EKSClient, ListFargateProfilesCommand } from '@aws-sdk/client-eks';
import { PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { NodegroupUpdateFailed } from '../errors.js';
import { type KubeApis, listAll } from '../kube/index.js';
import { minorOf } from '../versions/index.js';
import type { PoolProgress } from './karpenter.js';

/** Node group entries of a plan that name a Fargate profile: `fargate:<profile>`. */
export const FARGATE_PREFIX = 'fargate:';
export const FARGATE_PROFILE_LABEL = 'eks.amazonaws.com/fargate-profile';
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** The cluster's Fargate profiles by name. */
export async function fargateProfilesOf(eks: EKSClient, cluster: string): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await eks.send(
      new ListFargateProfilesCommand({ clusterName: cluster, ...(nextToken ? { nextToken } : {}) }),
    );
    // Test doubles that do not model Fargate answer nothing at all.
    names.push(...(page?.fargateProfileNames ?? []));
    nextToken = page?.nextToken;
  } while (nextToken);
  return names.sort();
}

type Owner = { kind: 'Deployment' | 'StatefulSet'; namespace: string; name: string };

async function ownerOf(kube: KubeApis, pod: V1Pod): Promise<Owner | undefined> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const ref = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  if (ref?.kind === 'StatefulSet') return { kind: 'StatefulSet', namespace, name: ref.name };
  if (ref?.kind !== 'ReplicaSet') return undefined;
  const rs = await kube.apps.readNamespacedReplicaSet({ name: ref.name, namespace });
  const deployment = rs.metadata?.ownerReferences?.find((o) => o.kind === 'Deployment');
  return deployment ? { kind: 'Deployment', namespace, name: deployment.name } : undefined;
}

/** `kubectl rollout restart`, unless this rotation (started at `since`) already restarted the workload. */
async function restart(kube: KubeApis, owner: Owner, now: Date, since: string): Promise<boolean> {
  const read =
    owner.kind === 'Deployment'
      ? await kube.apps.readNamespacedDeployment({ name: owner.name, namespace: owner.namespace })
      : await kube.apps.readNamespacedStatefulSet({ name: owner.name, namespace: owner.namespace });
  const restartedAt = read.spec?.template?.metadata?.annotations?.[RESTARTED_AT];
  if (restartedAt && Date.parse(restartedAt) >= Date.parse(since)) return false;
  const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: now.toISOString() } } } } };
  const options = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
  if (owner.kind === 'Deployment') {
    await kube.apps.patchNamespacedDeployment({ name: owner.name, namespace: owner.namespace, body }, options);
  } else {
    await kube.apps.patchNamespacedStatefulSet({ name: owner.name, namespace: owner.namespace, body }, options);
  }
  return true;
}

/**
 * Moves the pods of a Fargate profile to `toVersion`: restarts the Deployments and StatefulSets whose pods run an
 * older kubelet, then reports progress until every pod a controller owns is on the target. Bare pods behind are
 * named in the detail and left alone. Throws NodegroupUpdateFailed after `timeoutSeconds`, naming the pods behind.
 */
export async function rotateFargateProfile(
  deps: { kube: KubeApis; now: () => Date },
  request: { cluster: string; profile: string; toVersion: string; startedAt?: string; timeoutSeconds: number },
): Promise<PoolProgress> {
  const { kube } = deps;
  const now = deps.now();
  const startedAt = request.startedAt ?? now.toISOString();
  const kubelets = new Map<string, string>();
  const kubeletOf = async (node: string) => {
    if (!kubelets.has(node)) {
      const n = await kube.core.readNode({ name: node }).catch(() => undefined);
      kubelets.set(node, n?.status?.nodeInfo?.kubeletVersion ?? '');
    }
    return kubelets.get(node) ?? '';
  };
  let total = 0;
  let upgraded = 0;
  const pending: string[] = [];
  const bare: string[] = [];
  const owners = new Map<string, Owner>();
  const selector = `${FARGATE_PROFILE_LABEL}=${request.profile}`;
  for await (const pod of listAll((page) => kube.core.listPodForAllNamespaces({ ...page, labelSelector: selector }))) {
    if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed')
      continue;
    total++;
    const name = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    const node = pod.spec?.nodeName;
    const kubelet = node ? await kubeletOf(node) : '';
    if (kubelet && minorOf(kubelet) === request.toVersion) {
      const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (ready) upgraded++;
      else pending.push(name);
      continue;
    }
    if (!node) {
      pending.push(name);
      continue;
    }
    const owner = await ownerOf(kube, pod);
    if (!owner) bare.push(`${name} (${kubelet})`);
    else owners.set(`${owner.kind}/${owner.namespace}/${owner.name}`, owner);
  }
  // A rollout between two pods (a StatefulSet pod deleted, its successor not yet created) shows no pod behind:
  // the workloads of the profile's namespaces must also have all their replicas Ready and no surplus.
  const namespaces = new Set<string>();
  for await (const pod of listAll((page) => kube.core.listPodForAllNamespaces({ ...page, labelSelector: selector }))) {
    if (pod.metadata?.namespace) namespaces.add(pod.metadata.namespace);
  }
  const unsettled: string[] = [];
  for (const namespace of [...namespaces].sort()) {
    const deployments = listAll((page) => kube.apps.listNamespacedDeployment({ ...page, namespace }));
    const statefulSets = listAll((page) => kube.apps.listNamespacedStatefulSet({ ...page, namespace }));
    for (const [kind, list] of [
      ['Deployment', deployments],
      ['StatefulSet', statefulSets],
    ] as const) {
      for await (const w of list) {
        const wanted = w.spec?.replicas ?? 1;
        if ((w.status?.readyReplicas ?? 0) < wanted || (w.status?.replicas ?? 0) > wanted) {
          unsettled.push(`${kind}/${namespace}/${w.metadata?.name}`);
        }
      }
    }
  }
  const restarted: string[] = [];
  for (const [key, owner] of [...owners.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (await restart(kube, owner, now, startedAt)) restarted.push(key);
  }
  const base = {
    nodegroup: `${FARGATE_PREFIX}${request.profile}`,
    updateId: `${FARGATE_PREFIX}${request.profile}`,
    startedAt,
    nodesUpgraded: upgraded,
    nodesTotal: total,
  };
  const bareNote = bare.length
    ? ` Bare pods left on an older kubelet (nothing recreates them, so they were not restarted; recreate them yourself): ${bare.join(', ')}.`
    : '';
  if (owners.size === 0 && pending.length === 0 && unsettled.length === 0) {
    return {
      ...base,
      done: true,
      waitSeconds: 0,
      detail: `${upgraded} of ${total} Fargate pods of profile ${request.profile} run ${request.toVersion}.${bareNote}`,
    };
  }
  const elapsed = (now.getTime() - Date.parse(startedAt)) / 1000;
  if (elapsed >= request.timeoutSeconds) {
    throw new NodegroupUpdateFailed(
      `Fargate profile ${request.profile}: pods still not on ${request.toVersion} after ${Math.round(request.timeoutSeconds / 60)} minutes: ` +
        `workloads ${[...new Set([...owners.keys(), ...unsettled])].join(', ') || 'none'}; pods starting ${pending.slice(0, 10).join(', ') || 'none'}.${bareNote} ` +
        'Check the rollouts (kubectl rollout status) and their PodDisruptionBudgets, then run the upgrade again.',
    );
  }
  return {
    ...base,
    done: false,
    waitSeconds: 30,
    detail: `${upgraded} of ${total} Fargate pods on ${request.toVersion}; ${restarted.length ? `restarted ${restarted.join(', ')}; ` : ''}${owners.size} workloads rolling.${bareNote}`,
  };
}
