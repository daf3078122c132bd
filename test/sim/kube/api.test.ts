import { gunzipSync } from 'node:zlib';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  PolicyV1Api,
  setHeaderOptions,
  type V1Node,
} from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { type KubeApiServer, SimKubernetes, startKubeApiServer } from '../../../sim/kube/index.js';
import { parseScenario } from '../../../sim/scenario.js';
import { SimScheduler } from '../../../sim/scheduler.js';

const presigned =
  'https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=0f1e';
const TOKEN = `k8s-aws-v1.${Buffer.from(presigned).toString('base64url')}`;

const cluster = parseScenario({
  name: 'api',
  clusters: [
    {
      name: 'shop',
      region: 'eu-west-1',
      version: '1.32',
      managedNodegroups: [{ name: 'general', desiredSize: 3 }],
      selfManagedGroups: [{ name: 'legacy', desiredSize: 2 }],
      workloads: [
        { kind: 'Deployment', name: 'web', replicas: 3, pdb: { minAvailable: 2 } },
        { kind: 'StatefulSet', name: 'db', replicas: 2, nodegroup: 'legacy', pdb: { maxUnavailable: 1 } },
      ],
      objects: [
        {
          apiVersion: 'extensions/v1beta1',
          kind: 'Ingress',
          name: 'storefront',
          namespace: 'shop',
          lastAppliedApiVersion: 'extensions/v1beta1',
        },
      ],
      helmReleases: [
        {
          name: 'payments',
          namespace: 'shop',
          chart: 'payments',
          revision: 3,
          manifests: [
            { apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy', name: 'payments' },
            { apiVersion: 'apps/v1', kind: 'Deployment', name: 'payments' },
          ],
        },
      ],
    },
  ],
}).clusters[0];

let now: number;
let kube: SimKubernetes;
let server: KubeApiServer;
let core: CoreV1Api;
let apps: AppsV1Api;
let policy: PolicyV1Api;
let requests: { start: number; end: number };

function clientsFor(url: string, token: string) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'shop', server: url, skipTLSVerify: true }],
    users: [{ name: 'tester', token }],
    contexts: [{ name: 'shop', cluster: 'shop', user: 'tester' }],
    currentContext: 'shop',
  });
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    policy: kc.makeApiClient(PolicyV1Api),
  };
}

function get(path: string, headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }) {
  return fetch(`${server.url}${path}`, { headers });
}

/** Runs `call`, expecting an ApiException; returns its code and parsed Status body. */
async function failure(call: () => Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await call();
  } catch (error) {
    const e = error as { code?: number; body?: unknown };
    return { code: e.code ?? 0, body: typeof e.body === 'string' ? JSON.parse(e.body) : {} };
  }
  throw new Error('expected the call to fail');
}

beforeEach(async () => {
  if (!cluster) throw new Error('scenario has no cluster');
  now = Date.parse('2026-11-21T02:00:00Z');
  kube = new SimKubernetes({ scheduler: new SimScheduler(() => now), clusterName: 'shop' });
  const groups = [
    { name: 'general', kind: 'managed' as const, count: 3 },
    { name: 'legacy', kind: 'self-managed' as const, count: 2 },
  ];
  let n = 0;
  for (const g of groups) {
    for (let i = 0; i < g.count; i++, n++) {
      kube.addNode({
        name: `ip-10-0-${n}-10.eu-west-1.compute.internal`,
        instanceId: `i-0${n}aaaabbbbcccc`,
        availabilityZone: `eu-west-1${'abc'[n % 3]}`,
        group: g.name,
        groupKind: g.kind,
        kubeletVersion: 'v1.32.9-eks-113cf36',
        osImage: 'Amazon Linux 2023.8.20250915',
        instanceType: 'm6i.large',
        maxPods: 29,
        startupSeconds: 0,
      });
    }
  }
  kube.seed(cluster, { gitVersion: 'v1.32.9-eks-113cf36' });
  requests = { start: 0, end: 0 };
  server = await startKubeApiServer(kube, { onRequest: (phase) => requests[phase]++ });
  ({ core, apps, policy } = clientsFor(server.url, TOKEN));
});

afterEach(async () => {
  await server.close();
});

describe('simulated Kubernetes API server', () => {
  it('answers 401 with a Status when the bearer token is missing or not an EKS token', async () => {
    const anonymous = await get('/api/v1/nodes', {});
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Unauthorized',
      code: 401,
    });

    const unsigned = `k8s-aws-v1.${Buffer.from('https://sts.amazonaws.com/?Action=GetCallerIdentity&X-Amz-SignedHeaders=host').toString('base64url')}`;
    const { code } = await failure(() => clientsFor(server.url, unsigned).core.listNode());
    expect(code).toBe(401);
    expect((await core.listNode()).items).toHaveLength(5);
  });

  it('serves /version and discovery, including group versions only seeded objects use', async () => {
    expect(await (await get('/version')).json()).toMatchObject({
      major: '1',
      minor: '32+',
      gitVersion: 'v1.32.9-eks-113cf36',
    });

    const groups = (await (await get('/apis')).json()) as { groups: Array<{ name: string; versions: unknown[] }> };
    // The groups every EKS cluster serves (some empty here), plus extensions, served only for the seeded Ingress.
    // authorization.k8s.io serves SelfSubjectAccessReview (create only) for `kubectl auth can-i`.
    expect(groups.groups.map((g) => g.name)).toEqual([
      'admissionregistration.k8s.io',
      'apiregistration.k8s.io',
      'apps',
      'authorization.k8s.io',
      'discovery.k8s.io',
      'extensions',
      'policy',
      'storage.k8s.io',
    ]);
    const core = (await (await get('/api/v1')).json()) as { resources: Array<{ name: string }> };
    expect(core.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining(['nodes', 'pods', 'pods/eviction', 'configmaps']),
    );
    const extensions = await (await get('/apis/extensions/v1beta1')).json();
    expect(extensions).toMatchObject({
      groupVersion: 'extensions/v1beta1',
      resources: [{ name: 'ingresses', kind: 'Ingress' }],
    });
    expect((await get('/apis/networking.k8s.io/v1')).status).toBe(404);

    const ingress = (await (await get('/apis/extensions/v1beta1/namespaces/shop/ingresses/storefront')).json()) as {
      apiVersion: string;
      metadata: { annotations: Record<string, string> };
    };
    expect(ingress.apiVersion).toBe('extensions/v1beta1');
    const applied = JSON.parse(
      ingress.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] ?? '{}',
    );
    expect(applied).toMatchObject({
      apiVersion: 'extensions/v1beta1',
      kind: 'Ingress',
      metadata: { name: 'storefront' },
    });
  });

  it('pages through five nodes two at a time with continue tokens', async () => {
    const first = await core.listNode({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.metadata?.remainingItemCount).toBe(3);
    const second = await core.listNode({ limit: 2, _continue: first.metadata?._continue ?? '' });
    const third = await core.listNode({ limit: 2, _continue: second.metadata?._continue ?? '' });
    expect(second.items).toHaveLength(2);
    expect(third.items).toHaveLength(1);
    expect(third.metadata?._continue).toBeUndefined();
    const paged = [...first.items, ...second.items, ...third.items].map((n) => n.metadata?.name);
    expect(paged).toEqual(kube.nodeNames());

    const stale = await failure(() => core.listNode({ limit: 2, _continue: 'not-a-token' }));
    expect(stale.code).toBe(410);
    expect(stale.body).toMatchObject({ reason: 'Expired' });
  });

  it('renders nodes as the EKS kubelet registers them', async () => {
    const node = (await core.readNode({ name: 'ip-10-0-0-10.eu-west-1.compute.internal' })) as V1Node;
    expect(node.spec?.providerID).toBe('aws:///eu-west-1a/i-00aaaabbbbcccc');
    expect(node.metadata?.labels).toMatchObject({
      'eks.amazonaws.com/nodegroup': 'general',
      'node.kubernetes.io/instance-type': 'm6i.large',
      'topology.kubernetes.io/zone': 'eu-west-1a',
      'kubernetes.io/arch': 'amd64',
    });
    expect(node.status?.nodeInfo).toMatchObject({
      kubeletVersion: 'v1.32.9-eks-113cf36',
      osImage: 'Amazon Linux 2023.8.20250915',
    });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(node.status?.allocatable?.pods).toBe('29');
    const managed = await core.listNode({ labelSelector: 'eks.amazonaws.com/nodegroup=general' });
    expect(managed.items).toHaveLength(3);
  });

  it('filters pods with label and field selectors', async () => {
    const web = await core.listPodForAllNamespaces({ labelSelector: 'app=web' });
    expect(web.items.map((p) => p.metadata?.name)).toHaveLength(3);
    const both = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app in (web,db),!missing' });
    expect(both.items).toHaveLength(5);
    const notWeb = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app!=web' });
    expect(notWeb.items.map((p) => p.metadata?.name).sort()).toEqual(['db-0', 'db-1']);

    const node = 'ip-10-0-3-10.eu-west-1.compute.internal';
    const onNode = await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` });
    const expected = kube.podsOnNode(node).map((p) => p.name);
    expect(onNode.items.map((p) => p.metadata?.name).sort()).toEqual(expected.sort());
    expect(onNode.items.some((p) => p.metadata?.name?.startsWith('db-'))).toBe(true);
    const notRunning = await core.listPodForAllNamespaces({ fieldSelector: 'status.phase!=Running' });
    expect(notRunning.items).toHaveLength(0);

    const bad = await failure(() => core.listPodForAllNamespaces({ fieldSelector: 'spec.containers=x' }));
    expect(bad.code).toBe(400);
    expect(bad.body.message).toBe('field label not supported: spec.containers');
  });

  it('cordons and taints nodes through merge, strategic merge and JSON patches', async () => {
    const name = 'ip-10-0-0-10.eu-west-1.compute.internal';
    const cordoned = await core.patchNode(
      { name, body: { spec: { unschedulable: true } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(cordoned.spec?.unschedulable).toBe(true);
    expect(cordoned.spec?.taints).toEqual([{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);

    await core.patchNode(
      { name, body: { spec: { unschedulable: null }, metadata: { labels: { drain: 'soon' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const tainted = await core.patchNode({
      name,
      body: [{ op: 'add', path: '/spec/taints', value: [{ key: 'upgrade', value: 'v1.33', effect: 'NoSchedule' }] }],
    });
    expect(tainted.spec?.unschedulable).toBeUndefined();
    expect(tainted.metadata?.labels?.drain).toBe('soon');
    expect(tainted.spec?.taints).toEqual([{ key: 'upgrade', value: 'v1.33', effect: 'NoSchedule' }]);

    // The tainted node ties with ip-10-0-1-10 for the replacement and wins on name, so only the taint keeps it off.
    const [pod] = (await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' })).items;
    await core.deleteNamespacedPod({ namespace: 'default', name: pod?.metadata?.name ?? '' });
    const listed = (await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' })).items;
    const replacement = listed.find(
      (p) => p.metadata?.deletionTimestamp === undefined && p.status?.phase === 'Pending',
    );
    expect(replacement?.spec?.nodeName).toBe('ip-10-0-1-10.eu-west-1.compute.internal');

    const conflict = await failure(() =>
      core.patchNode(
        { name, body: { metadata: { resourceVersion: '1' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(conflict.code).toBe(409);
  });

  it('creates configmaps, refuses a duplicate with 409 AlreadyExists and deletes them', async () => {
    const body = { metadata: { name: 'eks-upgrade-smoke' }, data: { probe: 'ok' } };
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body });
    expect(created.metadata?.uid).toBeDefined();
    const duplicate = await failure(() => core.createNamespacedConfigMap({ namespace: 'default', body }));
    expect(duplicate.code).toBe(409);
    expect(duplicate.body).toMatchObject({
      reason: 'AlreadyExists',
      message: 'configmaps "eks-upgrade-smoke" already exists',
    });
    expect((await core.readNamespacedConfigMap({ namespace: 'default', name: 'eks-upgrade-smoke' })).data).toEqual({
      probe: 'ok',
    });

    const deleted = await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'eks-upgrade-smoke' });
    expect(deleted.status).toBe('Success');
    const gone = await failure(() => core.readNamespacedConfigMap({ namespace: 'default', name: 'eks-upgrade-smoke' }));
    expect(gone.code).toBe(404);
    expect(gone.body).toMatchObject({ reason: 'NotFound', message: 'configmaps "eks-upgrade-smoke" not found' });
    const noNamespace = await failure(() => core.createNamespacedConfigMap({ namespace: 'nowhere', body }));
    expect(noNamespace.body.message).toBe('namespaces "nowhere" not found');
    const corefile = await core.readNamespacedConfigMap({ namespace: 'kube-system', name: 'coredns' });
    expect(corefile.data?.Corefile).toContain('forward . /etc/resolv.conf');
  });

  it('stores Helm releases as Helm 3 does: base64, base64, gzip, JSON with the rendered manifest', async () => {
    const secrets = await core.listNamespacedSecret({ namespace: 'shop', labelSelector: 'owner=helm,status=deployed' });
    expect(secrets.items).toHaveLength(1);
    const secret = secrets.items[0];
    expect(secret?.metadata?.name).toBe('sh.helm.release.v1.payments.v3');
    expect(secret?.type).toBe('helm.sh/release.v1');
    expect(secret?.metadata?.labels).toMatchObject({ name: 'payments', version: '3' });

    const helmEncoded = Buffer.from(secret?.data?.release ?? '', 'base64').toString('utf8');
    const release = JSON.parse(gunzipSync(Buffer.from(helmEncoded, 'base64')).toString('utf8'));
    expect(release).toMatchObject({ name: 'payments', namespace: 'shop', version: 3, info: { status: 'deployed' } });
    const docs = parseAllDocuments(release.manifest).map((d) => d.toJS());
    expect(docs).toEqual([
      expect.objectContaining({
        apiVersion: 'policy/v1beta1',
        kind: 'PodSecurityPolicy',
        metadata: expect.objectContaining({ name: 'payments' }),
      }),
      expect.objectContaining({ apiVersion: 'apps/v1', kind: 'Deployment' }),
    ]);
  });

  it('reports workload and budget status as the controllers would', async () => {
    const deployments = await apps.listDeploymentForAllNamespaces();
    expect(deployments.items.map((d) => `${d.metadata?.namespace}/${d.metadata?.name}`)).toEqual([
      'default/web',
      'kube-system/coredns',
    ]);
    expect(deployments.items[0]?.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
    const daemonsets = await apps.listNamespacedDaemonSet({ namespace: 'kube-system' });
    expect(daemonsets.items.map((d) => [d.metadata?.name, d.status?.numberReady])).toEqual([
      ['aws-node', 5],
      ['kube-proxy', 5],
    ]);
    const sets = await apps.listNamespacedReplicaSet({ namespace: 'default' });
    expect(sets.items[0]?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web' });
    expect((await apps.readNamespacedStatefulSet({ namespace: 'default', name: 'db' })).status?.readyReplicas).toBe(2);

    const web = await policy.readNamespacedPodDisruptionBudget({ namespace: 'default', name: 'web-pdb' });
    expect(web.status).toMatchObject({ expectedPods: 3, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 });
    const coredns = await policy.readNamespacedPodDisruptionBudget({ namespace: 'kube-system', name: 'coredns' });
    expect(coredns.status).toMatchObject({
      expectedPods: 2,
      desiredHealthy: 1,
      currentHealthy: 2,
      disruptionsAllowed: 1,
    });
  });

  it('tells the local runner when each request starts and ends', async () => {
    const before = { ...requests };
    await core.listNode();
    await failure(() => core.readNode({ name: 'missing' }));
    expect(requests.start - before.start).toBe(2);
    expect(requests.end - before.end).toBe(2);
  });
});
