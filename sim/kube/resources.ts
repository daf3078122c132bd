/**
 * The resources the simulated API server serves, as discovery (`/api/v1`, `/apis/<group>/<version>`) lists them.
 * https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api
 */

export interface ServedResource {
  /** `''` for the core group. */
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  /** Fields a `fieldSelector` may name for this resource; others are rejected as Kubernetes does. */
  selectableFields: string[];
}

const META = ['metadata.name', 'metadata.namespace'];

/** What the API server does with objects it stores as they are written: every verb of a stored resource. */
export const STORED_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export const NODES: ServedResource = {
  group: '',
  version: 'v1',
  plural: 'nodes',
  kind: 'Node',
  namespaced: false,
  verbs: ['get', 'list', 'patch', 'update', 'watch'],
  shortNames: ['no'],
  selectableFields: ['metadata.name', 'spec.unschedulable'],
};

export const PODS: ServedResource = {
  group: '',
  version: 'v1',
  plural: 'pods',
  kind: 'Pod',
  namespaced: true,
  verbs: ['delete', 'get', 'list', 'patch', 'update', 'watch'],
  shortNames: ['po'],
  // pkg/registry/core/pod: the fields the pod registry indexes for selectors.
  selectableFields: [
    ...META,
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
};

export const NAMESPACES: ServedResource = {
  group: '',
  version: 'v1',
  plural: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
  verbs: ['get', 'list', 'watch'],
  shortNames: ['ns'],
  selectableFields: ['metadata.name', 'status.phase'],
};

export const CONFIGMAPS: ServedResource = {
  group: '',
  version: 'v1',
  plural: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
  verbs: STORED_VERBS,
  shortNames: ['cm'],
  selectableFields: META,
};

export const SECRETS: ServedResource = {
  group: '',
  version: 'v1',
  plural: 'secrets',
  kind: 'Secret',
  namespaced: true,
  verbs: STORED_VERBS,
  selectableFields: [...META, 'type'],
};

export const BUDGETS: ServedResource = {
  group: 'policy',
  version: 'v1',
  plural: 'poddisruptionbudgets',
  kind: 'PodDisruptionBudget',
  namespaced: true,
  verbs: ['create', 'get', 'list', 'watch'],
  shortNames: ['pdb'],
  selectableFields: META,
};

function apps(plural: string, kind: string, shortName: string): ServedResource {
  return {
    group: 'apps',
    version: 'v1',
    plural,
    kind,
    namespaced: true,
    verbs: ['get', 'list', 'watch'],
    shortNames: [shortName],
    selectableFields: META,
  };
}

// PATCH of Deployments and StatefulSets: `kubectl rollout restart` and replica changes (rollout.ts). DELETE of
// a workload takes its pods with it (garbage collection, background propagation).
export const DEPLOYMENTS: ServedResource = {
  ...apps('deployments', 'Deployment', 'deploy'),
  verbs: ['delete', 'get', 'list', 'patch', 'update', 'watch'],
};
export const STATEFULSETS: ServedResource = {
  ...apps('statefulsets', 'StatefulSet', 'sts'),
  verbs: ['delete', 'get', 'list', 'patch', 'update', 'watch'],
};
export const DAEMONSETS: ServedResource = {
  ...apps('daemonsets', 'DaemonSet', 'ds'),
  verbs: ['delete', 'get', 'list', 'watch'],
};
export const REPLICASETS = apps('replicasets', 'ReplicaSet', 'rs');

/** Read-only stored resources every EKS cluster serves, empty unless a scenario seeds objects of them. */
export const SERVICES = storedResource('v1', 'Service', 'services', true);
export const PERSISTENT_VOLUMES = storedResource('v1', 'PersistentVolume', 'persistentvolumes', false);
export const ENDPOINT_SLICES = storedResource('discovery.k8s.io/v1', 'EndpointSlice', 'endpointslices', true);
export const STORAGE_CLASSES = storedResource('storage.k8s.io/v1', 'StorageClass', 'storageclasses', false);
export const CSI_DRIVERS = storedResource('storage.k8s.io/v1', 'CSIDriver', 'csidrivers', false);
export const API_SERVICES = storedResource('apiregistration.k8s.io/v1', 'APIService', 'apiservices', false);
export const VALIDATING_WEBHOOKS = storedResource(
  'admissionregistration.k8s.io/v1',
  'ValidatingWebhookConfiguration',
  'validatingwebhookconfigurations',
  false,
);
export const MUTATING_WEBHOOKS = storedResource(
  'admissionregistration.k8s.io/v1',
  'MutatingWebhookConfiguration',
  'mutatingwebhookconfigurations',
  false,
);

export const ALWAYS_SERVED: readonly ServedResource[] = [
  SERVICES,
  PERSISTENT_VOLUMES,
  ENDPOINT_SLICES,
  STORAGE_CLASSES,
  CSI_DRIVERS,
  API_SERVICES,
  VALIDATING_WEBHOOKS,
  MUTATING_WEBHOOKS,
];

/** `kubectl auth can-i`: a review the server answers at once and never stores (create only). */
export const SELF_SUBJECT_ACCESS_REVIEWS: ServedResource = {
  group: 'authorization.k8s.io',
  version: 'v1',
  plural: 'selfsubjectaccessreviews',
  kind: 'SelfSubjectAccessReview',
  namespaced: false,
  verbs: ['create'],
  selectableFields: [],
};

/** Resources whose objects the simulator derives from its state rather than storing as JSON. */
export const BUILTIN_RESOURCES: readonly ServedResource[] = [
  SELF_SUBJECT_ACCESS_REVIEWS,
  NODES,
  PODS,
  NAMESPACES,
  DEPLOYMENTS,
  STATEFULSETS,
  DAEMONSETS,
  REPLICASETS,
  BUDGETS,
];

/** A seeded object of some other apiVersion: stored as written, every verb, selectable by name and namespace. */
export function storedResource(apiVersion: string, kind: string, plural: string, namespaced: boolean): ServedResource {
  const slash = apiVersion.indexOf('/');
  return {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    plural,
    kind,
    namespaced,
    verbs: STORED_VERBS,
    selectableFields: META,
  };
}

/**
 * kube-apiserver stores some resources once for several API groups ("cohabitating resources", set up in
 * pkg/kubeapiserver/default_storage_factory_builder.go): the same objects are served through each group, as they
 * are through every served version of one group. The key names that shared storage.
 */
const COHABITING: Readonly<Record<string, string>> = {
  'extensions/deployments': 'apps/deployments',
  'extensions/daemonsets': 'apps/daemonsets',
  'extensions/replicasets': 'apps/replicasets',
  'extensions/networkpolicies': 'networking.k8s.io/networkpolicies',
  'extensions/podsecuritypolicies': 'policy/podsecuritypolicies',
  'extensions/ingresses': 'networking.k8s.io/ingresses',
  'events.k8s.io/events': '/events',
};

/** The storage a resource's objects live in, whatever the version (and group, for cohabitating resources). */
export function storageKey(resource: Pick<ServedResource, 'group' | 'plural'>): string {
  const key = `${resource.group}/${resource.plural}`;
  return COHABITING[key] ?? key;
}

export function groupVersion(resource: Pick<ServedResource, 'group' | 'version'>): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

export function resourceId(resource: Pick<ServedResource, 'group' | 'version' | 'plural'>): string {
  return `${groupVersion(resource)}/${resource.plural}`;
}

/** How Kubernetes names a resource in error messages: `pods`, `deployments.apps`. */
export function qualifiedName(resource: Pick<ServedResource, 'group' | 'plural'>): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}
