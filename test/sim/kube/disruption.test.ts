import { CoreV1Api, KubeConfig, PolicyV1Api, type V1Pod } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { type KubeApiServer, SimKubernetes, type SimNodeSpec, startKubeApiServer } from '../../../sim/kube/index.js';
import { computeBudgetStatus } from '../../../sim/kube/pdb.js';
import { parseScenario, type ScenarioWorkload } from '../../../sim/scenario.js';
import { SimScheduler } from '../../../sim/scheduler.js';

const presigned =
  'https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=ab12';
const TOKEN = `k8s-aws-v1.${Buffer.from(presigned).toString('base64url')}`;

interface World {
  kube: SimKubernetes;
  core: CoreV1Api;
  policy: PolicyV1Api;
  /** Moves simulated time forward; the next request (or state call) runs what fell due. */
  advance(seconds: number): void;
}

let now = 0;
let server: KubeApiServer | undefined;

function nodeSpec(index: number, group: string, overrides: Partial<SimNodeSpec> = {}): SimNodeSpec {
  return {
    name: `ip-10-0-${index}-20.eu-west-1.compute.internal`,
    instanceId: `i-0${index}ffffeeeedddd`,
    availabilityZone: `eu-west-1${'abc'[index % 3]}`,
    group,
    groupKind: 'managed',
    kubeletVersion: 'v1.31.12-eks-99d6cc0',
    osImage: 'Amazon Linux 2023.8.20250915',
    instanceType: 'm6i.large',
    maxPods: 29,
    startupSeconds: 0,
    ...overrides,
  };
}

/** A cluster with `nodes` Ready nodes in group `workers` (plus `extra` groups), seeded with `workloads`. */
async function world(options: {
  nodes: number;
  workloads: Array<Partial<ScenarioWorkload> & { kind: ScenarioWorkload['kind']; name: string }>;
  extraGroups?: Array<{ name: string; nodes: number }>;
}): Promise<World> {
  now = Date.parse('2026-11-21T02:00:00Z');
  const groups = [{ name: 'workers', nodes: options.nodes }, ...(options.extraGroups ?? [])];
  const cluster = parseScenario({
    name: 'disruption',
    clusters: [
      {
        name: 'payments',
        region: 'eu-west-1',
        version: '1.31',
        managedNodegroups: groups.map((g) => ({ name: g.name, desiredSize: g.nodes })),
        workloads: options.workloads,
      },
    ],
  }).clusters[0];
  if (!cluster) throw new Error('no cluster');
  const kube = new SimKubernetes({ scheduler: new SimScheduler(() => now), clusterName: 'payments' });
  let index = 0;
  for (const g of groups) for (let i = 0; i < g.nodes; i++) kube.addNode(nodeSpec(index++, g.name));
  kube.seed(cluster);
  server = await startKubeApiServer(kube);
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'payments', server: server.url, skipTLSVerify: true }],
    users: [{ name: 'tester', token: TOKEN }],
    contexts: [{ name: 'payments', cluster: 'payments', user: 'tester' }],
    currentContext: 'payments',
  });
  return {
    kube,
    core: kc.makeApiClient(CoreV1Api),
    policy: kc.makeApiClient(PolicyV1Api),
    advance: (seconds) => {
      now += seconds * 1000;
    },
  };
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failure(call: () => Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await call();
  } catch (error) {
    const e = error as { code?: number; body?: unknown };
    return { code: e.code ?? 0, body: typeof e.body === 'string' ? JSON.parse(e.body) : {} };
  }
  throw new Error('expected the call to fail');
}

async function evict(w: World, namespace: string, name: string): Promise<number> {
  try {
    await w.core.createNamespacedPodEviction({
      namespace,
      name,
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } },
    });
    return 201;
  } catch (error) {
    return (error as { code?: number }).code ?? 0;
  }
}

async function pods(w: World, labelSelector: string): Promise<V1Pod[]> {
  return (await w.core.listPodForAllNamespaces({ labelSelector })).items;
}

const ready = (p: V1Pod) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

describe('Eviction API and PodDisruptionBudgets', () => {
  it('evicts a pod its budget allows, then answers 429 naming the budget for the next one', async () => {
    const w = await world({
      nodes: 3,
      workloads: [{ kind: 'Deployment', name: 'api', replicas: 3, pdb: { minAvailable: 2 } }],
    });
    const [first, second] = await pods(w, 'app=api');

    expect(await evict(w, 'default', first?.metadata?.name ?? '')).toBe(201);
    const evicted = await w.core.readNamespacedPod({ namespace: 'default', name: first?.metadata?.name ?? '' });
    expect(evicted.metadata?.deletionTimestamp).toBeDefined();
    // Same instant: the budget already counts the first eviction.
    const blocked = await failure(() =>
      w.core.createNamespacedPodEviction({ namespace: 'default', name: second?.metadata?.name ?? '', body: {} }),
    );
    expect(blocked.code).toBe(429);
    expect(blocked.body).toMatchObject({
      kind: 'Status',
      reason: 'TooManyRequests',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: 'The disruption budget api-pdb needs 2 healthy pods and has 2 currently',
          },
        ],
      },
    });
    expect(w.kube.evictPod('default', second?.metadata?.name ?? '')).toMatchObject({
      outcome: 'blocked',
      pdb: 'default/api-pdb',
    });

    // Evicting a pod already terminating succeeds again; a missing pod is 404.
    expect(await evict(w, 'default', first?.metadata?.name ?? '')).toBe(201);
    expect(await evict(w, 'default', 'api-missing')).toBe(404);
    expect(w.kube.disruptionStats().pdbViolations).toBe(0);
  });

  it('lets a blocked eviction through once an operator relaxes the budget', async () => {
    const w = await world({
      nodes: 2,
      workloads: [{ kind: 'Deployment', name: 'ledger', replicas: 2, pdb: { minAvailable: 2 } }],
    });
    const [pod] = await pods(w, 'app=ledger');
    expect(await evict(w, 'default', pod?.metadata?.name ?? '')).toBe(429);
    w.kube.setBudget('default', 'ledger-pdb', { maxUnavailable: 1 });
    const relaxed = await w.policy.readNamespacedPodDisruptionBudget({ namespace: 'default', name: 'ledger-pdb' });
    expect(relaxed.spec?.minAvailable).toBeUndefined();
    expect(relaxed.metadata?.generation).toBe(2);
    expect(relaxed.status).toMatchObject({ observedGeneration: 2, desiredHealthy: 1, disruptionsAllowed: 1 });
    expect(await evict(w, 'default', pod?.metadata?.name ?? '')).toBe(201);
    expect(() => w.kube.setBudget('default', 'nope', { minAvailable: 1 })).toThrow(/nope does not exist/);
  });

  it('answers 500 when more than one budget selects the pod, as Kubernetes does', async () => {
    const w = await world({
      nodes: 2,
      workloads: [{ kind: 'Deployment', name: 'api', replicas: 4, pdb: { maxUnavailable: 1 } }],
    });
    await w.policy.createNamespacedPodDisruptionBudget({
      namespace: 'default',
      body: {
        metadata: { name: 'api-extra' },
        spec: { maxUnavailable: '50%', selector: { matchLabels: { app: 'api' } } },
      },
    });
    const extra = await w.policy.readNamespacedPodDisruptionBudget({ namespace: 'default', name: 'api-extra' });
    expect(extra.status).toMatchObject({ expectedPods: 4, desiredHealthy: 2, disruptionsAllowed: 2 });

    const [pod] = await pods(w, 'app=api');
    const result = await failure(() =>
      w.core.createNamespacedPodEviction({ namespace: 'default', name: pod?.metadata?.name ?? '', body: {} }),
    );
    expect(result.code).toBe(500);
    expect(result.body).toMatchObject({
      reason: 'InternalError',
      message:
        'Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    });
    expect((await pods(w, 'app=api')).every((p) => p.metadata?.deletionTimestamp == null)).toBe(true);
  });

  it('replaces an evicted pod with one that is Pending until a node fits, then Ready after startupSeconds', async () => {
    const w = await world({
      nodes: 2,
      workloads: [
        { kind: 'Deployment', name: 'api', replicas: 2, startupSeconds: 20, terminationGracePeriodSeconds: 10 },
      ],
    });
    const names = w.kube.nodeNames();
    for (const name of names) w.kube.setUnschedulable(name, true);
    const [victim] = await pods(w, 'app=api');
    expect(await evict(w, 'default', victim?.metadata?.name ?? '')).toBe(201);

    const pending = (await pods(w, 'app=api')).find(
      (p) => p.metadata?.deletionTimestamp == null && p.status?.phase === 'Pending',
    );
    expect(pending?.spec?.nodeName).toBeUndefined();
    expect(pending?.status?.conditions?.[0]).toMatchObject({
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
    });
    expect(pending?.status?.conditions?.[0]?.message).toContain(
      '0/2 nodes are available: 2 node(s) were unschedulable',
    );

    w.advance(60);
    const stillPending = await w.core.readNamespacedPod({ namespace: 'default', name: pending?.metadata?.name ?? '' });
    expect(stillPending.status?.phase).toBe('Pending');
    await failure(() => w.core.readNamespacedPod({ namespace: 'default', name: victim?.metadata?.name ?? '' }));

    w.kube.setUnschedulable(names[1] ?? '', false);
    w.advance(19);
    const starting = await w.core.readNamespacedPod({ namespace: 'default', name: pending?.metadata?.name ?? '' });
    expect(starting.spec?.nodeName).toBe(names[1]);
    expect(starting.status?.phase).toBe('Pending');
    expect(ready(starting)).toBe(false);
    w.advance(1);
    const started = await w.core.readNamespacedPod({ namespace: 'default', name: pending?.metadata?.name ?? '' });
    expect(started.status?.phase).toBe('Running');
    expect(ready(started)).toBe(true);
  });

  it('recreates a StatefulSet pod under its own name only once the old one is gone', async () => {
    const w = await world({
      nodes: 3,
      workloads: [
        { kind: 'StatefulSet', name: 'db', replicas: 3, terminationGracePeriodSeconds: 30, startupSeconds: 10 },
      ],
    });
    const before = await w.core.readNamespacedPod({ namespace: 'default', name: 'db-1' });
    expect(await evict(w, 'default', 'db-1')).toBe(201);
    w.advance(29);
    const terminating = await w.core.readNamespacedPod({ namespace: 'default', name: 'db-1' });
    expect(terminating.metadata?.uid).toBe(before.metadata?.uid);
    expect(terminating.metadata?.deletionTimestamp).toBeDefined();
    w.advance(1);
    const recreated = await w.core.readNamespacedPod({ namespace: 'default', name: 'db-1' });
    expect(recreated.metadata?.uid).not.toBe(before.metadata?.uid);
    expect(recreated.metadata?.deletionTimestamp).toBeUndefined();
    expect(ready(recreated)).toBe(false);
    w.advance(10);
    expect(ready(await w.core.readNamespacedPod({ namespace: 'default', name: 'db-1' }))).toBe(true);
  });

  it('drains a whole node within its budgets: some evictions wait for replacements to be Ready', async () => {
    const w = await world({
      nodes: 3,
      workloads: [
        { kind: 'Deployment', name: 'api', replicas: 6, startupSeconds: 15, pdb: { maxUnavailable: 1 } },
        { kind: 'Deployment', name: 'worker', replicas: 3, startupSeconds: 15, pdb: { minAvailable: '60%' } },
      ],
    });
    const node = w.kube.nodeNames()[0] ?? '';
    w.kube.setUnschedulable(node, true);
    const codes: number[] = [];
    for (let round = 0; round < 40; round++) {
      const bound = (await w.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` })).items.filter(
        (p) => p.metadata?.ownerReferences?.[0]?.kind !== 'DaemonSet' && p.metadata?.deletionTimestamp == null,
      );
      if (bound.length === 0) break;
      for (const p of bound) codes.push(await evict(w, p.metadata?.namespace ?? '', p.metadata?.name ?? ''));
      for (const pdb of (await w.policy.listPodDisruptionBudgetForAllNamespaces()).items) {
        expect(pdb.status?.currentHealthy ?? 0).toBeGreaterThanOrEqual(pdb.status?.desiredHealthy ?? 0);
      }
      w.advance(5);
    }
    expect(w.kube.podsOnNode(node).filter((p) => p.ownerKind !== 'DaemonSet')).toEqual([]);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThan(0);
    expect(codes.filter((c) => c === 201).length).toBe(4); // 2 api, 1 coredns, 1 worker were on the node
    expect(codes.every((c) => c === 201 || c === 429)).toBe(true);
    w.advance(60);
    expect((await pods(w, 'app in (api,worker)')).filter(ready)).toHaveLength(9);
    expect(w.kube.disruptionStats()).toEqual({ pdbViolations: 0, podsLost: 0, incidents: [] });
  });
});

describe('nodes coming and going', () => {
  it('joins a node NotReady, makes it Ready after startupSeconds and starts DaemonSet pods on it', async () => {
    const w = await world({ nodes: 1, workloads: [{ kind: 'DaemonSet', name: 'agent', startupSeconds: 5 }] });
    w.kube.addNode(nodeSpec(7, 'workers', { startupSeconds: 90 }));
    w.kube.addNode(nodeSpec(8, 'workers', { startupSeconds: Number.POSITIVE_INFINITY }));
    const joining = await w.core.readNode({ name: nodeSpec(7, 'workers').name });
    expect(joining.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(joining.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toContain(
      'node.kubernetes.io/not-ready:NoSchedule',
    );

    w.advance(90);
    expect(w.kube.isNodeReady(nodeSpec(7, 'workers').name)).toBe(true);
    expect(w.kube.kubeletVersions()).toEqual(['v1.31.12-eks-99d6cc0', 'v1.31.12-eks-99d6cc0', 'v1.31.12-eks-99d6cc0']);
    const agents = (
      await w.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${nodeSpec(7, 'workers').name}` })
    ).items;
    expect(agents.map((p) => p.metadata?.labels?.app ?? p.metadata?.labels?.['k8s-app']).sort()).toEqual([
      'agent',
      'aws-node',
      'kube-proxy',
    ]);
    w.advance(3600);
    expect(w.kube.isNodeReady(nodeSpec(8, 'workers').name)).toBe(false);
    expect(w.kube.podsOnNode(nodeSpec(8, 'workers').name)).toEqual([]);
  });

  it('counts the pods still running on a removed node as lost; controllers replace them, bare pods stay gone', async () => {
    const w = await world({
      nodes: 2,
      workloads: [
        { kind: 'Deployment', name: 'api', replicas: 2 },
        { kind: 'Pod', name: 'debug', nodegroup: 'spare' },
        { kind: 'DaemonSet', name: 'agent' },
      ],
      extraGroups: [{ name: 'spare', nodes: 1 }],
    });
    const [first = '', , spare = ''] = w.kube.nodeNames();
    expect(w.kube.podsOnNode(spare).map((p) => p.name)).toContain('debug');
    const api = w.kube.podsOnNode(first).filter((p) => p.name.startsWith('api-'));
    expect(api).toHaveLength(1);
    const doomed = [...w.kube.podsOnNode(spare), ...w.kube.podsOnNode(first)].filter(
      (p) => p.ownerKind !== 'DaemonSet',
    );

    w.kube.removeNode(spare);
    w.kube.removeNode(first);
    const stats = w.kube.disruptionStats();
    // DaemonSet pods die with their node by design; everything else was killed, not evicted.
    expect(doomed.length).toBeGreaterThanOrEqual(3);
    expect(stats.podsLost).toBe(doomed.length);
    expect(stats.incidents.join('\n')).toContain(`pod default/${api[0]?.name} lost`);
    expect(stats.incidents.join('\n')).toContain('pod default/debug lost');

    expect(await failure(() => w.core.readNamespacedPod({ namespace: 'default', name: 'debug' }))).toMatchObject({
      code: 404,
    });
    w.advance(60);
    const apis = await pods(w, 'app=api');
    expect(apis).toHaveLength(2);
    expect(apis.every((p) => p.spec?.nodeName === w.kube.nodeNames()[0] && ready(p))).toBe(true);
  });

  it('counts a budget violation when a node takes the last healthy pods with it, and only once', async () => {
    const w = await world({
      nodes: 1,
      workloads: [
        { kind: 'Deployment', name: 'ledger', replicas: 2, nodegroup: 'pinned', pdb: { minAvailable: 1 } },
        { kind: 'Deployment', name: 'api', replicas: 2, nodegroup: 'workers', pdb: { maxUnavailable: 1 } },
      ],
      extraGroups: [{ name: 'pinned', nodes: 1 }],
    });
    const pinned = w.kube.nodeNames().find((n) => w.kube.podsOnNode(n).some((p) => p.name.startsWith('ledger-'))) ?? '';
    // An eviction the budget allows is not a violation.
    const [one] = w.kube.podsOnNode(pinned).filter((p) => p.name.startsWith('ledger-'));
    expect(w.kube.evictPod('default', one?.name ?? '')).toMatchObject({ outcome: 'evicted' });
    expect(w.kube.disruptionStats().pdbViolations).toBe(0);

    w.kube.removeNode(pinned);
    const stats = w.kube.disruptionStats();
    expect(stats.pdbViolations).toBe(1);
    expect(stats.incidents.some((i) => i.includes('PodDisruptionBudget default/ledger-pdb violated by node'))).toBe(
      true,
    );
    const ledger = await w.policy.readNamespacedPodDisruptionBudget({ namespace: 'default', name: 'ledger-pdb' });
    expect(ledger.status).toMatchObject({ currentHealthy: 0, desiredHealthy: 1, disruptionsAllowed: 0 });

    // Already below its budget (the replacements have nowhere to run): deleting more is not a second violation.
    const [stuck] = await pods(w, 'app=ledger');
    expect(stuck?.status?.phase).toBe('Pending');
    await w.core.deleteNamespacedPod({ namespace: 'default', name: stuck?.metadata?.name ?? '' });
    expect(w.kube.disruptionStats().pdbViolations).toBe(1);

    // A DELETE ignores budgets: the first stays within api-pdb, the second breaks it.
    const [a, b] = await pods(w, 'app=api');
    await w.core.deleteNamespacedPod({ namespace: 'default', name: a?.metadata?.name ?? '' });
    expect(w.kube.disruptionStats().pdbViolations).toBe(1);
    await w.core.deleteNamespacedPod({ namespace: 'default', name: b?.metadata?.name ?? '', gracePeriodSeconds: 0 });
    expect(w.kube.disruptionStats().pdbViolations).toBe(2);
    expect(w.kube.disruptionStats().incidents.at(-1)).toContain(
      `default/api-pdb violated by pod default/${b?.metadata?.name} deleted`,
    );
  });
});

describe('disruption controller arithmetic', () => {
  const healthy = (n: number, scale: number) =>
    Array.from({ length: n }, () => ({ ready: true, terminating: false, controller: { key: 'rs', scale } }));

  it('rounds percentages up and takes the expected count from the controller scale', () => {
    // 7 replicas, minAvailable 50% → ceil(3.5) = 4 desired.
    expect(computeBudgetStatus({ minAvailable: '50%' }, healthy(7, 7))).toMatchObject({
      expectedPods: 7,
      desiredHealthy: 4,
      disruptionsAllowed: 3,
    });
    // maxUnavailable 30% of 10 → ceil(3) = 3, desired 7; two pods missing still leaves expected at the scale.
    expect(computeBudgetStatus({ maxUnavailable: '30%' }, healthy(8, 10))).toMatchObject({
      expectedPods: 10,
      desiredHealthy: 7,
      currentHealthy: 8,
      disruptionsAllowed: 1,
    });
    // An integer minAvailable counts the matched pods, not the scale.
    expect(computeBudgetStatus({ minAvailable: 2 }, healthy(2, 5))).toMatchObject({
      expectedPods: 2,
      disruptionsAllowed: 0,
    });
  });

  it('allows nothing when a selected pod has no scalable controller (DaemonSet or bare pod)', () => {
    const pods = [...healthy(2, 2), { ready: true, terminating: false, controller: undefined }];
    expect(computeBudgetStatus({ maxUnavailable: 1 }, pods)).toMatchObject({ disruptionsAllowed: 0, syncFailed: true });
    expect(computeBudgetStatus({ minAvailable: 1 }, pods)).toMatchObject({ disruptionsAllowed: 2, syncFailed: false });
  });
});
