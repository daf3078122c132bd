/**
 * Health before the hop: an upgrade started on a sick cluster cannot tell its own damage from what was there.
 * EKS side: cluster status and health issues, managed node groups and add-ons (DescribeCluster, DescribeNodegroup,
 * DescribeAddon `health.issues`). Kubernetes side: nodes, kube-system pods, aggregated APIs and admission webhooks.
 */
import type { V1EndpointSlice, V1MutatingWebhook, V1ValidatingWebhook } from '@kubernetes/client-node';
import { type KubeApis, listAll } from '../../kube/index.js';
import { compareMinor, minorOf } from '../../versions/index.js';
import type { ClusterFacts, ReadinessRequest } from '../context.js';
import { count, type Finding, finding } from '../findings.js';
import { listIfServed } from './facts.js';
import type { PodFacts } from './pods.js';

/** The control plane: ACTIVE, at a version inside the hop, without health issues. */
export function clusterFindings(facts: ClusterFacts, request: ReadinessRequest): Finding[] {
  const { cluster } = facts;
  const findings: Finding[] = [];
  if (cluster.status !== 'ACTIVE' && cluster.status !== 'UPDATING') {
    findings.push(
      finding({
        id: 'cluster-not-active',
        area: 'health',
        severity: 'blocker',
        message: `The cluster's status is ${cluster.status}, and EKS only updates an ACTIVE cluster.`,
        objects: [`cluster/${request.cluster}`],
        fix: 'Wait until the cluster is ACTIVE, or resolve what keeps it from being so.',
        hard: true,
      }),
    );
  }
  const version = minorOf(cluster.version ?? '0.0');
  if (compareMinor(version, request.from) < 0 || compareMinor(version, request.to) > 0) {
    findings.push(
      finding({
        id: 'control-plane-version',
        area: 'health',
        severity: 'blocker',
        message: `The control plane runs ${version}, outside this hop (${request.from} → ${request.to}).`,
        objects: [`cluster/${request.cluster}`],
        fix: 'Start a new run so that the plan starts from the current version.',
        hard: true,
      }),
    );
  }
  for (const issue of cluster.health?.issues ?? []) {
    findings.push(
      finding({
        id: 'cluster-health',
        area: 'health',
        severity: 'blocker',
        message: `EKS reports a control plane health issue: ${issue.code}: ${issue.message}`,
        objects: issue.resourceIds?.length ? issue.resourceIds : [`cluster/${request.cluster}`],
        fix: 'Resolve the health issue EKS reports (see the cluster health page in the EKS console) before upgrading.',
      }),
    );
  }
  return findings;
}

/** Managed node groups and add-ons: not ACTIVE blocks (EKS refuses or fails their update), health issues warn. */
export function eksResourceFindings(facts: ClusterFacts): Finding[] {
  const sick = [
    ...facts.nodegroups.map((g) => ({
      ref: `nodegroup/${g.nodegroupName}`,
      status: g.status ?? 'UNKNOWN',
      issues: (g.health?.issues ?? []).map((i) => `${i.code}: ${i.message}`),
    })),
    ...facts.addons.map((a) => ({
      ref: `addon/${a.addonName}`,
      status: a.status ?? 'UNKNOWN',
      issues: (a.health?.issues ?? []).map((i) => `${i.code}: ${i.message}`),
    })),
  ];
  // An update that is already running is not a fault: the pipeline attaches to it.
  const broken = sick.filter((r) => !['ACTIVE', 'UPDATING', 'CREATING'].includes(r.status));
  const troubled = sick.filter((r) => !broken.includes(r) && r.issues.length > 0);
  const findings: Finding[] = [];
  if (broken.length) {
    findings.push(
      finding({
        id: 'eks-resource-unhealthy',
        area: 'health',
        severity: 'blocker',
        message: `${count(broken.length, 'managed node group or add-on is', 'managed node groups or add-ons are')} not ACTIVE.`,
        objects: broken.map((r) => `${r.ref} ${r.status}${r.issues.length ? ` (${r.issues.join('; ')})` : ''}`),
        fix: 'Resolve the health issues EKS lists for them, until they are ACTIVE again.',
      }),
    );
  }
  if (troubled.length) {
    findings.push(
      finding({
        id: 'eks-resource-health-issues',
        area: 'health',
        severity: 'warning',
        message: `EKS reports health issues on ${count(troubled.length, 'managed node group or add-on', 'managed node groups or add-ons')}.`,
        objects: troubled.map((r) => `${r.ref} (${r.issues.join('; ')})`),
        fix: 'Resolve the health issues EKS lists before upgrading, so the upgrade does not hide them.',
      }),
    );
  }
  return findings;
}

/** Nodes that are not Ready may hold pods that cannot move, and hide what the upgrade does to them. */
export function nodeFindings(facts: ClusterFacts): Finding[] {
  const notReady = facts.nodes.filter((n) => !n.ready).map((n) => `Node ${n.name}`);
  if (!notReady.length) return [];
  return [
    finding({
      id: 'nodes-not-ready',
      area: 'health',
      severity: 'warning',
      message: `${count(notReady.length, 'node is', 'nodes are')} not Ready.`,
      objects: notReady,
      fix: 'Find out why those nodes are NotReady (kubectl describe node) and repair or replace them first.',
    }),
  ];
}

/** kube-system pods (CoreDNS, kube-proxy, the VPC CNI, controllers) that are not Ready. */
export function kubeSystemPodFindings(pods: PodFacts): Finding[] {
  if (!pods.kubeSystemNotReady.length) return [];
  return [
    finding({
      id: 'kube-system-pods-not-ready',
      area: 'health',
      severity: 'warning',
      message: `${count(pods.kubeSystemNotReady.length, 'kube-system pod is', 'kube-system pods are')} not Ready.`,
      objects: pods.kubeSystemNotReady,
      fix: 'Make the cluster components in kube-system healthy (kubectl -n kube-system describe pod) before upgrading.',
    }),
  ];
}

/** Aggregated APIs whose Available condition is not True break discovery, namespace deletion and clients. */
export async function apiServiceFindings(kube: KubeApis): Promise<Finding[]> {
  const services = await listIfServed(() => listAll((page) => kube.apiRegistration.listAPIService(page)));
  const unavailable = services
    .map((s) => ({ s, available: s.status?.conditions?.find((c) => c.type === 'Available') }))
    .filter(({ available }) => available?.status !== 'True')
    .map(({ s, available }) => `APIService ${s.metadata?.name} (${available?.reason ?? 'no Available condition'})`);
  if (!unavailable.length) return [];
  return [
    finding({
      id: 'apiservice-unavailable',
      area: 'health',
      severity: 'warning',
      message: `${count(unavailable.length, 'aggregated API is', 'aggregated APIs are')} unavailable: discovery is incomplete and namespace deletion stalls.`,
      objects: unavailable,
      fix: 'Repair the services behind them (often metrics-server) or delete APIServices nobody serves any more.',
    }),
  ];
}

async function readyEndpoints(kube: KubeApis, namespace: string, service: string): Promise<number> {
  const slices: V1EndpointSlice[] = await listIfServed(() =>
    listAll((page) =>
      kube.endpointSlices.listNamespacedEndpointSlice({
        namespace,
        labelSelector: `kubernetes.io/service-name=${service}`,
        ...page,
      }),
    ),
  );
  // A nil ready condition means ready (discovery.k8s.io/v1 EndpointConditions).
  return slices.flatMap((s) => s.endpoints).filter((e) => e.conditions?.ready !== false).length;
}

/** Webhooks served by an in-cluster Service that has no ready endpoint, with their failure policy. */
async function deadWebhooks(kube: KubeApis): Promise<Array<{ ref: string; failing: boolean }>> {
  const configurations = [
    ...(await listIfServed(() => listAll((page) => kube.admission.listValidatingWebhookConfiguration(page)))).map(
      (c) => ({ kind: 'ValidatingWebhookConfiguration', name: c.metadata?.name, webhooks: c.webhooks ?? [] }),
    ),
    ...(await listIfServed(() => listAll((page) => kube.admission.listMutatingWebhookConfiguration(page)))).map(
      (c) => ({ kind: 'MutatingWebhookConfiguration', name: c.metadata?.name, webhooks: c.webhooks ?? [] }),
    ),
  ];
  const dead: Array<{ ref: string; failing: boolean }> = [];
  for (const c of configurations) {
    for (const w of c.webhooks as Array<V1ValidatingWebhook | V1MutatingWebhook>) {
      const svc = w.clientConfig.service;
      if (!svc || (await readyEndpoints(kube, svc.namespace, svc.name)) > 0) continue;
      const failing = (w.failurePolicy ?? 'Fail') === 'Fail';
      const policy = failing ? 'Fail' : 'Ignore';
      dead.push({
        ref: `${c.kind} ${c.name}: ${w.name} → Service ${svc.namespace}/${svc.name} (failurePolicy ${policy})`,
        failing,
      });
    }
  }
  return dead;
}

/**
 * Admission webhooks served by a Service without ready endpoints: with failurePolicy Fail (the v1 default) the
 * API server rejects every request they match, so replacement pods cannot be created and drains stall.
 * https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#failure-policy
 */
export async function webhookFindings(kube: KubeApis): Promise<Finding[]> {
  const dead = await deadWebhooks(kube);
  const failing = dead.filter((d) => d.failing).map((d) => d.ref);
  const ignored = dead.filter((d) => !d.failing).map((d) => d.ref);
  const findings: Finding[] = [];
  if (failing.length) {
    findings.push(
      finding({
        id: 'webhook-no-endpoints',
        area: 'health',
        severity: 'blocker',
        message: `${count(failing.length, 'admission webhook with failurePolicy Fail has', 'admission webhooks with failurePolicy Fail have')} no ready endpoint, so the API server rejects the requests they match.`,
        objects: failing,
        fix: 'Bring the webhook services back, or delete webhook configurations nobody serves, before upgrading.',
      }),
    );
  }
  if (ignored.length) {
    findings.push(
      finding({
        id: 'webhook-no-endpoints',
        area: 'health',
        severity: 'warning',
        message: `${count(ignored.length, 'admission webhook has', 'admission webhooks have')} no ready endpoint; failurePolicy Ignore lets requests through unchecked.`,
        objects: ignored,
        fix: 'Bring the webhook services back, or delete webhook configurations nobody serves.',
      }),
    );
  }
  return findings;
}
