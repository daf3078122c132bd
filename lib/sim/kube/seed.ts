/**
 * What a scenario cluster contains when the simulation starts: the kube-system basics every EKS cluster has
 * (CoreDNS with its PodDisruptionBudget, kube-proxy, the VPC CNI), the scenario's workloads and budgets, objects
 * stored in old API versions, and Helm release records. Pure: the state applies the plan.
 */
import type { ScenarioCluster } from '../scenario.js';
import { helmReleaseSecret } from './helm.js';
import type { Json } from './model.js';
import { GROUP_LABEL } from './nodes.js';
import type { BudgetSpec } from './pdb.js';
import { CONFIGMAPS, SECRETS, type ServedResource, storedResource } from './resources.js';

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
  const common = { namespace: 'kube-system', emptyDir: false, terminationGracePeriodSeconds: 30 };
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
      { Corefile: COREFILE },
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
      object: { apiVersion: o.apiVersion, kind: o.kind, metadata, spec: {} },
    });
  }
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
