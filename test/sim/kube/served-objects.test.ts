import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAll } from '../../../lib/kube/index.js';
import { startKube } from '../../readiness/harness.js';

describe('simulated API server: objects the readiness checks read', () => {
  let cluster: Awaited<ReturnType<typeof startKube>>;

  beforeAll(async () => {
    cluster = await startKube({
      managedNodegroups: [{ name: 'general', desiredSize: 2 }],
      workloads: [
        { kind: 'DaemonSet', name: 'builder', namespace: 'ci', hostPaths: ['/var/run/docker.sock'] },
        { kind: 'Deployment', name: 'stuck', replicas: 1, neverReady: true, startupSeconds: 0 },
      ],
      objects: [
        {
          apiVersion: 'extensions/v1beta1',
          kind: 'Deployment',
          name: 'old-web',
          namespace: 'default',
          lastAppliedApiVersion: 'extensions/v1beta1',
        },
        { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', name: 'old-pdb', namespace: 'default' },
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace: 'alpha' },
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'b', namespace: 'alpha' },
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', namespace: 'beta' },
        {
          apiVersion: 'storage.k8s.io/v1',
          kind: 'StorageClass',
          name: 'gp2',
          body: { provisioner: 'kubernetes.io/aws-ebs' },
        },
      ],
      apiServices: [
        {
          name: 'v1beta1.metrics.k8s.io',
          service: { namespace: 'kube-system', name: 'metrics-server' },
          available: false,
        },
      ],
      webhooks: [{ name: 'guard', service: { namespace: 'security', name: 'guard' }, readyEndpoints: 0 }],
      corefile: '.:53 {\n    upstream\n}\n',
    });
    // No AWS account here: a node joins by hand, as Auto Scaling would have launched it.
    cluster.sim.addNode({
      name: 'ip-10-0-0-10.eu-west-1.compute.internal',
      instanceId: 'i-0123456789abcdef0',
      availabilityZone: 'eu-west-1a',
      group: 'general',
      groupKind: 'managed',
      kubeletVersion: 'v1.32.9-eks-113cf36',
      osImage: 'Amazon Linux 2023',
      instanceType: 'm6i.large',
      maxPods: 29,
      startupSeconds: 0,
    });
  });

  afterAll(async () => {
    await cluster?.close();
  });

  it('serves an object stored through an old version, or a cohabitating group, through the newer one too', async () => {
    // kube-apiserver keeps one storage per resource: apps/v1 returns the Deployment written as extensions/v1beta1.
    const deployments = (await cluster.kube.apps.listNamespacedDeployment({ namespace: 'default' })).items;
    expect(deployments.map((d) => d.metadata?.name)).toContain('old-web');
    const budgets = (await cluster.kube.policy.listNamespacedPodDisruptionBudget({ namespace: 'default' })).items;
    expect(budgets.map((b) => b.metadata?.name)).toContain('old-pdb');
    const read = await cluster.kube.apps.readNamespacedDeployment({ name: 'old-web', namespace: 'default' });
    expect(read.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain(
      '"apiVersion":"extensions/v1beta1"',
    );
  });

  it('pages through one namespace of a large store with limit, continue and remainingItemCount', async () => {
    // Act
    const first = await cluster.kube.core.listNamespacedConfigMap({ namespace: 'alpha', limit: 1 });
    const second = await cluster.kube.core.listNamespacedConfigMap({
      namespace: 'alpha',
      limit: 1,
      _continue: first.metadata?._continue,
    });

    // Assess
    expect(first.items.map((c) => c.metadata?.name)).toEqual(['a']);
    expect(first.metadata?.remainingItemCount).toBe(2); // b and kube-root-ca.crt
    expect(second.items.map((c) => c.metadata?.name)).toEqual(['b']);
    const all = [];
    for await (const c of listAll((page) => cluster.kube.core.listConfigMapForAllNamespaces(page), 2))
      all.push(c.metadata?.name);
    expect(all.filter((n) => n !== 'kube-root-ca.crt')).toEqual(['a', 'b', 'c', 'coredns']);
  });

  it('renders hostPath mounts and pods that never pass their readiness probe', async () => {
    const pods = (await cluster.kube.core.listPodForAllNamespaces()).items;
    const builder = pods.find((p) => p.metadata?.name?.startsWith('builder-'));
    expect(builder?.spec?.volumes?.find((v) => v.hostPath)?.hostPath?.path).toBe('/var/run/docker.sock');
    const stuck = pods.find((p) => p.metadata?.name?.startsWith('stuck-'));
    expect(stuck?.status?.phase).toBe('Running');
    expect(stuck?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
  });

  it('serves APIServices (local and aggregated), webhook configurations, their services’ EndpointSlices and storage', async () => {
    const apiServices = (await cluster.kube.apiRegistration.listAPIService()).items;
    expect(apiServices.find((a) => a.metadata?.name === 'v1.apps')?.status?.conditions?.[0]).toMatchObject({
      status: 'True',
      reason: 'Local',
    });
    expect(
      apiServices.find((a) => a.metadata?.name === 'v1beta1.metrics.k8s.io')?.status?.conditions?.[0],
    ).toMatchObject({ status: 'False', reason: 'FailedDiscoveryCheck' });
    const hooks = (await cluster.kube.admission.listValidatingWebhookConfiguration()).items;
    expect(hooks[0]?.webhooks?.[0]?.clientConfig.service).toMatchObject({ namespace: 'security', name: 'guard' });
    const slices = await cluster.kube.endpointSlices.listNamespacedEndpointSlice({
      namespace: 'security',
      labelSelector: 'kubernetes.io/service-name=guard',
    });
    expect(slices.items[0]?.endpoints.map((e) => e.conditions?.ready)).toEqual([false]);
    expect((await cluster.kube.storage.listStorageClass()).items[0]?.provisioner).toBe('kubernetes.io/aws-ebs');
    const corefile = await cluster.kube.core.readNamespacedConfigMap({ name: 'coredns', namespace: 'kube-system' });
    expect(corefile.data?.Corefile).toBe('.:53 {\n    upstream\n}\n');
  });
});
