import { describe, expect, it } from 'vitest';
import { apiDeprecations, apiStatusIn, findApiDeprecation, replacementFor } from '../../lib/readiness/index.js';
import { compareMinor } from '../../lib/versions/index.js';

/**
 * The Deprecated API Migration Guide, removal by removal: [apiVersion, kind, removed in, replacement, available in].
 * https://kubernetes.io/docs/reference/using-api/deprecation-guide/
 */
const guide: Array<[string, string, string, string | undefined, string | undefined]> = [
  ['extensions/v1beta1', 'NetworkPolicy', '1.16', 'networking.k8s.io/v1', '1.8'],
  ['extensions/v1beta1', 'PodSecurityPolicy', '1.16', 'policy/v1beta1', '1.10'],
  ['extensions/v1beta1', 'DaemonSet', '1.16', 'apps/v1', '1.9'],
  ['apps/v1beta2', 'DaemonSet', '1.16', 'apps/v1', '1.9'],
  ['extensions/v1beta1', 'Deployment', '1.16', 'apps/v1', '1.9'],
  ['apps/v1beta1', 'Deployment', '1.16', 'apps/v1', '1.9'],
  ['apps/v1beta2', 'Deployment', '1.16', 'apps/v1', '1.9'],
  ['apps/v1beta1', 'StatefulSet', '1.16', 'apps/v1', '1.9'],
  ['apps/v1beta2', 'StatefulSet', '1.16', 'apps/v1', '1.9'],
  ['extensions/v1beta1', 'ReplicaSet', '1.16', 'apps/v1', '1.9'],
  ['apps/v1beta1', 'ReplicaSet', '1.16', 'apps/v1', '1.9'],
  ['apps/v1beta2', 'ReplicaSet', '1.16', 'apps/v1', '1.9'],
  [
    'admissionregistration.k8s.io/v1beta1',
    'MutatingWebhookConfiguration',
    '1.22',
    'admissionregistration.k8s.io/v1',
    '1.16',
  ],
  [
    'admissionregistration.k8s.io/v1beta1',
    'ValidatingWebhookConfiguration',
    '1.22',
    'admissionregistration.k8s.io/v1',
    '1.16',
  ],
  ['apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', '1.22', 'apiextensions.k8s.io/v1', '1.16'],
  ['apiregistration.k8s.io/v1beta1', 'APIService', '1.22', 'apiregistration.k8s.io/v1', '1.10'],
  ['authentication.k8s.io/v1beta1', 'TokenReview', '1.22', 'authentication.k8s.io/v1', '1.6'],
  ['authorization.k8s.io/v1beta1', 'LocalSubjectAccessReview', '1.22', 'authorization.k8s.io/v1', '1.6'],
  ['authorization.k8s.io/v1beta1', 'SelfSubjectAccessReview', '1.22', 'authorization.k8s.io/v1', '1.6'],
  ['authorization.k8s.io/v1beta1', 'SubjectAccessReview', '1.22', 'authorization.k8s.io/v1', '1.6'],
  ['certificates.k8s.io/v1beta1', 'CertificateSigningRequest', '1.22', 'certificates.k8s.io/v1', '1.19'],
  ['coordination.k8s.io/v1beta1', 'Lease', '1.22', 'coordination.k8s.io/v1', '1.14'],
  ['extensions/v1beta1', 'Ingress', '1.22', 'networking.k8s.io/v1', '1.19'],
  ['networking.k8s.io/v1beta1', 'Ingress', '1.22', 'networking.k8s.io/v1', '1.19'],
  ['networking.k8s.io/v1beta1', 'IngressClass', '1.22', 'networking.k8s.io/v1', '1.19'],
  ['rbac.authorization.k8s.io/v1beta1', 'ClusterRole', '1.22', 'rbac.authorization.k8s.io/v1', '1.8'],
  ['rbac.authorization.k8s.io/v1beta1', 'ClusterRoleBinding', '1.22', 'rbac.authorization.k8s.io/v1', '1.8'],
  ['rbac.authorization.k8s.io/v1beta1', 'Role', '1.22', 'rbac.authorization.k8s.io/v1', '1.8'],
  ['rbac.authorization.k8s.io/v1beta1', 'RoleBinding', '1.22', 'rbac.authorization.k8s.io/v1', '1.8'],
  ['scheduling.k8s.io/v1beta1', 'PriorityClass', '1.22', 'scheduling.k8s.io/v1', '1.14'],
  ['storage.k8s.io/v1beta1', 'CSIDriver', '1.22', 'storage.k8s.io/v1', '1.19'],
  ['storage.k8s.io/v1beta1', 'CSINode', '1.22', 'storage.k8s.io/v1', '1.17'],
  ['storage.k8s.io/v1beta1', 'StorageClass', '1.22', 'storage.k8s.io/v1', '1.6'],
  ['storage.k8s.io/v1beta1', 'VolumeAttachment', '1.22', 'storage.k8s.io/v1', '1.13'],
  ['batch/v1beta1', 'CronJob', '1.25', 'batch/v1', '1.21'],
  ['discovery.k8s.io/v1beta1', 'EndpointSlice', '1.25', 'discovery.k8s.io/v1', '1.21'],
  ['events.k8s.io/v1beta1', 'Event', '1.25', 'events.k8s.io/v1', '1.19'],
  ['autoscaling/v2beta1', 'HorizontalPodAutoscaler', '1.25', 'autoscaling/v2', '1.23'],
  ['policy/v1beta1', 'PodDisruptionBudget', '1.25', 'policy/v1', '1.21'],
  ['policy/v1beta1', 'PodSecurityPolicy', '1.25', undefined, undefined],
  ['node.k8s.io/v1beta1', 'RuntimeClass', '1.25', 'node.k8s.io/v1', '1.20'],
  // #flowcontrol-resources-v126: "use the flowcontrol.apiserver.k8s.io/v1beta3 API version, available since v1.26".
  ['flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema', '1.26', 'flowcontrol.apiserver.k8s.io/v1beta3', '1.26'],
  [
    'flowcontrol.apiserver.k8s.io/v1beta1',
    'PriorityLevelConfiguration',
    '1.26',
    'flowcontrol.apiserver.k8s.io/v1beta3',
    '1.26',
  ],
  ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.26', 'autoscaling/v2', '1.23'],
  ['storage.k8s.io/v1beta1', 'CSIStorageCapacity', '1.27', 'storage.k8s.io/v1', '1.24'],
  ['flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema', '1.29', 'flowcontrol.apiserver.k8s.io/v1', '1.29'],
  [
    'flowcontrol.apiserver.k8s.io/v1beta2',
    'PriorityLevelConfiguration',
    '1.29',
    'flowcontrol.apiserver.k8s.io/v1',
    '1.29',
  ],
  ['flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.32', 'flowcontrol.apiserver.k8s.io/v1', '1.29'],
  [
    'flowcontrol.apiserver.k8s.io/v1beta3',
    'PriorityLevelConfiguration',
    '1.32',
    'flowcontrol.apiserver.k8s.io/v1',
    '1.29',
  ],
];

/**
 * Alpha versions the guide does not list, removed with their beta: the v1.17 and v1.22 release notes, as pluto's
 * versions.yaml (https://github.com/FairwindsOps/pluto) records them.
 */
const alphaRemovals: typeof guide = [
  ['scheduling.k8s.io/v1alpha1', 'PriorityClass', '1.17', 'scheduling.k8s.io/v1', '1.14'],
  ['rbac.authorization.k8s.io/v1alpha1', 'ClusterRole', '1.22', 'rbac.authorization.k8s.io/v1', '1.8'],
  ['rbac.authorization.k8s.io/v1alpha1', 'ClusterRoleBinding', '1.22', 'rbac.authorization.k8s.io/v1', '1.8'],
  ['rbac.authorization.k8s.io/v1alpha1', 'Role', '1.22', 'rbac.authorization.k8s.io/v1', '1.8'],
  ['rbac.authorization.k8s.io/v1alpha1', 'RoleBinding', '1.22', 'rbac.authorization.k8s.io/v1', '1.8'],
  // The CSI snapshot CRDs, as kube-no-trouble's deprecated-1-24 rules (https://github.com/doitintl/kube-no-trouble).
  ['snapshot.storage.k8s.io/v1beta1', 'VolumeSnapshot', '1.24', 'snapshot.storage.k8s.io/v1', '1.20'],
  ['snapshot.storage.k8s.io/v1beta1', 'VolumeSnapshotClass', '1.24', 'snapshot.storage.k8s.io/v1', '1.20'],
  ['snapshot.storage.k8s.io/v1beta1', 'VolumeSnapshotContent', '1.24', 'snapshot.storage.k8s.io/v1', '1.20'],
];

/**
 * Removals after 1.32, which the guide does not list, from the release notes: v1.33 (kubernetes/kubernetes#129207),
 * v1.34 (#132000), v1.35 (#134625, #134784), v1.36 (#136976), and the beta removal k8s.io/api's prerelease-lifecycle
 * tags schedule for resource.k8s.io/v1beta1. Rows: apiVersion, kind, deprecated, removed, replacement, served since.
 */
const laterRemovals: [string, string, string, string, string, string][] = [
  [
    'admissionregistration.k8s.io/v1alpha1',
    'ValidatingAdmissionPolicy',
    '1.29',
    '1.33',
    'admissionregistration.k8s.io/v1',
    '1.30',
  ],
  [
    'admissionregistration.k8s.io/v1alpha1',
    'ValidatingAdmissionPolicyBinding',
    '1.29',
    '1.33',
    'admissionregistration.k8s.io/v1',
    '1.30',
  ],
  ['resource.k8s.io/v1alpha3', 'DeviceClass', '1.34', '1.34', 'resource.k8s.io/v1beta1', '1.32'],
  ['resource.k8s.io/v1alpha3', 'ResourceClaim', '1.34', '1.34', 'resource.k8s.io/v1beta1', '1.32'],
  ['resource.k8s.io/v1alpha3', 'ResourceClaimTemplate', '1.34', '1.34', 'resource.k8s.io/v1beta1', '1.32'],
  ['resource.k8s.io/v1alpha3', 'ResourceSlice', '1.34', '1.34', 'resource.k8s.io/v1beta1', '1.32'],
  ['storage.k8s.io/v1alpha1', 'VolumeAttributesClass', '1.35', '1.35', 'storage.k8s.io/v1', '1.34'],
  [
    'storagemigration.k8s.io/v1alpha1',
    'StorageVersionMigration',
    '1.35',
    '1.35',
    'storagemigration.k8s.io/v1beta1',
    '1.35',
  ],
  ['scheduling.k8s.io/v1alpha1', 'Workload', '1.36', '1.36', 'scheduling.k8s.io/v1alpha2', '1.36'],
  ['resource.k8s.io/v1beta1', 'DeviceClass', '1.35', '1.38', 'resource.k8s.io/v1', '1.34'],
  ['resource.k8s.io/v1beta1', 'ResourceClaim', '1.35', '1.38', 'resource.k8s.io/v1', '1.34'],
  ['resource.k8s.io/v1beta1', 'ResourceClaimTemplate', '1.35', '1.38', 'resource.k8s.io/v1', '1.34'],
  ['resource.k8s.io/v1beta1', 'ResourceSlice', '1.35', '1.38', 'resource.k8s.io/v1', '1.34'],
];

describe('the deprecation table', () => {
  it.each(laterRemovals)(
    '%s %s: deprecated in %s, removed in %s, replaced by %s (served since %s)',
    (apiVersion, kind, deprecatedIn, removedIn, replacement, since) => {
      const entry = findApiDeprecation(apiVersion, kind);
      expect(entry).toMatchObject({ deprecatedIn, removedIn, replacement, replacementAvailableIn: since });
    },
  );

  it('keeps DeviceTaintRule in resource.k8s.io/v1alpha3 served, which v1.34 removed the rest of', () => {
    const rule = findApiDeprecation('resource.k8s.io/v1alpha3', 'DeviceTaintRule');
    expect(rule).toMatchObject({ deprecatedIn: '1.36', replacement: 'resource.k8s.io/v1beta2' });
    expect(rule?.removedIn).toBeUndefined();
    if (!rule) return;
    expect(apiStatusIn(rule, '1.35')).toBeUndefined();
    expect(apiStatusIn(rule, '1.36')).toBe('deprecated');
    const claim = findApiDeprecation('resource.k8s.io/v1alpha3', 'ResourceClaimList');
    expect(claim?.kind).toBe('ResourceClaim');
    if (claim) expect(apiStatusIn(claim, '1.34')).toBe('removed');
  });

  it('advises resource.k8s.io/v1 for a v1alpha3 claim once v1beta1 is gone, and v1beta1 before', () => {
    const claim = findApiDeprecation('resource.k8s.io/v1alpha3', 'ResourceClaim');
    if (!claim) throw new Error('ResourceClaim v1alpha3 missing');
    expect(replacementFor(claim, '1.34')?.apiVersion).toBe('resource.k8s.io/v1beta1');
    expect(replacementFor(claim, '1.38')?.apiVersion).toBe('resource.k8s.io/v1');
  });

  it.each([...guide, ...alphaRemovals])(
    '%s %s: removed in %s, replaced by %s (served since %s)',
    (apiVersion, kind, removedIn, replacement, since) => {
      // Act
      const entry = findApiDeprecation(apiVersion, kind);

      // Assess
      expect(entry).toBeDefined();
      expect(entry?.removedIn).toBe(removedIn);
      expect(entry?.replacement).toBe(replacement);
      expect(entry?.replacementAvailableIn).toBe(since);
      expect(compareMinor(entry?.deprecatedIn ?? '9.99', removedIn)).toBeLessThan(0);
    },
  );

  it('holds exactly the guide’s removals from 1.16 to 1.32, their alpha siblings, the later ones and deprecations with no removal', () => {
    // Act
    const removals = apiDeprecations.filter((d) => d.removedIn);
    const kept = apiDeprecations.filter((d) => !d.removedIn).map((d) => `${d.apiVersion} ${d.kind}`);

    // Assess
    expect(removals.map((d) => `${d.apiVersion} ${d.kind}`).sort()).toEqual(
      [...guide, ...alphaRemovals, ...laterRemovals].map(([v, k]) => `${v} ${k}`).sort(),
    );
    expect([...new Set(removals.map((d) => d.removedIn ?? ''))].sort(compareMinor)).toEqual([
      '1.16',
      '1.17',
      '1.22',
      '1.24',
      '1.25',
      '1.26',
      '1.27',
      '1.29',
      '1.32',
      '1.33',
      '1.34',
      '1.35',
      '1.36',
      '1.38',
    ]);
    expect(kept.sort()).toEqual(['resource.k8s.io/v1alpha3 DeviceTaintRule', 'v1 ComponentStatus', 'v1 Endpoints']);
    expect(new Set(apiDeprecations.map((d) => `${d.apiVersion} ${d.kind}`)).size).toBe(apiDeprecations.length);
  });

  it('says removed from the removal release on, deprecated between deprecation and removal, nothing before', () => {
    // Prepare
    const cronJob = findApiDeprecation('batch/v1beta1', 'CronJob');
    if (!cronJob) throw new Error('CronJob batch/v1beta1 missing');

    // Act / Assess
    expect(apiStatusIn(cronJob, '1.20')).toBeUndefined();
    expect(apiStatusIn(cronJob, '1.21')).toBe('deprecated');
    expect(apiStatusIn(cronJob, '1.24')).toBe('deprecated');
    expect(apiStatusIn(cronJob, '1.25')).toBe('removed');
    expect(apiStatusIn(cronJob, '1.35')).toBe('removed');
  });

  it('keeps a deprecation without removal deprecated forever', () => {
    const endpoints = findApiDeprecation('v1', 'Endpoints');
    if (!endpoints) throw new Error('v1 Endpoints missing');
    expect(apiStatusIn(endpoints, '1.32')).toBeUndefined();
    expect(apiStatusIn(endpoints, '1.33')).toBe('deprecated');
    expect(apiStatusIn(endpoints, '1.40')).toBe('deprecated');
    expect(replacementFor(endpoints, '1.33')).toEqual({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      availableIn: '1.21',
    });
  });

  it('follows a replacement that is itself removed by the target to the one that is served', () => {
    // Prepare
    const v1beta1 = findApiDeprecation('flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema');
    if (!v1beta1) throw new Error('FlowSchema v1beta1 missing');

    // Act / Assess
    expect(replacementFor(v1beta1, '1.26')?.apiVersion).toBe('flowcontrol.apiserver.k8s.io/v1beta3');
    // v1beta3 is deprecated in 1.29, where v1 is served: the advice skips it.
    expect(replacementFor(v1beta1, '1.29')?.apiVersion).toBe('flowcontrol.apiserver.k8s.io/v1');
    expect(replacementFor(v1beta1, '1.33')?.apiVersion).toBe('flowcontrol.apiserver.k8s.io/v1');
    // extensions/v1beta1 PodSecurityPolicy moved to policy/v1beta1, which has no successor once it is gone.
    const psp = findApiDeprecation('extensions/v1beta1', 'PodSecurityPolicy') ?? v1beta1;
    expect(replacementFor(psp, '1.24')).toEqual({
      apiVersion: 'policy/v1beta1',
      kind: 'PodSecurityPolicy',
      availableIn: '1.10',
    });
    expect(replacementFor(psp, '1.25')).toBeUndefined();
  });

  it('judges a <Kind>List in a version as its kind, and a List of anything by its items', () => {
    expect(findApiDeprecation('batch/v1beta1', 'CronJobList')).toBe(findApiDeprecation('batch/v1beta1', 'CronJob'));
    expect(findApiDeprecation('policy/v1beta1', 'PodDisruptionBudgetList')?.removedIn).toBe('1.25');
    expect(findApiDeprecation('v1', 'List')).toBeUndefined();
    expect(findApiDeprecation('apps/v1', 'DeploymentList')).toBeUndefined();
  });

  it('sends flowcontrol v1beta1 to v1beta3 before 1.32, and to v1 once v1beta3 is gone too', () => {
    const entry = findApiDeprecation('flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema');
    if (!entry) throw new Error('flowcontrol v1beta1 is not in the table');
    expect(replacementFor(entry, '1.28')?.apiVersion).toBe('flowcontrol.apiserver.k8s.io/v1beta3');
    expect(replacementFor(entry, '1.32')?.apiVersion).toBe('flowcontrol.apiserver.k8s.io/v1');
  });

  it('does not track APIs that are current', () => {
    expect(findApiDeprecation('apps/v1', 'Deployment')).toBeUndefined();
    expect(findApiDeprecation('networking.k8s.io/v1', 'Ingress')).toBeUndefined();
    expect(findApiDeprecation('policy/v1', 'PodDisruptionBudget')).toBeUndefined();
  });
});
