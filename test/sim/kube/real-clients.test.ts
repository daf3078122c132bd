/**
 * The simulated API server held to real clients over TLS: @kubernetes/client-node's Watch and informer, the
 * product's own connection path (DescribeCluster's CA, no insecure flag), and real kubectl (watch, label, patch).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { CoreV1Api, KubeConfig, makeInformer, PatchStrategy, setHeaderOptions, Watch } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../lib/aws/clients.js';
import { everyAwsClient } from '../../../lib/aws/every-client.js';
import { connectToCluster, kubeApisFor } from '../../../lib/kube/index.js';
import { type KubeApiServer, SimKubernetes, startKubeApiServer } from '../../../sim/kube/index.js';
import { PODS } from '../../../sim/kube/resources.js';
import { createServingCertificates, type ServingCertificates } from '../../../sim/kube/tls.js';
import { parseScenario } from '../../../sim/scenario.js';
import { SimScheduler } from '../../../sim/scheduler.js';
import { createSimWorld } from '../../../sim/world.js';

const run = promisify(execFile);
const presigned =
  'https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=0f1e';
const TOKEN = `k8s-aws-v1.${Buffer.from(presigned).toString('base64url')}`;
const NODE = (n: number) => `ip-10-0-${n}-10.eu-west-1.compute.internal`;
const KUBECTL = '/usr/bin/kubectl';

const scenario = parseScenario({
  name: 'watch',
  clusters: [
    {
      name: 'shop',
      region: 'eu-west-1',
      version: '1.32',
      managedNodegroups: [{ name: 'general', desiredSize: 3 }],
      workloads: [
        { kind: 'Deployment', name: 'web', replicas: 3, pdb: { minAvailable: 2 } },
        { kind: 'Deployment', name: 'api', replicas: 2 },
      ],
    },
  ],
});

let tls: ServingCertificates;
let now: number;
let kube: SimKubernetes;
let server: KubeApiServer;
/** The server a test started, closed after it. */
let opened: KubeApiServer | undefined;
let kc: KubeConfig;
let core: CoreV1Api;
const stops: (() => void)[] = [];

function kubeConfigFor(url: string, caPem: string | undefined): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'shop', server: url, ...(caPem ? { caData: Buffer.from(caPem).toString('base64') } : {}) }],
    users: [{ name: 'tester', token: TOKEN }],
    contexts: [{ name: 'shop', cluster: 'shop', user: 'tester' }],
    currentContext: 'shop',
  });
  return config;
}

async function startCluster(options: { watchHistory?: number } = {}) {
  const cluster = scenario.clusters[0];
  if (!cluster) throw new Error('scenario has no cluster');
  kube = new SimKubernetes({ scheduler: new SimScheduler(() => now), clusterName: 'shop', ...options });
  for (let n = 0; n < 3; n++) {
    kube.addNode({
      name: NODE(n),
      instanceId: `i-0${n}aaaabbbbcccc`,
      availabilityZone: `eu-west-1${'abc'[n]}`,
      group: 'general',
      groupKind: 'managed',
      kubeletVersion: 'v1.32.9-eks-113cf36',
      osImage: 'Amazon Linux 2023.8.20250915',
      instanceType: 'm6i.large',
      maxPods: 29,
      startupSeconds: 0,
    });
  }
  kube.seed(cluster, { gitVersion: 'v1.32.9-eks-113cf36' });
  server = await startKubeApiServer(kube, { tls });
  opened = server;
  kc = kubeConfigFor(server.url, tls.caPem);
  core = kc.makeApiClient(CoreV1Api);
}

interface Seen {
  type: string;
  name: string;
  resourceVersion: string;
  object: Record<string, unknown>;
}

/** Opens a watch through client-node's Watch; events land in `seen`, `ended` resolves when the server ends it. */
async function watch(path: string, query: Record<string, string | number | boolean>) {
  const seen: Seen[] = [];
  let ended!: (error: unknown) => void;
  const done = new Promise<unknown>((resolve) => {
    ended = resolve;
  });
  const controller = await new Watch(kc).watch(
    path,
    query,
    (type, object) => {
      const meta = (object?.metadata ?? {}) as Record<string, string>;
      seen.push({ type, name: meta.name ?? '', resourceVersion: meta.resourceVersion ?? '', object });
    },
    (error) => ended(error),
  );
  stops.push(() => controller.abort());
  return { seen, done };
}

/** Waits (bounded) until `check` holds. */
async function until(check: () => boolean, what: string, ms = 5000) {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One request over https with the run's CA and the token; the status code and the Status message. */
function call(method: string, path: string, body?: { type: string; text: string }) {
  return new Promise<{ code: number; message: string }>((resolve, reject) => {
    const req = httpsRequest(
      `${server.url}${path}`,
      {
        method,
        ca: tls.caPem,
        headers: { Authorization: `Bearer ${TOKEN}`, ...(body && { 'Content-Type': body.type }) },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ code: res.statusCode ?? 0, message: JSON.parse(text).message }));
      },
    );
    req.on('error', reject);
    req.end(body?.text);
  });
}

/** Lets simulated time run (2 s every 10 ms) until the test ends, so pods start and terminate while kubectl waits. */
function runSimulatedTime() {
  const clock = setInterval(() => {
    now += 2000;
  }, 10);
  stops.push(() => clearInterval(clock));
}

const cordon = (name: string, unschedulable = true) =>
  core.patchNode(
    { name, body: { spec: { unschedulable } } },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );

beforeEach(async () => {
  tls ??= await createServingCertificates();
  now = Date.parse('2026-11-21T02:00:00Z');
});

afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await opened?.close();
  opened = undefined;
});

describe('TLS', () => {
  beforeEach(() => startCluster());

  it('serves https that a client verifies with the CA, without any insecure flag', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const apis = kubeApisFor({
      clusterName: 'shop',
      server: server.url,
      caData: Buffer.from(tls.caPem).toString('base64'),
      token: TOKEN,
    });

    const nodes = await apis.core.listNode();

    expect(nodes.items.map((n) => n.metadata?.name)).toEqual([NODE(0), NODE(1), NODE(2)]);
  });

  it('is refused by a client that does not trust the CA', async () => {
    const stranger = await createServingCertificates();
    const apis = kubeApisFor({
      clusterName: 'shop',
      server: server.url,
      caData: Buffer.from(stranger.caPem).toString('base64'),
      token: TOKEN,
    });

    const error = await apis.core.listNode().then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    );

    expect(String(error?.cause?.code ?? error?.message)).toMatch(/CERT|SIGNATURE|self[- ]signed|verify/i);
  });

  it('still checks the EKS bearer token over TLS', async () => {
    const unauthenticated = new KubeConfig();
    unauthenticated.loadFromOptions({
      clusters: [{ name: 'shop', server: server.url, caData: Buffer.from(tls.caPem).toString('base64') }],
      users: [{ name: 'nobody', token: 'not-an-eks-token' }],
      contexts: [{ name: 'shop', cluster: 'shop', user: 'nobody' }],
      currentContext: 'shop',
    });

    const failure = await unauthenticated
      .makeApiClient(CoreV1Api)
      .listNode()
      .then(
        () => 0,
        (e: { code?: number }) => e.code,
      );

    expect(failure).toBe(401);
  });
});

describe('request bodies', () => {
  beforeEach(() => startCluster());

  it('refuses a body it cannot decode with 415, and a malformed protobuf review with 400, creating nothing', async () => {
    const yaml = await call('POST', '/api/v1/namespaces/default/configmaps', {
      type: 'application/yaml',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n',
    });
    const review = await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      type: 'application/vnd.kubernetes.protobuf',
      text: 'not protobuf',
    });
    const listed = await core.listNamespacedConfigMap({ namespace: 'default' });

    expect(yaml.code).toBe(415);
    expect(yaml.message).toContain('(application/yaml)');
    expect(review).toEqual({
      code: 400,
      message:
        'the body of the request could not be decoded as protobuf: the body does not start with the k8s protobuf prefix',
    });
    expect(listed.items.map((c) => c.metadata?.name)).not.toContain('settings');
  });
});

describe('TLS through DescribeCluster, as the orchestrator connects', () => {
  it('reports the CA that signed the endpoint, and the product connects with it', async () => {
    const world = await createSimWorld(scenario);
    try {
      const aws = createAwsClients({
        classes: everyAwsClient,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIACENTRAL000000000', secretAccessKey: 'central-secret' },
        maxAttempts: 1,
        interceptor: world.cloud.interceptor,
      });
      const described = await aws.eks.send(new DescribeClusterCommand({ name: 'shop' }));

      expect(described.cluster?.endpoint).toMatch(/^https:\/\//);
      expect(Buffer.from(described.cluster?.certificateAuthority?.data ?? '', 'base64').toString()).toBe(
        world.tls.caPem,
      );
      const apis = await connectToCluster({ aws, now: () => new Date() }, { name: 'shop' });
      const nodes = await apis.core.listNode();
      expect(nodes.items).toHaveLength(3);
    } finally {
      await world.close();
    }
  });
});

describe('watch', () => {
  beforeEach(() => startCluster({ watchHistory: 3 }));

  it('from now: ADDED for what exists, then MODIFIED as it changes', async () => {
    const { seen } = await watch('/api/v1/nodes', {});
    await until(() => seen.length >= 3, 'the initial ADDED events');

    await cordon(NODE(1));
    await until(() => seen.length >= 4, 'the MODIFIED event');

    expect(seen.slice(0, 3).map((e) => [e.type, e.name])).toEqual([
      ['ADDED', NODE(0)],
      ['ADDED', NODE(1)],
      ['ADDED', NODE(2)],
    ]);
    const modified = seen[3];
    expect(modified?.type).toBe('MODIFIED');
    expect(modified?.name).toBe(NODE(1));
    expect(modified?.object.kind).toBe('Node');
    expect(modified?.object.spec).toMatchObject({ unschedulable: true });
    expect(Number(modified?.resourceVersion)).toBeGreaterThan(Number(seen[2]?.resourceVersion));
  });

  it('from a resourceVersion: only what changed after it, through the label selector', async () => {
    const listed = await core.listNamespacedPod({ namespace: 'default' });
    const version = listed.metadata?.resourceVersion ?? '';
    const web = listed.items.filter((p) => p.metadata?.labels?.app === 'web');
    const api = listed.items.filter((p) => p.metadata?.labels?.app === 'api');
    const { seen } = await watch('/api/v1/namespaces/default/pods', {
      resourceVersion: version,
      labelSelector: 'app=web',
    });

    await core.deleteNamespacedPod({ namespace: 'default', name: api[0]?.metadata?.name ?? '', gracePeriodSeconds: 0 });
    const gone = web[0]?.metadata?.name ?? '';
    await core.deleteNamespacedPod({ namespace: 'default', name: gone, gracePeriodSeconds: 0 });
    await until(() => seen.some((e) => e.type === 'DELETED'), 'the DELETED event');

    expect(seen.every((e) => (e.object.metadata as { labels?: Record<string, string> }).labels?.app === 'web')).toBe(
      true,
    );
    expect(seen.filter((e) => e.type === 'DELETED').map((e) => e.name)).toEqual([gone]);
    expect(seen.every((e) => Number(e.resourceVersion) > Number(version))).toBe(true);
    // The Deployment replaces the deleted pod: its replacement arrives as ADDED.
    await until(() => seen.some((e) => e.type === 'ADDED'), 'the replacement pod');
  });

  it('reports an object leaving or entering the field selector as DELETED or ADDED', async () => {
    const { seen } = await watch('/api/v1/nodes', { fieldSelector: 'spec.unschedulable=true' });

    await cordon(NODE(2));
    await until(() => seen.length >= 1, 'the cordoned node');
    await cordon(NODE(2), false);
    await until(() => seen.length >= 2, 'the uncordoned node');

    expect(seen.map((e) => [e.type, e.name])).toEqual([
      ['ADDED', NODE(2)],
      ['DELETED', NODE(2)],
    ]);
  });

  it('answers 410 Expired for a resourceVersion older than its history, and the client lists again', async () => {
    const listed = await core.listNamespacedPod({ namespace: 'default' });
    const version = listed.metadata?.resourceVersion ?? '';
    for (const pod of listed.items.slice(0, 4)) {
      await core.deleteNamespacedPod({ namespace: 'default', name: pod.metadata?.name ?? '', gracePeriodSeconds: 0 });
    }

    const { seen, done } = await watch('/api/v1/namespaces/default/pods', { resourceVersion: version });
    await done;

    expect(seen).toHaveLength(1);
    expect(seen[0]?.type).toBe('ERROR');
    expect(seen[0]?.object).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
    expect(String(seen[0]?.object.message)).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it('ends at timeoutSeconds with a bookmark of the current resourceVersion when bookmarks are allowed', async () => {
    const started = performance.now();
    const { seen, done } = await watch('/api/v1/nodes', { timeoutSeconds: 1, allowWatchBookmarks: true });

    const error = await done;
    const elapsed = performance.now() - started;
    const listed = await core.listNode();

    expect(error).toBeNull();
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(seen.at(-1)?.type).toBe('BOOKMARK');
    expect(seen.at(-1)?.resourceVersion).toBe(listed.metadata?.resourceVersion);
  });

  it('sends the initial events and then the initial-events-end bookmark for a watch-list', async () => {
    const { seen } = await watch('/api/v1/nodes', {
      sendInitialEvents: true,
      allowWatchBookmarks: true,
      resourceVersionMatch: 'NotOlderThan',
    });
    await until(() => seen.length >= 4, 'the bookmark');

    expect(seen.map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'ADDED', 'BOOKMARK']);
    expect(seen[3]?.object.metadata).toMatchObject({ annotations: { 'k8s.io/initial-events-end': 'true' } });
  });

  it('refuses malformed watch parameters with 400 and says which', async () => {
    const bad = (query: string) => call('GET', `/api/v1/nodes?watch=true&${query}`);

    expect(await bad('resourceVersion=abc')).toEqual({
      code: 400,
      message: 'resourceVersion: Invalid value: "abc": must be an integer',
    });
    expect((await bad('timeoutSeconds=-1')).code).toBe(400);
    expect((await bad('sendInitialEvents=true')).message).toMatch(/allowWatchBookmarks/);
  });

  it("keeps an informer's cache in step: list, then watch from the list's version", async () => {
    const informer = makeInformer(kc, '/api/v1/nodes', () => core.listNode());
    const events: string[] = [];
    informer.on('add', (node) => events.push(`add ${node.metadata?.name}`));
    informer.on('update', (node) => events.push(`update ${node.metadata?.name} ${node.spec?.unschedulable}`));
    await informer.start();
    stops.push(() => void informer.stop());

    await cordon(NODE(0));
    await until(() => events.length >= 4, 'the update');

    expect(events).toEqual([`add ${NODE(0)}`, `add ${NODE(1)}`, `add ${NODE(2)}`, `update ${NODE(0)} true`]);
    expect(informer.list().find((n) => n.metadata?.name === NODE(0))?.spec?.unschedulable).toBe(true);
  });
});

describe('real kubectl over TLS', () => {
  let dir: string;
  let kubeconfig: string;

  beforeEach(async () => {
    if (!existsSync(KUBECTL)) throw new Error(`${KUBECTL} is missing: install kubectl 1.32 to run this contract test`);
    await startCluster();
    dir = mkdtempSync(join(tmpdir(), 'kubectl-'));
    kubeconfig = join(dir, 'kubeconfig');
    // What `aws eks update-kubeconfig` writes, with the token inline: the CA as certificate-authority-data.
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: shop',
        '  cluster:',
        `    server: ${server.url}`,
        `    certificate-authority-data: ${Buffer.from(tls.caPem).toString('base64')}`,
        'users:',
        '- name: tester',
        '  user:',
        `    token: ${TOKEN}`,
        'contexts:',
        '- name: shop',
        '  context: {cluster: shop, user: tester}',
        'current-context: shop',
        '',
      ].join('\n'),
    );
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const kubectl = (...args: string[]) => run(KUBECTL, ['--kubeconfig', kubeconfig, ...args], { timeout: 20_000 });

  it('authenticates with the CA and the token and lists nodes', async () => {
    const { stdout } = await kubectl('get', 'nodes', '-o', 'name');

    expect(stdout.trim().split('\n')).toEqual([`node/${NODE(0)}`, `node/${NODE(1)}`, `node/${NODE(2)}`]);
  });

  it('`get -w --watch-only` prints a node as it is cordoned', async () => {
    const child = spawn(KUBECTL, ['--kubeconfig', kubeconfig, 'get', 'nodes', '-w', '--watch-only', '-o', 'name']);
    stops.push(() => child.kill());
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      err += c;
    });
    // kubectl lists, then watches from the list's version: wait until its watch is open.
    await new Promise((r) => setTimeout(r, 1500));
    expect(err).toBe('');

    await cordon(NODE(1));
    await until(() => out.includes(NODE(1)), `kubectl to print ${NODE(1)} (stderr: ${err})`, 10_000);

    expect(out.trim().split('\n')).toEqual([`node/${NODE(1)}`]);
  });

  it('`label`, `annotate` and `patch` of metadata change the objects and survive a re-read', async () => {
    await kubectl('label', 'deployment', 'web', 'team=payments');
    await kubectl('patch', 'deployment', 'web', '--type=merge', '-p', '{"metadata":{"annotations":{"owner":"sre"}}}');
    await kubectl('annotate', 'node', NODE(0), 'note=rotating-soon');

    const labels = await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.labels}');
    const owner = await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.annotations.owner}');
    const note = await kubectl('get', 'node', NODE(0), '-o', 'jsonpath={.metadata.annotations.note}');
    expect(JSON.parse(labels.stdout)).toEqual({ app: 'web', team: 'payments' });
    expect(owner.stdout).toBe('sre');
    expect(note.stdout).toBe('rotating-soon');
    // The selector and the pods keep the labels they had: labelling a Deployment does not relabel its pods.
    const pods = await kubectl('get', 'pods', '-l', 'team=payments', '-o', 'name');
    expect(pods.stdout).toBe('');
  });

  it('`label` and `annotate` a pod; a label its controller selects it by is refused, not orphaning the pod', async () => {
    const [pod = ''] = (await kubectl('get', 'pods', '-l', 'app=web', '-o', 'name')).stdout.trim().split('\n');
    await kubectl('label', pod, 'tier=frontend');
    await kubectl('annotate', pod, 'karpenter.sh/do-not-disrupt=true');
    const orphan = await kubectl('label', pod, 'app=other', '--overwrite').then(
      () => undefined,
      (e: { stderr: string; code: number }) => e,
    );

    const selected = await kubectl('get', 'pods', '-l', 'tier=frontend', '-o', 'name');
    const read = await core.readNamespacedPod({ namespace: 'default', name: pod.replace('pod/', '') });
    expect(selected.stdout.trim()).toBe(pod);
    expect(read.metadata?.annotations).toEqual({ 'karpenter.sh/do-not-disrupt': 'true' });
    expect(read.metadata?.labels?.app).toBe('web');
    expect(orphan?.code).toBe(1);
    expect(orphan?.stderr).toContain(
      "is invalid: metadata.labels.app: Forbidden: the pod's controller selects it by app=web",
    );
  });

  it('refuses a change the simulator does not apply with 422 naming the field, and leaves the object as it was', async () => {
    const before = await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.resourceVersion}');

    const refused = await kubectl('set', 'image', 'deployment/web', 'web=nginx:1.27').then(
      () => undefined,
      (e: { stderr: string; code: number }) => e,
    );

    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain('Deployment "web" is invalid: spec.template.spec.containers[0].image: Forbidden');
    const after = await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.resourceVersion}');
    expect(after.stdout).toBe(before.stdout);
  });

  it('`replace` of a Deployment applies what it models and answers a stale copy with 409', async () => {
    const copy = JSON.parse((await kubectl('get', 'deployment', 'web', '-o', 'json')).stdout);
    const relabelled = join(dir, 'relabelled.json');
    writeFileSync(
      relabelled,
      JSON.stringify({ ...copy, metadata: { ...copy.metadata, labels: { app: 'web', owner: 'sre' } } }),
    );
    const stale = join(dir, 'stale.json');
    writeFileSync(stale, JSON.stringify(copy));

    // No OpenAPI document is served yet, so kubectl cannot validate client-side: --validate=false.
    await kubectl('replace', '--validate=false', '-f', relabelled);
    const conflict = await kubectl('replace', '--validate=false', '-f', stale).then(
      () => undefined,
      (e: { stderr: string }) => e,
    );
    const labels = await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.labels}');

    expect(JSON.parse(labels.stdout)).toEqual({ app: 'web', owner: 'sre' });
    expect(conflict?.stderr).toContain(
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified',
    );
  });

  it('`get` prints the columns kubectl shows for the kind, from Tables the server prints', async () => {
    await cordon(NODE(1));

    const nodes = await kubectl('get', 'nodes');
    const wide = await kubectl('get', 'pods', '-o', 'wide');
    const deployments = await kubectl('get', 'deployments');
    const budgets = await kubectl('get', 'pdb');

    const rows = (out: string) =>
      out
        .trim()
        .split('\n')
        .map((line) => line.split(/\s{2,}/));
    expect(rows(nodes.stdout)[0]).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(rows(nodes.stdout).slice(1)).toEqual([
      [NODE(0), 'Ready', '<none>', expect.stringMatching(/^\d+[smhd]/), 'v1.32.9-eks-113cf36'],
      [NODE(1), 'Ready,SchedulingDisabled', '<none>', expect.any(String), 'v1.32.9-eks-113cf36'],
      [NODE(2), 'Ready', '<none>', expect.any(String), 'v1.32.9-eks-113cf36'],
    ]);
    expect(rows(wide.stdout)[0]).toEqual([
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
      'IP',
      'NODE',
      'NOMINATED NODE',
      'READINESS GATES',
    ]);
    const pods = await core.listNamespacedPod({ namespace: 'default' });
    expect(rows(wide.stdout).slice(1)).toHaveLength(pods.items.length);
    for (const row of rows(wide.stdout).slice(1)) {
      const pod = pods.items.find((p) => p.metadata?.name === row[0]);
      expect(row.slice(1, 4)).toEqual(['1/1', 'Running', '0']);
      expect(row[6]).toBe(pod?.spec?.nodeName);
      expect(row[5]).toBe(pod?.status?.podIP);
    }
    expect(rows(deployments.stdout)).toEqual([
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      ['api', '2/2', '2', '2', expect.any(String)],
      ['web', '3/3', '3', '3', expect.any(String)],
    ]);
    expect(rows(budgets.stdout)).toEqual([
      ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'],
      ['web-pdb', '2', 'N/A', '1', expect.any(String)],
    ]);
  });

  it('`get -w` prints the changed row under the same columns', async () => {
    const child = spawn(KUBECTL, ['--kubeconfig', kubeconfig, 'get', 'nodes', '-w']);
    stops.push(() => child.kill());
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    await until(() => out.split('\n').length > 4, 'the initial rows', 10_000);

    await cordon(NODE(2));
    await until(() => out.includes('SchedulingDisabled'), 'the cordoned row', 10_000);

    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(lines.at(-1)).toMatch(new RegExp(`^${NODE(2).replaceAll('.', '\\.')}\\s+Ready,SchedulingDisabled\\s`));
  });

  it('`auth can-i` answers from what the server serves, through the protobuf review kubectl sends', async () => {
    const yes = await kubectl('auth', 'can-i', 'patch', 'nodes');
    const no = await kubectl('auth', 'can-i', 'create', 'deployments').then(
      () => undefined,
      (e: { stdout: string; code: number }) => e,
    );
    const nonResource = await kubectl('auth', 'can-i', 'get', '/healthz');

    expect(yes.stdout.trim()).toBe('yes');
    expect(no?.code).toBe(1);
    expect(no?.stdout.trim()).toBe(
      'no - the simulated API server does not serve create on deployments (it serves delete, get, list, patch, update, watch)',
    );
    expect(nonResource.stdout.trim()).toBe('yes');
  });

  it('creates, labels, patches, replaces and deletes stored objects, and refuses a stale replace with 409', async () => {
    // kubectl sends ConfigMaps and Secrets it creates as protobuf.
    await kubectl('create', 'configmap', 'settings', '--from-literal=a=1', '--from-literal=b=two');
    await kubectl('create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret');
    await kubectl('label', 'configmap', 'settings', 'team=sre');
    await kubectl('patch', 'configmap', 'settings', '-p', '{"data":{"c":"3"}}');
    const stale = join(dir, 'stale.yaml');
    writeFileSync(stale, (await kubectl('get', 'configmap', 'settings', '-o', 'yaml')).stdout);
    await kubectl('patch', 'configmap', 'settings', '--type=json', '-p', '[{"op":"add","path":"/data/d","value":"4"}]');
    // No OpenAPI document is served yet, so kubectl cannot validate client-side: --validate=false.
    const conflict = await kubectl('replace', '--validate=false', '-f', stale).then(
      () => undefined,
      (e: { stderr: string }) => e,
    );
    const settings = await core.readNamespacedConfigMap({ namespace: 'default', name: 'settings' });
    const creds = await core.readNamespacedSecret({ namespace: 'default', name: 'creds' });
    await kubectl('delete', 'configmap', 'settings');
    const afterDelete = await core.listNamespacedConfigMap({ namespace: 'default' });

    expect(settings.data).toEqual({ a: '1', b: 'two', c: '3', d: '4' });
    expect(settings.metadata?.labels).toEqual({ team: 'sre' });
    expect(Buffer.from(creds.data?.password ?? '', 'base64').toString()).toBe('s3cret');
    expect(conflict?.stderr).toContain(
      'Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect(afterDelete.items.map((c) => c.metadata?.name)).toEqual(['kube-root-ca.crt']);
  });

  it('`drain` evicts through the Eviction API within the budget, and stops at a budget that allows nothing', async () => {
    runSimulatedTime();
    const onNode = async (node: string) =>
      (await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` })).items
        .filter((p) => !p.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet'))
        .map((p) => p.metadata?.name ?? '');
    const before = await onNode(NODE(0));

    const drained = await kubectl('drain', NODE(0), '--ignore-daemonsets', '--timeout=60s');
    const after = await onNode(NODE(0));
    // kubectl sends the budget as protobuf.
    await kubectl('create', 'pdb', 'api-frozen', '--selector=app=api', '--max-unavailable=0');
    const apiNode = (await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=api' })).items.find(
      (p) => p.spec?.nodeName !== NODE(0),
    )?.spec?.nodeName as string;
    const blocked = await kubectl('drain', apiNode, '--ignore-daemonsets', '--timeout=3s').then(
      () => undefined,
      (e: { stderr: string; code: number }) => e,
    );
    const stillThere = await onNode(apiNode);
    const node = await core.readNode({ name: apiNode });

    expect(before.length).toBeGreaterThan(0);
    expect(drained.stdout).toContain(`node/${NODE(0)} cordoned`);
    expect(drained.stdout).toContain(`node/${NODE(0)} drained`);
    expect(after).toEqual([]);
    expect(blocked?.code).toBe(1);
    expect(blocked?.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(stillThere.some((name) => name.startsWith('api-'))).toBe(true);
    expect(node.spec?.unschedulable).toBe(true);
    expect(kube.disruptionStats()).toMatchObject({ pdbViolations: 0, podsLost: 0 });
  }, 90_000);

  it('`rollout restart` rolls the pods and `rollout status` follows the rollout to its end', async () => {
    runSimulatedTime();
    const webPods = async () =>
      (await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' })).items
        .filter((p) => !p.metadata?.deletionTimestamp)
        .map((p) => p.metadata?.name ?? '');
    const before = await webPods();

    await kubectl('rollout', 'restart', 'deployment/web');
    const status = await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
    const after = await webPods();

    expect(status.stdout.trim().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');
    expect(after).toHaveLength(3);
    expect(after.filter((name) => before.includes(name))).toEqual([]);
    expect(kube.disruptionStats()).toMatchObject({ pdbViolations: 0, podsLost: 0 });
  }, 90_000);

  it('`scale` goes through the /scale subresource, with its precondition', async () => {
    runSimulatedTime();

    await kubectl('scale', 'deployment/web', '--replicas=5');
    const stale = await kubectl('scale', 'deployment/web', '--replicas=2', '--current-replicas=3').then(
      () => undefined,
      (e: { stderr: string }) => e,
    );
    const status = await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
    const scale = JSON.parse(
      (await kubectl('get', '--raw', '/apis/apps/v1/namespaces/default/deployments/web/scale')).stdout,
    );

    expect(stale?.stderr).toContain('Expected replicas to be 3, was 5');
    expect(status.stdout.trim().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 5 }, status: { replicas: 5, selector: 'app=web' } });
  }, 90_000);

  it('`describe` reads a node, and `get --chunk-size` pages through limit and continue', async () => {
    const described = await kubectl('describe', 'node', NODE(1));
    const paged = await kubectl('get', 'pods', '-A', '--chunk-size=2', '-o', 'name', '-v=6');
    const whole = await kubectl('get', 'pods', '-A', '-o', 'name');

    expect(described.stdout).toMatch(new RegExp(`^Name:\\s+${NODE(1).replaceAll('.', '\\.')}$`, 'm'));
    expect(described.stdout).toMatch(/^ {2}Ready\s+True\s/m);
    expect(described.stdout).toMatch(/^ {2}Kubelet Version:\s+v1\.32\.9-eks-113cf36$/m);
    expect(paged.stdout).toBe(whole.stdout);
    const pages = paged.stderr.split('\n').filter((l) => /GET https:\S+\/api\/v1\/pods\?.*limit=2/.test(l));
    expect(pages.length).toBe(Math.ceil(whole.stdout.trim().split('\n').length / 2));
    expect(pages.slice(1).every((l) => l.includes('continue='))).toBe(true);
  });

  it('`delete deployment` takes its pods with it, gracefully; orphaning them is refused', async () => {
    runSimulatedTime();

    const orphan = await kubectl('delete', 'deployment', 'api', '--cascade=orphan').then(
      () => undefined,
      (e: { stderr: string }) => e,
    );
    const deleted = await kubectl('delete', 'deployment', 'api', '--wait=true');
    await until(
      () => {
        kube.advance();
        return kube.listObjects(PODS, 'default').every((p) => (p.metadata as { name: string }).name.startsWith('web-'));
      },
      "the api pods' termination",
      10_000,
    );
    const left = await kubectl('get', 'deployments', '-o', 'name');

    expect(orphan?.stderr).toContain('propagationPolicy: Unsupported value: "Orphan"');
    expect(deleted.stdout.trim()).toBe('deployment.apps "api" deleted');
    expect(left.stdout.trim()).toBe('deployment.apps/web');
    expect(kube.disruptionStats()).toMatchObject({ pdbViolations: 0, podsLost: 0 });
  }, 60_000);

  it('reads `/status` of the kinds whose status the simulator writes, and refuses writes to it', async () => {
    const read = await kubectl('get', 'node', NODE(0), '--subresource=status');
    const write = await kubectl(
      'patch',
      'node',
      NODE(0),
      '--subresource=status',
      '-p',
      '{"status":{"conditions":[{"type":"Ready","status":"False"}]}}',
    ).then(
      () => undefined,
      (e: { stderr: string }) => e,
    );
    const discovery = JSON.parse((await kubectl('get', '--raw', '/api/v1')).stdout) as {
      resources: Array<{ name: string; verbs: string[] }>;
    };

    expect(read.stdout).toMatch(new RegExp(`^${NODE(0).replaceAll('.', '\\.')}\\s+Ready\\s`, 'm'));
    expect(write?.stderr).toContain('(MethodNotAllowed)');
    expect(discovery.resources.find((r) => r.name === 'nodes/status')?.verbs).toEqual(['get']);
    expect((await core.readNode({ name: NODE(0) })).status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe(
      'True',
    );
  });

  it('`apply` creates then configures (client-side, without OpenAPI validation); server-side apply is refused clearly', async () => {
    const manifest = (x: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  namespace: default\ndata:\n  x: "${x}"\n`;
    const file = join(dir, 'applied.yaml');

    writeFileSync(file, manifest('1'));
    const created = await kubectl('apply', '--validate=false', '-f', file);
    writeFileSync(file, manifest('2'));
    const configured = await kubectl('apply', '--validate=false', '-f', file);
    const serverSide = await kubectl('apply', '--server-side', '--validate=false', '-f', file).then(
      () => undefined,
      (e: { stderr: string; code: number }) => e,
    );
    const read = await core.readNamespacedConfigMap({ namespace: 'default', name: 'applied' });

    expect(created.stdout.trim()).toBe('configmap/applied created');
    expect(configured.stdout.trim()).toBe('configmap/applied configured');
    expect(read.data).toEqual({ x: '2' });
    expect(read.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain('"x":"2"');
    expect(serverSide?.code).toBe(1);
    expect(serverSide?.stderr).toContain(
      'Server-side apply not available on the server: (the body of the request was in an unknown format (application/apply-patch+yaml)',
    );
  });

  it('`rollout status` sees a finished rollout through its watch and exits 0', async () => {
    const { stdout } = await kubectl('rollout', 'status', 'deployment/web', '--timeout=15s');

    expect(stdout.trim()).toBe('deployment "web" successfully rolled out');
  });
});
