/**
 * Kubernetes API versions that are deprecated or no longer served, written from the Kubernetes Deprecated API
 * Migration Guide (https://kubernetes.io/docs/reference/using-api/deprecation-guide/): every removal from v1.16
 * to v1.32, the last release the guide covers, then the alpha and beta versions later release notes stop serving
 * (v1.33 to v1.36) and the beta removals k8s.io/api's prerelease-lifecycle tags schedule. `deprecatedIn` is the
 * release that first announced the deprecation (release notes, or the release that made the replacement GA when
 * the guide names no earlier one). Entries without `removedIn` are deprecated with no removal planned.
 */
import { compareMinor } from '../versions/index.js';

export interface ApiDeprecation {
  /** `group/version` as manifests spell it, e.g. `extensions/v1beta1`. */
  apiVersion: string;
  kind: string;
  deprecatedIn: string;
  /** The first release that no longer serves it; absent when no removal is planned. */
  removedIn?: string;
  /** The apiVersion to migrate to (same kind unless `replacementKind`); absent when the API has no successor. */
  replacement?: string;
  replacementKind?: string;
  /** The release that first served the replacement. */
  replacementAvailableIn?: string;
  /** One sentence on what else changes, or what to do when there is no replacement. */
  note?: string;
  /** Whose API it is and whose versions the releases are: `k8s` (the default), `cert-manager`, `istio`, ... */
  component?: string;
}

/** The component of an entry: Kubernetes unless it says otherwise. */
export function componentOf(entry: ApiDeprecation): string {
  return entry.component ?? 'k8s';
}

/** A set of deprecations to judge against: Kubernetes' own, optionally with components' and a user's file. */
export interface ApiCatalog {
  readonly entries: readonly ApiDeprecation[];
  /** The entry for an apiVersion and kind (a `*` kind covers every kind of its apiVersion). */
  find(apiVersion: string, kind: string): ApiDeprecation | undefined;
  /** The components the catalog has entries for, sorted, `k8s` first. */
  components(): string[];
}

/** Where the guide explains each removal. */
export const deprecationGuideUrl = 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/';

function each(kinds: string[], fields: Omit<ApiDeprecation, 'kind'>): ApiDeprecation[] {
  return kinds.map((kind) => ({ kind, ...fields }));
}

/** The table, in release order. Tests check it entry by entry against the guide. */
export const apiDeprecations: readonly ApiDeprecation[] = [
  // v1.16 (#networkpolicy-v116, #daemonset-v116, #deployment-v116, #statefulset-v116, #replicaset-v116)
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'NetworkPolicy',
    deprecatedIn: '1.9',
    removedIn: '1.16',
    replacement: 'networking.k8s.io/v1',
    replacementAvailableIn: '1.8',
  },
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'PodSecurityPolicy',
    deprecatedIn: '1.10',
    removedIn: '1.16',
    replacement: 'policy/v1beta1',
    replacementAvailableIn: '1.10',
  },
  ...['extensions/v1beta1', 'apps/v1beta2'].flatMap((apiVersion) =>
    each(['DaemonSet'], {
      apiVersion,
      deprecatedIn: '1.9',
      removedIn: '1.16',
      replacement: 'apps/v1',
      replacementAvailableIn: '1.9',
      note: 'spec.selector is required and immutable in apps/v1.',
    }),
  ),
  ...['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'].flatMap((apiVersion) =>
    each(['Deployment', 'ReplicaSet'], {
      apiVersion,
      deprecatedIn: '1.9',
      removedIn: '1.16',
      replacement: 'apps/v1',
      replacementAvailableIn: '1.9',
      note: 'spec.selector is required and immutable in apps/v1.',
    }),
  ),
  ...['apps/v1beta1', 'apps/v1beta2'].flatMap((apiVersion) =>
    each(['StatefulSet'], {
      apiVersion,
      deprecatedIn: '1.9',
      removedIn: '1.16',
      replacement: 'apps/v1',
      replacementAvailableIn: '1.9',
      note: 'spec.selector is required and immutable in apps/v1.',
    }),
  ),
  // v1.22 (#webhook-resources-v122 … #storage-resources-v122)
  ...each(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], {
    apiVersion: 'admissionregistration.k8s.io/v1beta1',
    deprecatedIn: '1.16',
    removedIn: '1.22',
    replacement: 'admissionregistration.k8s.io/v1',
    replacementAvailableIn: '1.16',
    note: 'failurePolicy now defaults to Fail, and sideEffects and admissionReviewVersions are required.',
  }),
  {
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    kind: 'CustomResourceDefinition',
    deprecatedIn: '1.16',
    removedIn: '1.22',
    replacement: 'apiextensions.k8s.io/v1',
    replacementAvailableIn: '1.16',
    note: 'v1 needs a structural schema per version and an explicit spec.scope.',
  },
  {
    apiVersion: 'apiregistration.k8s.io/v1beta1',
    kind: 'APIService',
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'apiregistration.k8s.io/v1',
    replacementAvailableIn: '1.10',
  },
  {
    apiVersion: 'authentication.k8s.io/v1beta1',
    kind: 'TokenReview',
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'authentication.k8s.io/v1',
    replacementAvailableIn: '1.6',
  },
  ...each(['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview'], {
    apiVersion: 'authorization.k8s.io/v1beta1',
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'authorization.k8s.io/v1',
    replacementAvailableIn: '1.6',
    note: 'spec.group is renamed spec.groups.',
  }),
  {
    apiVersion: 'certificates.k8s.io/v1beta1',
    kind: 'CertificateSigningRequest',
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'certificates.k8s.io/v1',
    replacementAvailableIn: '1.19',
    note: 'spec.signerName and spec.usages are required.',
  },
  {
    apiVersion: 'coordination.k8s.io/v1beta1',
    kind: 'Lease',
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'coordination.k8s.io/v1',
    replacementAvailableIn: '1.14',
  },
  ...['extensions/v1beta1', 'networking.k8s.io/v1beta1'].map(
    (apiVersion): ApiDeprecation => ({
      apiVersion,
      kind: 'Ingress',
      deprecatedIn: apiVersion === 'extensions/v1beta1' ? '1.14' : '1.19',
      removedIn: '1.22',
      replacement: 'networking.k8s.io/v1',
      replacementAvailableIn: '1.19',
      note: 'Backends become service.name/service.port and pathType is required.',
    }),
  ),
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kind: 'IngressClass',
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'networking.k8s.io/v1',
    replacementAvailableIn: '1.19',
  },
  ...each(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], {
    apiVersion: 'rbac.authorization.k8s.io/v1beta1',
    deprecatedIn: '1.17',
    removedIn: '1.22',
    replacement: 'rbac.authorization.k8s.io/v1',
    replacementAvailableIn: '1.8',
  }),
  // Alpha versions the guide leaves out (it covers beta and GA APIs): removed with their beta, per the release notes
  // of v1.17 (scheduling) and v1.22 (rbac), as pluto's versions.yaml records them.
  {
    apiVersion: 'scheduling.k8s.io/v1alpha1',
    kind: 'PriorityClass',
    deprecatedIn: '1.14',
    removedIn: '1.17',
    replacement: 'scheduling.k8s.io/v1',
    replacementAvailableIn: '1.14',
  },
  ...each(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], {
    apiVersion: 'rbac.authorization.k8s.io/v1alpha1',
    deprecatedIn: '1.17',
    removedIn: '1.22',
    replacement: 'rbac.authorization.k8s.io/v1',
    replacementAvailableIn: '1.8',
  }),
  {
    apiVersion: 'scheduling.k8s.io/v1beta1',
    kind: 'PriorityClass',
    deprecatedIn: '1.14',
    removedIn: '1.22',
    replacement: 'scheduling.k8s.io/v1',
    replacementAvailableIn: '1.14',
  },
  ...(
    [
      ['CSIDriver', '1.19', '1.19'],
      ['CSINode', '1.17', '1.17'],
      ['StorageClass', '1.19', '1.6'],
      ['VolumeAttachment', '1.19', '1.13'],
    ] as const
  ).map(
    ([kind, deprecatedIn, replacementAvailableIn]): ApiDeprecation => ({
      apiVersion: 'storage.k8s.io/v1beta1',
      kind,
      deprecatedIn,
      removedIn: '1.22',
      replacement: 'storage.k8s.io/v1',
      replacementAvailableIn,
    }),
  ),
  // The CSI snapshot CRDs (kubernetes-csi/external-snapshotter, installed by the EBS CSI driver's snapshot
  // controller), not in the guide: v1beta1 deprecated when v1 went GA in 1.20, gone from the CRDs shipped for 1.24,
  // as kube-no-trouble's rule set for 1.24 records it.
  ...each(['VolumeSnapshot', 'VolumeSnapshotClass', 'VolumeSnapshotContent'], {
    apiVersion: 'snapshot.storage.k8s.io/v1beta1',
    deprecatedIn: '1.20',
    removedIn: '1.24',
    replacement: 'snapshot.storage.k8s.io/v1',
    replacementAvailableIn: '1.20',
  }),
  // v1.25 (#cronjob-v125 … #runtimeclass-v125)
  {
    apiVersion: 'batch/v1beta1',
    kind: 'CronJob',
    deprecatedIn: '1.21',
    removedIn: '1.25',
    replacement: 'batch/v1',
    replacementAvailableIn: '1.21',
  },
  {
    apiVersion: 'discovery.k8s.io/v1beta1',
    kind: 'EndpointSlice',
    deprecatedIn: '1.21',
    removedIn: '1.25',
    replacement: 'discovery.k8s.io/v1',
    replacementAvailableIn: '1.21',
    note: 'Use the per-endpoint nodeName and zone fields instead of topology.',
  },
  {
    apiVersion: 'events.k8s.io/v1beta1',
    kind: 'Event',
    deprecatedIn: '1.19',
    removedIn: '1.25',
    replacement: 'events.k8s.io/v1',
    replacementAvailableIn: '1.19',
  },
  {
    apiVersion: 'autoscaling/v2beta1',
    kind: 'HorizontalPodAutoscaler',
    deprecatedIn: '1.22',
    removedIn: '1.25',
    replacement: 'autoscaling/v2',
    replacementAvailableIn: '1.23',
    note: 'targetAverageUtilization becomes target.averageUtilization with target.type: Utilization.',
  },
  {
    apiVersion: 'policy/v1beta1',
    kind: 'PodDisruptionBudget',
    deprecatedIn: '1.21',
    removedIn: '1.25',
    replacement: 'policy/v1',
    replacementAvailableIn: '1.21',
    note: 'An empty spec.selector selects every pod of the namespace in policy/v1.',
  },
  {
    apiVersion: 'policy/v1beta1',
    kind: 'PodSecurityPolicy',
    deprecatedIn: '1.21',
    removedIn: '1.25',
    note: 'There is no replacement API: move to Pod Security Admission or a policy engine before upgrading.',
  },
  {
    apiVersion: 'node.k8s.io/v1beta1',
    kind: 'RuntimeClass',
    deprecatedIn: '1.22',
    removedIn: '1.25',
    replacement: 'node.k8s.io/v1',
    replacementAvailableIn: '1.20',
  },
  // v1.26 (#flowcontrol-resources-v126, #horizontalpodautoscaler-v126)
  // The guide sends v1beta1 to v1beta3 (served since 1.26), not to v1beta2, itself deprecated in 1.26.
  ...each(['FlowSchema', 'PriorityLevelConfiguration'], {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1',
    deprecatedIn: '1.23',
    removedIn: '1.26',
    replacement: 'flowcontrol.apiserver.k8s.io/v1beta3',
    replacementAvailableIn: '1.26',
  }),
  {
    apiVersion: 'autoscaling/v2beta2',
    kind: 'HorizontalPodAutoscaler',
    deprecatedIn: '1.23',
    removedIn: '1.26',
    replacement: 'autoscaling/v2',
    replacementAvailableIn: '1.23',
  },
  // v1.27 (#csistoragecapacity-v127)
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kind: 'CSIStorageCapacity',
    deprecatedIn: '1.24',
    removedIn: '1.27',
    replacement: 'storage.k8s.io/v1',
    replacementAvailableIn: '1.24',
  },
  // v1.29 (#flowcontrol-resources-v129)
  ...each(['FlowSchema', 'PriorityLevelConfiguration'], {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
    deprecatedIn: '1.26',
    removedIn: '1.29',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
    replacementAvailableIn: '1.29',
    note: 'spec.limited.assuredConcurrencyShares is renamed nominalConcurrencyShares.',
  }),
  // v1.32 (#flowcontrol-resources-v132)
  ...each(['FlowSchema', 'PriorityLevelConfiguration'], {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
    deprecatedIn: '1.29',
    removedIn: '1.32',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
    replacementAvailableIn: '1.29',
  }),
  // v1.33: the v1alpha1 admission policies stop being served (v1.33 changelog, kubernetes/kubernetes#129207). Their
  // deprecation release is the one k8s.io/api's prerelease-lifecycle tags record for them (1.29).
  ...each(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'], {
    apiVersion: 'admissionregistration.k8s.io/v1alpha1',
    deprecatedIn: '1.29',
    removedIn: '1.33',
    replacement: 'admissionregistration.k8s.io/v1',
    replacementAvailableIn: '1.30',
  }),
  // v1.34: resource.k8s.io/v1alpha3 keeps only DeviceTaintRule (v1.34 changelog, kubernetes/kubernetes#132000).
  // Alpha versions are removed without a deprecation period, so they count as deprecated from their removal.
  ...each(['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'], {
    apiVersion: 'resource.k8s.io/v1alpha3',
    deprecatedIn: '1.34',
    removedIn: '1.34',
    replacement: 'resource.k8s.io/v1beta1',
    replacementAvailableIn: '1.32',
    note: 'resource.k8s.io/v1 is served from 1.34; objects a cluster stored before 1.32 must be deleted and recreated.',
  }),
  // v1.35: two alpha APIs stop being served, per the v1.35 changelog (kubernetes/kubernetes#134625 and #134784).
  {
    apiVersion: 'storage.k8s.io/v1alpha1',
    kind: 'VolumeAttributesClass',
    deprecatedIn: '1.35',
    removedIn: '1.35',
    replacement: 'storage.k8s.io/v1',
    replacementAvailableIn: '1.34',
  },
  {
    apiVersion: 'storagemigration.k8s.io/v1alpha1',
    kind: 'StorageVersionMigration',
    deprecatedIn: '1.35',
    removedIn: '1.35',
    replacement: 'storagemigration.k8s.io/v1beta1',
    replacementAvailableIn: '1.35',
    note: 'Remove v1alpha1 StorageVersionMigration objects before upgrading; the API server does not convert them.',
  },
  // v1.36: the v1alpha1 Workload API is replaced by v1alpha2's Workload and PodGroup (v1.36 changelog,
  // kubernetes/kubernetes#136976).
  {
    apiVersion: 'scheduling.k8s.io/v1alpha1',
    kind: 'Workload',
    deprecatedIn: '1.36',
    removedIn: '1.36',
    replacement: 'scheduling.k8s.io/v1alpha2',
    replacementAvailableIn: '1.36',
    note: 'v1alpha2 splits the API into Workload and PodGroup; rewrite the objects rather than converting them.',
  },
  // v1.38: resource.k8s.io/v1beta1, deprecated from 1.35 (its prerelease-lifecycle tags in k8s.io/api); the API
  // server warns from 1.35 on, and v1.37 still serves it.
  ...each(['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'], {
    apiVersion: 'resource.k8s.io/v1beta1',
    deprecatedIn: '1.35',
    removedIn: '1.38',
    replacement: 'resource.k8s.io/v1',
    replacementAvailableIn: '1.34',
  }),
  // Deprecated and still served, with no removal planned.
  {
    // DeviceTaintRule moved to resource.k8s.io/v1beta2 in v1.36 (kubernetes/kubernetes#137170); its v1alpha3 form
    // is deprecated from 1.36 (k8s.io/api's prerelease-lifecycle tags), with no removal release set.
    apiVersion: 'resource.k8s.io/v1alpha3',
    kind: 'DeviceTaintRule',
    deprecatedIn: '1.36',
    replacement: 'resource.k8s.io/v1beta2',
    replacementAvailableIn: '1.36',
  },
  {
    apiVersion: 'v1',
    kind: 'ComponentStatus',
    deprecatedIn: '1.19',
    note: 'Query the components health endpoints (/livez, /readyz) instead.',
  },
  {
    // KEP-4974: the Endpoints API is deprecated in favour of EndpointSlices (https://kubernetes.io/blog/2025/04/24/endpoints-deprecation/).
    apiVersion: 'v1',
    kind: 'Endpoints',
    deprecatedIn: '1.33',
    replacement: 'discovery.k8s.io/v1',
    replacementKind: 'EndpointSlice',
    replacementAvailableIn: '1.21',
  },
];

/**
 * A catalog of `entries`; a later entry for the same apiVersion and kind replaces an earlier one (a user's file
 * corrects the shipped table). A `<Kind>List` in a version shares its kind's entry: the list is served exactly as
 * long (what `kubectl get -o yaml` writes).
 */
export function apiCatalog(entries: readonly ApiDeprecation[]): ApiCatalog {
  const byKey = new Map(entries.map((d) => [`${d.apiVersion}|${d.kind}`, d]));
  const lookup = (apiVersion: string, kind: string) =>
    byKey.get(`${apiVersion}|${kind}`) ?? byKey.get(`${apiVersion}|*`);
  const unique = [...byKey.values()];
  return {
    entries: unique,
    find(apiVersion, kind) {
      const entry = lookup(apiVersion, kind);
      if (entry || !kind.endsWith('List') || kind === 'List') return entry;
      return lookup(apiVersion, kind.slice(0, -'List'.length));
    },
    components() {
      const names = [...new Set(unique.map(componentOf))];
      return names.sort((a, b) => (a === 'k8s' ? -1 : b === 'k8s' ? 1 : a.localeCompare(b)));
    },
  };
}

/** Kubernetes' own deprecations: what the readiness checks and a plain scan judge against. */
export const kubernetesApis: ApiCatalog = apiCatalog(apiDeprecations);

/** The entry for an apiVersion and kind in `catalog` (Kubernetes' by default), if that API is deprecated or removed. */
export function findApiDeprecation(
  apiVersion: string,
  kind: string,
  catalog: ApiCatalog = kubernetesApis,
): ApiDeprecation | undefined {
  return catalog.find(apiVersion, kind);
}

export type ApiStatus = 'removed' | 'deprecated';

/** Whether the API is removed in (or before) `target`, only deprecated there, or fine (undefined). */
export function apiStatusIn(entry: ApiDeprecation, target: string): ApiStatus | undefined {
  if (entry.removedIn && compareMinor(entry.removedIn, target) <= 0) return 'removed';
  if (compareMinor(entry.deprecatedIn, target) <= 0) return 'deprecated';
  return undefined;
}

/**
 * The apiVersion to migrate to for `target`: the guide's replacement, followed while that one is itself removed by
 * `target`, or deprecated there with its own successor already served (flowcontrol v1beta1 → v1beta3 for 1.26,
 * → v1 for 1.29 on), so the advice is never an API the table marks deprecated when a better one exists. Undefined
 * when the API has no successor.
 */
export function replacementFor(
  entry: ApiDeprecation,
  target: string,
  catalog: ApiCatalog = kubernetesApis,
): { apiVersion: string; kind: string; availableIn?: string } | undefined {
  let current: ApiDeprecation = entry;
  for (let hops = 0; hops < 10 && current.replacement; hops++) {
    const next = catalog.find(current.replacement, current.replacementKind ?? current.kind);
    const status = next && apiStatusIn(next, target);
    if (!next || !status) break;
    const successorServed =
      next.replacement && (!next.replacementAvailableIn || compareMinor(next.replacementAvailableIn, target) <= 0);
    if (status === 'deprecated' && !successorServed) break;
    current = next;
  }
  if (!current.replacement) return undefined;
  return {
    apiVersion: current.replacement,
    kind: current.replacementKind ?? current.kind,
    ...(current.replacementAvailableIn ? { availableIn: current.replacementAvailableIn } : {}),
  };
}
