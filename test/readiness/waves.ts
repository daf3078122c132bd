/** The fixture objects of each removal wave, and where the simulated API shows each one (see waves.test.ts). */
export interface WaveObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /**
   * How a live scan of the simulator finds it: `live` when no newer version of its resource is served, `last-applied`
   * when one is (the API returns it in that version, so only its annotation tells), `none` for kinds that are
   * never stored (reviews are create-only).
   */
  liveSource: 'live' | 'last-applied' | 'none';
}

export const waves: Record<string, WaveObject[]> = {
  '1.16': [
    {
      apiVersion: 'extensions/v1beta1',
      kind: 'NetworkPolicy',
      name: 'networkpolicy-extensions-v1beta1',
      namespace: 'wave',
      liveSource: 'live',
    },
    {
      apiVersion: 'extensions/v1beta1',
      kind: 'PodSecurityPolicy',
      name: 'podsecuritypolicy-extensions-v1beta1',
      liveSource: 'live',
    },
    {
      apiVersion: 'extensions/v1beta1',
      kind: 'DaemonSet',
      name: 'daemonset-extensions-v1beta1',
      namespace: 'wave',
      liveSource: 'last-applied',
    },
    {
      apiVersion: 'apps/v1beta2',
      kind: 'DaemonSet',
      name: 'daemonset-apps-v1beta2',
      namespace: 'wave',
      liveSource: 'last-applied',
    },
    {
      apiVersion: 'extensions/v1beta1',
      kind: 'Deployment',
      name: 'deployment-extensions-v1beta1',
      namespace: 'wave',
      liveSource: 'last-applied',
    },
    {
      apiVersion: 'apps/v1beta1',
      kind: 'Deployment',
      name: 'deployment-apps-v1beta1',
      namespace: 'wave',
      liveSource: 'last-applied',
    },
    {
      apiVersion: 'apps/v1beta2',
      kind: 'Deployment',
      name: 'deployment-apps-v1beta2',
      namespace: 'wave',
      liveSource: 'last-applied',
    },
    {
      apiVersion: 'apps/v1beta1',
      kind: 'StatefulSet',
      name: 'statefulset-apps-v1beta1',
      namespace: 'wave',
      liveSource: 'last-applied',
    },
    {
      apiVersion: 'apps/v1beta2',
      kind: 'StatefulSet',
      name: 'statefulset-apps-v1beta2',
      namespace: 'wave',
      liveSource: 'last-applied',
    },
    {
      apiVersion: 'extensions/v1beta1',
      kind: 'ReplicaSet',
      name: 'replicaset-extensions-v1beta1',
      namespace: 'wave',
      liveSource: 'last-applied',
    },
    {
      apiVersion: 'apps/v1beta1',
      kind: 'ReplicaSet',
      name: 'replicaset-apps-v1beta1',
      namespace: 'wave',
      liveSource: 'last-applied',
    },
    {
      apiVersion: 'apps/v1beta2',
      kind: 'ReplicaSet',
      name: 'replicaset-apps-v1beta2',
      namespace: 'wave',
      liveSource: 'last-applied',
    },
  ],
  '1.22': [
    {
      apiVersion: 'admissionregistration.k8s.io/v1beta1',
      kind: 'MutatingWebhookConfiguration',
      name: 'mutatingwebhookconfiguration-admissionregistration-v1beta1',
      liveSource: 'last-applied',
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1beta1',
      kind: 'ValidatingWebhookConfiguration',
      name: 'validatingwebhookconfiguration-admissionregistration-v1beta1',
      liveSource: 'last-applied',
    },
    {
      apiVersion: 'apiextensions.k8s.io/v1beta1',
      kind: 'CustomResourceDefinition',
      name: 'customresourcedefinition-apiextensions-v1beta1',
      liveSource: 'live',
    },
    {
      apiVersion: 'apiregistration.k8s.io/v1beta1',
      kind: 'APIService',
      name: 'apiservice-apiregistration-v1beta1',
      liveSource: 'last-applied',
    },
    {
      apiVersion: 'authentication.k8s.io/v1beta1',
      kind: 'TokenReview',
      name: 'tokenreview-authentication-v1beta1',
      liveSource: 'none',
    },
    {
      apiVersion: 'authorization.k8s.io/v1beta1',
      kind: 'LocalSubjectAccessReview',
      name: 'localsubjectaccessreview-authorization-v1beta1',
      namespace: 'wave',
      liveSource: 'none',
    },
    {
      apiVersion: 'authorization.k8s.io/v1beta1',
      kind: 'SelfSubjectAccessReview',
      name: 'selfsubjectaccessreview-authorization-v1beta1',
      liveSource: 'none',
    },
    {
      apiVersion: 'authorization.k8s.io/v1beta1',
      kind: 'SubjectAccessReview',
      name: 'subjectaccessreview-authorization-v1beta1',
      liveSource: 'none',
    },
    {
      apiVersion: 'certificates.k8s.io/v1beta1',
      kind: 'CertificateSigningRequest',
      name: 'certificatesigningrequest-certificates-v1beta1',
      liveSource: 'live',
    },
    {
      apiVersion: 'coordination.k8s.io/v1beta1',
      kind: 'Lease',
      name: 'lease-coordination-v1beta1',
      namespace: 'wave',
      liveSource: 'live',
    },
    {
      apiVersion: 'extensions/v1beta1',
      kind: 'Ingress',
      name: 'ingress-extensions-v1beta1',
      namespace: 'wave',
      liveSource: 'live',
    },
    {
      apiVersion: 'networking.k8s.io/v1beta1',
      kind: 'Ingress',
      name: 'ingress-networking-v1beta1',
      namespace: 'wave',
      liveSource: 'live',
    },
    {
      apiVersion: 'networking.k8s.io/v1beta1',
      kind: 'IngressClass',
      name: 'ingressclass-networking-v1beta1',
      liveSource: 'live',
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1beta1',
      kind: 'ClusterRole',
      name: 'clusterrole-rbac-v1beta1',
      liveSource: 'live',
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1beta1',
      kind: 'ClusterRoleBinding',
      name: 'clusterrolebinding-rbac-v1beta1',
      liveSource: 'live',
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1beta1',
      kind: 'Role',
      name: 'role-rbac-v1beta1',
      namespace: 'wave',
      liveSource: 'live',
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1beta1',
      kind: 'RoleBinding',
      name: 'rolebinding-rbac-v1beta1',
      namespace: 'wave',
      liveSource: 'live',
    },
    {
      apiVersion: 'scheduling.k8s.io/v1beta1',
      kind: 'PriorityClass',
      name: 'priorityclass-scheduling-v1beta1',
      liveSource: 'live',
    },
    {
      apiVersion: 'storage.k8s.io/v1beta1',
      kind: 'CSIDriver',
      name: 'csidriver-storage-v1beta1',
      liveSource: 'last-applied',
    },
    { apiVersion: 'storage.k8s.io/v1beta1', kind: 'CSINode', name: 'csinode-storage-v1beta1', liveSource: 'live' },
    {
      apiVersion: 'storage.k8s.io/v1beta1',
      kind: 'StorageClass',
      name: 'storageclass-storage-v1beta1',
      liveSource: 'last-applied',
    },
    {
      apiVersion: 'storage.k8s.io/v1beta1',
      kind: 'VolumeAttachment',
      name: 'volumeattachment-storage-v1beta1',
      liveSource: 'live',
    },
  ],
  '1.25': [
    {
      apiVersion: 'batch/v1beta1',
      kind: 'CronJob',
      name: 'cronjob-batch-v1beta1',
      namespace: 'wave',
      liveSource: 'live',
    },
    {
      apiVersion: 'discovery.k8s.io/v1beta1',
      kind: 'EndpointSlice',
      name: 'endpointslice-discovery-v1beta1',
      namespace: 'wave',
      liveSource: 'last-applied',
    },
    {
      apiVersion: 'events.k8s.io/v1beta1',
      kind: 'Event',
      name: 'event-events-v1beta1',
      namespace: 'wave',
      liveSource: 'live',
    },
    {
      apiVersion: 'autoscaling/v2beta1',
      kind: 'HorizontalPodAutoscaler',
      name: 'horizontalpodautoscaler-autoscaling-v2beta1',
      namespace: 'wave',
      liveSource: 'live',
    },
    {
      apiVersion: 'policy/v1beta1',
      kind: 'PodDisruptionBudget',
      name: 'poddisruptionbudget-policy-v1beta1',
      namespace: 'wave',
      liveSource: 'last-applied',
    },
    {
      apiVersion: 'policy/v1beta1',
      kind: 'PodSecurityPolicy',
      name: 'podsecuritypolicy-policy-v1beta1',
      liveSource: 'live',
    },
    { apiVersion: 'node.k8s.io/v1beta1', kind: 'RuntimeClass', name: 'runtimeclass-node-v1beta1', liveSource: 'live' },
  ],
  '1.26': [
    {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1',
      kind: 'FlowSchema',
      name: 'flowschema-flowcontrol-v1beta1',
      liveSource: 'live',
    },
    {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1',
      kind: 'PriorityLevelConfiguration',
      name: 'prioritylevelconfiguration-flowcontrol-v1beta1',
      liveSource: 'live',
    },
    {
      apiVersion: 'autoscaling/v2beta2',
      kind: 'HorizontalPodAutoscaler',
      name: 'horizontalpodautoscaler-autoscaling-v2beta2',
      namespace: 'wave',
      liveSource: 'live',
    },
  ],
  '1.27': [
    {
      apiVersion: 'storage.k8s.io/v1beta1',
      kind: 'CSIStorageCapacity',
      name: 'csistoragecapacity-storage-v1beta1',
      namespace: 'wave',
      liveSource: 'live',
    },
  ],
  '1.29': [
    {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
      kind: 'FlowSchema',
      name: 'flowschema-flowcontrol-v1beta2',
      liveSource: 'live',
    },
    {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
      kind: 'PriorityLevelConfiguration',
      name: 'prioritylevelconfiguration-flowcontrol-v1beta2',
      liveSource: 'live',
    },
  ],
  '1.32': [
    {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
      kind: 'FlowSchema',
      name: 'flowschema-flowcontrol-v1beta3',
      liveSource: 'live',
    },
    {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
      kind: 'PriorityLevelConfiguration',
      name: 'prioritylevelconfiguration-flowcontrol-v1beta3',
      liveSource: 'live',
    },
  ],
};
