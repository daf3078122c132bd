/**
 * Renders the simulator's records as the JSON a real (EKS) API server returns, field for field where clients
 * look: https://kubernetes.io/docs/reference/kubernetes-api/ (Pod, Deployment, ReplicaSet, StatefulSet,
 * DaemonSet, PodDisruptionBudget, Namespace; nodes are in nodes.ts). Items of a list carry no kind/apiVersion.
 */
import type { BudgetRecord, Json, NamespaceRecord, PodRecord, WorkloadRecord } from './model.js';
import { isTerminating } from './model.js';
import { hexFor, kubeTime, safeString } from './naming.js';

/** Tolerations added to every pod by the DefaultTolerationSeconds admission plugin. */
const DEFAULT_TOLERATIONS: Json[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

function containerName(wl: WorkloadRecord): string {
  return wl.name;
}

function podTemplateSpec(wl: WorkloadRecord): Json {
  const volumes: Json[] = [
    ...(wl.emptyDir ? [{ name: 'scratch', emptyDir: {} }] : []),
    ...wl.hostPaths.map((path, i) => ({ name: `host-${i}`, hostPath: { path, type: '' } })),
  ];
  const mounts: Json[] = [
    ...(wl.emptyDir ? [{ name: 'scratch', mountPath: '/scratch' }] : []),
    ...wl.hostPaths.map((path, i) => ({ name: `host-${i}`, mountPath: path })),
  ];
  return {
    containers: [
      {
        name: containerName(wl),
        image: wl.image,
        imagePullPolicy: 'IfNotPresent',
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        ...(mounts.length > 0 && { volumeMounts: mounts }),
      },
    ],
    ...(volumes.length > 0 && { volumes }),
    ...(wl.nodeSelector && { nodeSelector: { ...wl.nodeSelector } }),
    ...(wl.tolerateAll && { tolerations: [{ operator: 'Exists' }] }),
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: wl.terminationGracePeriodSeconds,
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    securityContext: {},
  };
}

function ownerReference(pod: PodRecord): Json | undefined {
  const wl = pod.workload;
  if (wl.kind === 'Pod') return undefined;
  const owner =
    wl.kind === 'Deployment' ? { kind: 'ReplicaSet', ...wl.replicaSet } : { kind: wl.kind, name: wl.name, uid: wl.uid };
  return {
    apiVersion: 'apps/v1',
    kind: owner.kind,
    name: owner.name,
    uid: owner.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function condition(type: string, ok: boolean, sinceMs: number | undefined, extra: Json = {}): Json {
  return {
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: kubeTime(sinceMs ?? 0),
    ...extra,
  };
}

/** `hostIp` is the InternalIP of the node the pod is bound to. */
export function renderPod(pod: PodRecord, hostIp: string | undefined): Json {
  const wl = pod.workload;
  const template = podTemplateSpec(wl);
  const owner = ownerReference(pod);
  const tokenVolume = `kube-api-access-${safeString(pod.uid, 5)}`;
  const baseContainer = (template.containers as Json[])[0] ?? {};
  const mounts = [
    ...((baseContainer.volumeMounts as Json[] | undefined) ?? []),
    { name: tokenVolume, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
  ];
  const tolerations = wl.tolerateAll || wl.kind === 'DaemonSet' ? [{ operator: 'Exists' }] : DEFAULT_TOLERATIONS;
  const scheduled = pod.nodeName !== undefined;
  const running = pod.phase === 'Running';
  const unreadyMessage = {
    reason: 'ContainersNotReady',
    message: `containers with unready status: [${containerName(wl)}]`,
  };
  const conditions: Json[] = scheduled
    ? [
        condition('PodReadyToStartContainers', running, pod.runningSinceMs ?? pod.scheduledMs),
        condition('Initialized', true, pod.scheduledMs),
        condition(
          'Ready',
          pod.ready,
          pod.ready ? pod.runningSinceMs : pod.scheduledMs,
          pod.ready ? {} : unreadyMessage,
        ),
        condition(
          'ContainersReady',
          pod.ready,
          pod.ready ? pod.runningSinceMs : pod.scheduledMs,
          pod.ready ? {} : unreadyMessage,
        ),
        condition('PodScheduled', true, pod.scheduledMs),
      ]
    : [
        condition('PodScheduled', false, pod.createdMs, {
          reason: 'Unschedulable',
          message: pod.unschedulableMessage ?? '0/0 nodes are available.',
        }),
      ];
  const containerStatus = {
    name: containerName(wl),
    image: wl.image,
    imageID: running ? `${wl.image.split(':')[0]}@sha256:${hexFor(wl.image, 64)}` : '',
    ...(running && { containerID: `containerd://${hexFor(pod.uid, 64)}` }),
    ready: pod.ready,
    restartCount: 0,
    started: running,
    state: running
      ? { running: { startedAt: kubeTime(pod.runningSinceMs ?? pod.createdMs) } }
      : { waiting: { reason: 'ContainerCreating' } },
    lastState: {},
  };
  const terminationAt =
    pod.deletionMs !== undefined ? pod.deletionMs + (pod.deletionGraceSeconds ?? 0) * 1000 : undefined;
  return {
    metadata: {
      name: pod.name,
      ...(wl.kind === 'Deployment' && { generateName: `${wl.replicaSet?.name}-` }),
      ...(wl.kind === 'DaemonSet' && { generateName: `${wl.name}-` }),
      namespace: pod.namespace,
      uid: pod.uid,
      resourceVersion: String(pod.resourceVersion),
      creationTimestamp: kubeTime(pod.createdMs),
      ...(terminationAt !== undefined && {
        deletionTimestamp: kubeTime(terminationAt),
        deletionGracePeriodSeconds: pod.deletionGraceSeconds,
      }),
      labels: { ...pod.labels },
      ...(pod.annotations && Object.keys(pod.annotations).length > 0 && { annotations: { ...pod.annotations } }),
      ...(owner && { ownerReferences: [owner] }),
    },
    spec: {
      ...template,
      containers: [{ ...baseContainer, volumeMounts: mounts }],
      volumes: [
        ...((template.volumes as Json[] | undefined) ?? []),
        {
          name: tokenVolume,
          projected: {
            defaultMode: 420,
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              {
                downwardAPI: {
                  items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
                },
              },
            ],
          },
        },
      ],
      ...(wl.kind === 'StatefulSet' && { hostname: pod.name, subdomain: wl.name }),
      ...(pod.nodeName !== undefined && { nodeName: pod.nodeName }),
      serviceAccountName: 'default',
      serviceAccount: 'default',
      tolerations,
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {
      phase: pod.phase,
      conditions,
      ...(scheduled && {
        ...(hostIp !== undefined && { hostIP: hostIp, hostIPs: [{ ip: hostIp }] }),
        startTime: kubeTime(pod.scheduledMs ?? pod.createdMs),
        containerStatuses: [containerStatus],
      }),
      ...(pod.podIp !== undefined && { podIP: pod.podIp, podIPs: [{ ip: pod.podIp }] }),
      qosClass: 'BestEffort',
    },
  };
}

function podCounts(wl: WorkloadRecord): { total: number; ready: number } {
  let total = 0;
  let ready = 0;
  for (const pod of wl.pods) {
    if (isTerminating(pod)) continue;
    total++;
    if (pod.ready) ready++;
  }
  return { total, ready };
}

/** A workload's resourceVersion moves whenever one of its pods changes, as its status is rewritten then. */
function workloadVersion(wl: WorkloadRecord): string {
  let rv = wl.resourceVersion;
  for (const pod of wl.pods) rv = Math.max(rv, pod.resourceVersion);
  return String(rv);
}

function workloadMeta(wl: WorkloadRecord, extra: Json = {}): Json {
  const own = (extra.annotations ?? {}) as Record<string, string>;
  const annotations = { ...own, ...wl.annotations };
  return {
    name: wl.name,
    namespace: wl.namespace,
    uid: wl.uid,
    resourceVersion: workloadVersion(wl),
    generation: 1,
    creationTimestamp: kubeTime(wl.createdMs),
    labels: { ...(wl.labels ?? wl.podLabels) },
    ...extra,
    ...(Object.keys(annotations).length > 0 && { annotations }),
  };
}

function templateMeta(wl: WorkloadRecord): Json {
  const annotations = wl.templateAnnotations;
  return { labels: { ...wl.podLabels }, ...(annotations && { annotations: { ...annotations } }) };
}

export function renderDeployment(wl: WorkloadRecord): Json {
  const { total, ready } = podCounts(wl);
  // Available when at least replicas - maxUnavailable (25%, rounded down) pods are available.
  const minAvailable = wl.replicas - Math.floor(wl.replicas * 0.25);
  const since = kubeTime(wl.createdMs);
  return {
    metadata: workloadMeta(wl, { annotations: { 'deployment.kubernetes.io/revision': '1' } }),
    spec: {
      replicas: wl.replicas,
      selector: { matchLabels: { ...wl.podLabels } },
      template: { metadata: templateMeta(wl), spec: podTemplateSpec(wl) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 1,
      replicas: total,
      updatedReplicas: total,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(wl.replicas - ready > 0 && { unavailableReplicas: wl.replicas - ready }),
      conditions: [
        {
          type: 'Available',
          status: ready >= minAvailable ? 'True' : 'False',
          lastUpdateTime: since,
          lastTransitionTime: since,
          reason: ready >= minAvailable ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          message:
            ready >= minAvailable
              ? 'Deployment has minimum availability.'
              : 'Deployment does not have minimum availability.',
        },
        {
          type: 'Progressing',
          status: 'True',
          lastUpdateTime: since,
          lastTransitionTime: since,
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${wl.replicaSet?.name}" has successfully progressed.`,
        },
      ],
    },
  };
}

export function renderReplicaSet(wl: WorkloadRecord): Json {
  const rs = wl.replicaSet ?? { name: wl.name, uid: wl.uid, templateHash: '' };
  const { total, ready } = podCounts(wl);
  const labels = { ...wl.podLabels, 'pod-template-hash': rs.templateHash };
  return {
    metadata: {
      name: rs.name,
      namespace: wl.namespace,
      uid: rs.uid,
      resourceVersion: workloadVersion(wl),
      generation: 1,
      creationTimestamp: kubeTime(wl.createdMs),
      labels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(wl.replicas),
        'deployment.kubernetes.io/max-replicas': String(wl.replicas + Math.ceil(wl.replicas * 0.25)),
        'deployment.kubernetes.io/revision': '1',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: wl.name,
          uid: wl.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas: wl.replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: podTemplateSpec(wl) },
    },
    status: {
      replicas: total,
      fullyLabeledReplicas: total,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: 1,
    },
  };
}

export function renderStatefulSet(wl: WorkloadRecord): Json {
  const { total, ready } = podCounts(wl);
  const revision = `${wl.name}-${wl.revisionHash}`;
  return {
    metadata: workloadMeta(wl),
    spec: {
      replicas: wl.replicas,
      selector: { matchLabels: { ...wl.podLabels } },
      template: { metadata: templateMeta(wl), spec: podTemplateSpec(wl) },
      serviceName: wl.name,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    },
    status: {
      observedGeneration: 1,
      replicas: total,
      readyReplicas: ready,
      currentReplicas: total,
      updatedReplicas: total,
      availableReplicas: ready,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
    },
  };
}

export function renderDaemonSet(wl: WorkloadRecord, desired: number): Json {
  const { total, ready } = podCounts(wl);
  return {
    metadata: workloadMeta(wl, { annotations: { 'deprecated.daemonset.template.generation': '1' } }),
    spec: {
      selector: { matchLabels: { ...wl.podLabels } },
      template: { metadata: templateMeta(wl), spec: podTemplateSpec(wl) },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: 0 } },
      revisionHistoryLimit: 10,
    },
    status: {
      currentNumberScheduled: total,
      desiredNumberScheduled: desired,
      numberMisscheduled: 0,
      numberReady: ready,
      numberAvailable: ready,
      ...(desired - ready > 0 && { numberUnavailable: desired - ready }),
      updatedNumberScheduled: total,
      observedGeneration: 1,
    },
  };
}

export function renderBudget(budget: BudgetRecord): Json {
  const s = budget.status;
  const allowed = s.disruptionsAllowed > 0;
  const reason = s.syncFailed ? 'SyncFailed' : allowed ? 'SufficientPods' : 'InsufficientPods';
  return {
    metadata: {
      name: budget.name,
      namespace: budget.namespace,
      uid: budget.uid,
      resourceVersion: String(budget.resourceVersion),
      generation: budget.generation,
      creationTimestamp: kubeTime(budget.createdMs),
    },
    spec: {
      ...(budget.spec.minAvailable !== undefined && { minAvailable: budget.spec.minAvailable }),
      ...(budget.spec.maxUnavailable !== undefined && { maxUnavailable: budget.spec.maxUnavailable }),
      selector: { matchLabels: { ...budget.matchLabels } },
    },
    status: {
      observedGeneration: budget.generation,
      disruptionsAllowed: s.disruptionsAllowed,
      currentHealthy: s.currentHealthy,
      desiredHealthy: s.desiredHealthy,
      expectedPods: s.expectedPods,
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: allowed ? 'True' : 'False',
          reason,
          message: s.syncFailed ? 'found no controllers for the pods this budget selects' : '',
          observedGeneration: budget.generation,
          lastTransitionTime: kubeTime(budget.conditionSinceMs),
        },
      ],
    },
  };
}

export function renderNamespace(ns: NamespaceRecord): Json {
  return {
    metadata: {
      name: ns.name,
      uid: ns.uid,
      resourceVersion: String(ns.resourceVersion),
      creationTimestamp: kubeTime(ns.createdMs),
      labels: { 'kubernetes.io/metadata.name': ns.name },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}
