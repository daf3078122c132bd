/**
 * What a scenario cluster contains when the simulation starts: the kube-system basics every EKS cluster has
 * (CoreDNS with its PodDisruptionBudget, kube-proxy, the VPC CNI), the scenario's workloads and budgets, objects
 * stored in old API versions, and Helm release records. Pure: the state applies the plan.
 */
import type { ScenarioCluster } from '../scenario.js';
import { helmReleaseSecret } from './helm.js';
import type { Json } from './model.js';
import { safeString } from './naming.js';
import { GROUP_LABEL } from './nodes.js';
import type { BudgetSpec } from './pdb.js';
import {
  API_SERVICES,
  CONFIGMAPS,
  ENDPOINT_SLICES,
  MUTATING_WEBHOOKS,
  SECRETS,
  SERVICES,
  type ServedResource,
  storedResource,
  VALIDATING_WEBHOOKS,
} from './resources.js';

export interface WorkloadSeed {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Pod';
  namespace: string;
  name: string;
  replicas: number;
  startupSeconds: number;
  terminationGracePeriodSeconds: number;
  emptyDir: boolean;
  tolerateAll: boolean;
  nodeSelector?: Record<string, string>;
  image: string;
  podLabels: Record<string, string>;
  /** `hostPath` volumes the pods mount. */
  hostPaths: string[];
  /** Pods run but never pass their readiness probe. */
  neverReady: boolean;
}

export interface BudgetSeed {
  namespace: string;
  name: string;
  spec: BudgetSpec;
  matchLabels: Record<string, string>;
}

export interface ObjectSeed {
  resource: ServedResource;
  /** The object without server-set metadata (uid, resourceVersion, creationTimestamp). */
  object: Json;
}

export interface SeedPlan {
  namespaces: string[];
  workloads: WorkloadSeed[];
  budgets: BudgetSeed[];
  objects: ObjectSeed[];
}

/** The EKS default Corefile (https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html). */
const COREFILE = `.:53 {
    errors
    health {
        lameduck 5s
      }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
      pods insecure
      fallthrough in-addr.arpa ip6.arpa
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
}
`;

/** EKS add-on images come from the regional ECR account 602401143452. */
function addonImage(cluster: ScenarioCluster, addon: string, repository: string, fallbackTag: string): string {
  const tag = cluster.addons.find((a) => a.name === addon)?.version ?? fallbackTag;
  return `602401143452.dkr.ecr.${cluster.region}.amazonaws.com/${repository}:${tag}`;
}

function systemWorkloads(cluster: ScenarioCluster): WorkloadSeed[] {
  const common = {
    namespace: 'kube-system',
    emptyDir: false,
    terminationGracePeriodSeconds: 30,
    hostPaths: [],
    neverReady: false,
  };
  return [
    {
      ...common,
      kind: 'Deployment',
      name: 'coredns',
      replicas: 2,
      startupSeconds: 5,
      tolerateAll: false,
      image: addonImage(cluster, 'coredns', 'eks/coredns', 'v1.11.4-eksbuild.2'),
      podLabels: { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' },
    },
    {
      ...common,
      kind: 'DaemonSet',
      name: 'kube-proxy',
      replicas: 0,
      startupSeconds: 3,
      tolerateAll: true,
      image: addonImage(cluster, 'kube-proxy', 'eks/kube-proxy', `v${cluster.version}.0-minimal-eksbuild.1`),
      podLabels: { 'k8s-app': 'kube-proxy' },
    },
    {
      ...common,
      kind: 'DaemonSet',
      name: 'aws-node',
      replicas: 0,
      startupSeconds: 5,
      tolerateAll: true,
      image: addonImage(cluster, 'vpc-cni', 'amazon-k8s-cni', 'v1.19.2-eksbuild.1'),
      podLabels: {
        'app.kubernetes.io/instance': 'aws-vpc-cni',
        'app.kubernetes.io/name': 'aws-node',
        'k8s-app': 'aws-node',
      },
    },
  ];
}

function configMap(
  namespace: string,
  name: string,
  data: Record<string, string>,
  labels?: Record<string, string>,
): ObjectSeed {
  return {
    resource: CONFIGMAPS,
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...(labels && { labels }) }, data },
  };
}

/** A Service and the EndpointSlice the EndpointSlice controller keeps for it, with `ready` of its endpoints ready. */
// https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
function serviceObjects(ref: { namespace: string; name: string }, endpoints: number, ready: number): ObjectSeed[] {
  const addresses = Array.from({ length: endpoints }, (_, i) => ({
    addresses: [`10.0.200.${i + 10}`],
    conditions: { ready: i < ready, serving: i < ready, terminating: false },
  }));
  return [
    {
      resource: SERVICES,
      object: {
        metadata: { name: ref.name, namespace: ref.namespace },
        spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 }] },
      },
    },
    {
      resource: ENDPOINT_SLICES,
      object: {
        metadata: {
          name: `${ref.name}-${safeString(`${ref.namespace}/${ref.name}`, 5)}`,
          namespace: ref.namespace,
          labels: {
            'kubernetes.io/service-name': ref.name,
            'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
          },
        },
        addressType: 'IPv4',
        endpoints: addresses,
        ports: [{ name: 'https', port: 8443, protocol: 'TCP' }],
      },
    },
  ];
}

/**
 * APIService objects: the `Local` ones kube-apiserver registers for its own group versions, and the scenario's
 * aggregated APIs with the Available condition the kube-aggregator would set for them.
 * https://kubernetes.io/docs/concepts/extend-kubernetes/api-extension/apiserver-aggregation/
 */
function aggregatedApiObjects(cluster: ScenarioCluster): ObjectSeed[] {
  const local = [
    'v1.',
    'v1.apps',
    'v1.policy',
    'v1.storage.k8s.io',
    'v1.discovery.k8s.io',
    'v1.admissionregistration.k8s.io',
  ];
  const condition = (available: boolean, reason: string, message: string) => ({
    type: 'Available',
    status: available ? 'True' : 'False',
    lastTransitionTime: '2026-01-01T00:00:00Z',
    reason,
    message,
  });
  const seeds: ObjectSeed[] = local.map((name) => ({
    resource: API_SERVICES,
    object: {
      metadata: { name, labels: { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' } },
      spec: {
        group: name.split('.').slice(1).join('.'),
        version: 'v1',
        groupPriorityMinimum: 18000,
        versionPriority: 15,
      },
      status: { conditions: [condition(true, 'Local', 'Local APIServices are always available')] },
    },
  }));
  for (const a of cluster.apiServices) {
    const [version, ...group] = a.name.split('.');
    seeds.push({
      resource: API_SERVICES,
      object: {
        metadata: { name: a.name },
        spec: {
          group: group.join('.'),
          version,
          service: { ...a.service, port: 443 },
          groupPriorityMinimum: 100,
          versionPriority: 100,
        },
        status: {
          conditions: [
            a.available
              ? condition(true, 'Passed', 'all checks passed')
              : condition(
                  false,
                  'FailedDiscoveryCheck',
                  `failing or missing response from https://${a.service.name}.${a.service.namespace}.svc:443/apis/${group.join('.')}/${version}: the server is currently unable to handle the request`,
                ),
          ],
        },
      },
    });
    seeds.push(...serviceObjects(a.service, 1, a.available ? 1 : 0));
  }
  return seeds;
}

/** Webhook configurations (admissionregistration.k8s.io/v1), each with its Service and endpoints. */
function webhookObjects(cluster: ScenarioCluster): ObjectSeed[] {
  return cluster.webhooks.flatMap((w): ObjectSeed[] => [
    {
      resource: w.kind === 'Validating' ? VALIDATING_WEBHOOKS : MUTATING_WEBHOOKS,
      object: {
        metadata: { name: w.name },
        webhooks: [
          {
            name: `${w.name}.${w.service.namespace}.svc`,
            clientConfig: { service: { ...w.service, path: '/validate', port: 443 } },
            failurePolicy: w.failurePolicy,
            rules: [
              {
                apiGroups: [''],
                apiVersions: ['v1'],
                operations: ['CREATE', 'UPDATE'],
                resources: ['pods'],
                scope: '*',
              },
            ],
            sideEffects: 'None',
            admissionReviewVersions: ['v1'],
            timeoutSeconds: 10,
          },
        ],
      },
    },
    ...serviceObjects(w.service, Math.max(1, w.readyEndpoints), w.readyEndpoints),
  ]);
}

/** The objects and workloads to create for `cluster`. `pluralOf` maps a kind to its resource name. */
export function planSeed(cluster: ScenarioCluster, nowIso: string, pluralOf: (kind: string) => string): SeedPlan {
  const workloads = systemWorkloads(cluster).filter(
    (sys) => !cluster.workloads.some((w) => w.namespace === sys.namespace && w.name === sys.name),
  );
  const budgets: BudgetSeed[] = workloads.some((w) => w.name === 'coredns')
    ? // The EKS CoreDNS add-on ships a budget named after the deployment, selecting k8s-app=kube-dns.
      [
        {
          namespace: 'kube-system',
          name: 'coredns',
          spec: { maxUnavailable: 1 },
          matchLabels: { 'k8s-app': 'kube-dns' },
        },
      ]
    : [];
  for (const w of cluster.workloads) {
    workloads.push({
      kind: w.kind,
      namespace: w.namespace,
      name: w.name,
      replicas: w.kind === 'Pod' ? 1 : w.replicas,
      startupSeconds: w.startupSeconds,
      terminationGracePeriodSeconds: w.terminationGracePeriodSeconds,
      emptyDir: w.emptyDir,
      tolerateAll: w.tolerations === 'all',
      ...(w.nodegroup !== undefined && { nodeSelector: { [GROUP_LABEL]: w.nodegroup } }),
      image: w.image,
      podLabels: { app: w.name },
      hostPaths: w.hostPaths,
      neverReady: w.neverReady,
    });
    if (w.pdb) {
      budgets.push({
        namespace: w.namespace,
        name: `${w.name}-pdb`,
        spec: {
          ...(w.pdb.minAvailable !== undefined && { minAvailable: w.pdb.minAvailable }),
          ...(w.pdb.maxUnavailable !== undefined && { maxUnavailable: w.pdb.maxUnavailable }),
        },
        matchLabels: { app: w.name },
      });
    }
  }

  const objects: ObjectSeed[] = [
    configMap(
      'kube-system',
      'coredns',
      { Corefile: cluster.corefile ?? COREFILE },
      { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' },
    ),
  ];
  for (const o of cluster.objects) {
    const metadata: Json = { name: o.name, ...(o.namespace !== undefined && { namespace: o.namespace }) };
    if (o.lastAppliedApiVersion !== undefined) {
      // kubectl apply records the applied manifest, in the apiVersion it was written in, with a trailing newline.
      const applied = { apiVersion: o.lastAppliedApiVersion, kind: o.kind, metadata: { annotations: {}, ...metadata } };
      metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(applied)}\n` };
    }
    objects.push({
      resource: storedResource(o.apiVersion, o.kind, pluralOf(o.kind), o.namespace !== undefined),
      object: { spec: {}, ...o.body, apiVersion: o.apiVersion, kind: o.kind, metadata },
    });
  }
  objects.push(...aggregatedApiObjects(cluster), ...webhookObjects(cluster));
  for (const release of cluster.helmReleases) {
    objects.push({ resource: SECRETS, object: helmReleaseSecret(release, nowIso) });
  }

  const namespaces = new Set(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  for (const w of workloads) namespaces.add(w.namespace);
  for (const o of objects) {
    const ns = (o.object.metadata as Json).namespace;
    if (typeof ns === 'string') namespaces.add(ns);
  }
  // Every namespace holds the cluster CA bundle, published by the root-ca-cert-publisher controller.
  for (const ns of namespaces) {
    objects.push(
      configMap(ns, 'kube-root-ca.crt', {
        'ca.crt': '-----BEGIN CERTIFICATE-----\nsimulated\n-----END CERTIFICATE-----\n',
      }),
    );
  }
  return { namespaces: [...namespaces].sort(), workloads, budgets, objects };
}
