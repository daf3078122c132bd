import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import jsYaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { DeclaredNeeds } from '../lib/runtime/index.js';
import { simulatedEksToken, startKube } from './readiness/harness.js';

/**
 * What each Lambda bundle holds, built exactly as `serverless package` builds it (serverless.yml's esbuild
 * options and build/esbuild-plugins.cjs), and proof that the plugins that slim the bundles change nothing the
 * code does: the bundled SDK clients put the same bytes on the wire and read answers back the same, the bundled
 * Kubernetes client makes the same calls to the Kubernetes API with the same outcome.
 */

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const projectPlugins = require('../build/esbuild-plugins.cjs') as Plugin[] & {
  literalSchemaKeys(source: string): string;
};

interface ServerlessConfig {
  custom: { esbuild: Record<string, unknown> };
  functions: Record<string, { handler: string }>;
}
// CloudFormation's short tags (!Ref, !GetAtt) mean nothing here: only the esbuild options and handlers are read.
const serverless = parse(readFileSync(join(root, 'serverless.yml'), 'utf8'), { logLevel: 'error' }) as ServerlessConfig;
const esbuildConfig = serverless.custom.esbuild;

/** serverless.yml's esbuild options, as serverless-esbuild hands them to esbuild. */
function shippedOptions(plugins: Plugin[] = projectPlugins): BuildOptions {
  return {
    bundle: esbuildConfig.bundle as boolean,
    minify: esbuildConfig.minify as boolean,
    sourcemap: esbuildConfig.sourcemap as boolean,
    target: esbuildConfig.target as string,
    platform: esbuildConfig.platform as 'node',
    format: esbuildConfig.format as 'esm',
    mainFields: esbuildConfig.mainFields as string[],
    banner: esbuildConfig.banner as { js: string },
    absWorkingDir: root,
    logLevel: 'silent',
    plugins,
  };
}

const clientPackages: Record<string, string> = {
  eks: '@aws-sdk/client-eks',
  autoscaling: '@aws-sdk/client-auto-scaling',
  ec2: '@aws-sdk/client-ec2',
  ssm: '@aws-sdk/client-ssm',
  sns: '@aws-sdk/client-sns',
  sts: '@aws-sdk/client-sts',
  sfn: '@aws-sdk/client-sfn',
  s3: '@aws-sdk/client-s3',
};

/** The files that put code into the bundle (esbuild reads more than it keeps). */
function keptInputs(metafile: Metafile): string[] {
  return Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
}

/** The packages whose code is in the bundle. */
function packagesOf(metafile: Metafile): Set<string> {
  const packages = new Set<string>();
  for (const input of keptInputs(metafile)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match?.[1]) packages.add(match[1]);
  }
  return packages;
}

interface FunctionBundle {
  name: string;
  needs: DeclaredNeeds;
  packages: Set<string>;
  inputs: string[];
  code: string;
}

let bundles: FunctionBundle[] = [];
let workdir: string;

beforeAll(async () => {
  // Inside the repository (git-ignored), so the entries written below resolve the project's packages.
  mkdirSync(join(root, '.esbuild'), { recursive: true });
  workdir = mkdtempSync(join(root, '.esbuild', 'bundles-'));
  bundles = await Promise.all(
    Object.entries(serverless.functions).map(async ([name, fn]) => {
      const file = fn.handler.replace(/\.handler$/, '');
      const result = await build({
        ...shippedOptions(),
        entryPoints: [join(root, `${file}.ts`)],
        outfile: join(workdir, `${name}.mjs`),
        write: false,
        metafile: true,
      });
      const handler = (
        (await import(pathToFileURL(join(root, `${file}.ts`)).href)) as {
          handler: { needs: DeclaredNeeds };
        }
      ).handler;
      return {
        name,
        needs: handler.needs,
        packages: packagesOf(result.metafile),
        inputs: keptInputs(result.metafile),
        code: result.outputFiles[0]?.text ?? '',
      };
    }),
  );
}, 120_000);

afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('each Lambda bundle holds what its function uses', () => {
  it('builds every function of serverless.yml', () => {
    expect(bundles.map((b) => b.name).sort()).toEqual(Object.keys(serverless.functions).sort());
    for (const bundle of bundles) expect(bundle.needs.functionName, bundle.name).toBe(bundle.name);
  });

  it('bundles exactly the AWS clients the function declares, plus STS for its accounts', () => {
    for (const bundle of bundles) {
      const declared = new Set(['sts', ...Object.keys(bundle.needs.aws ?? {})]);
      const expected = [...declared].map((service) => clientPackages[service]).sort();
      const bundled = [...bundle.packages].filter((p) => /^@aws-sdk\/client-/.test(p)).sort();
      expect(bundled, `${bundle.name}'s clients`).toEqual(expected);
    }
  });

  it('bundles the Kubernetes client only into the functions that talk to clusters', () => {
    const withKube = bundles.filter((b) => b.packages.has('@kubernetes/client-node')).map((b) => b.name);
    const declaring = bundles.filter((b) => b.needs.kube).map((b) => b.name);
    expect(withKube.sort()).toEqual(declaring.sort());
    expect(declaring.sort()).toEqual(['nodegroups', 'plan', 'readiness', 'validate']);
  });

  it('carries one YAML library, no URL polyfill, no source map and never the every-client table', () => {
    for (const bundle of bundles) {
      expect(bundle.packages.has('js-yaml'), `${bundle.name} bundles js-yaml`).toBe(false);
      expect(bundle.packages.has('whatwg-url'), `${bundle.name} bundles whatwg-url`).toBe(false);
      expect(bundle.packages.has('tr46'), `${bundle.name} bundles tr46`).toBe(false);
      expect(bundle.code).not.toContain('sourceMappingURL');
      expect(bundle.inputs).not.toContain('lib/aws/every-client.ts');
    }
  });
});

describe('the schema rewrite of the AWS SDK', () => {
  it('writes a computed key naming a module constant as that string, and nothing else', () => {
    const source = [
      'const _xN = "xmlName";',
      'const _p = "__proto__";',
      'export var A$ = [3, n0, 0, [[() => B$, { [_xN]: _x, [_p]: 1, [other]: 2 }]]];',
    ].join('\n');
    const rewritten = projectPlugins.literalSchemaKeys(source);
    expect(rewritten).toContain('{ "xmlName": _x, [_p]: 1, [other]: 2 }');
    expect(rewritten.split('\n').slice(0, 2)).toEqual(source.split('\n').slice(0, 2));
  });

  it('leaves the bundled SDK clients sending and reading exactly what the unmodified ones do', async () => {
    // Each call is answered by a fixed response through the request handler, so what the client serialised and
    // what it deserialised can be compared between the shipped bundle and one built without the plugins.
    const entry = join(workdir, 'sdk-calls.ts');
    writeFileSync(
      entry,
      `import { DescribeAutoScalingGroupsCommand, AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DescribeLaunchTemplateVersionsCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { HttpResponse } from '@smithy/protocol-http';
import { Readable } from 'node:stream';

const responses = ${JSON.stringify(sdkResponses)};
export async function run() {
  const sent = [];
  const handler = (answer) => ({
    handle: async (request) => {
      sent.push({ method: request.method, path: request.path, query: request.query, body: typeof request.body === 'string' ? request.body : Buffer.from(request.body ?? '').toString('utf8') });
      return { response: new HttpResponse({ statusCode: 200, headers: { 'content-type': answer.type }, body: Readable.from([Buffer.from(answer.body)]) }) };
    },
  });
  const config = (answer) => ({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, requestHandler: handler(answer) });
  const outputs = [];
  const strip = ({ $metadata, ...rest }) => rest;
  outputs.push(strip(await new EC2Client(config(responses.subnets)).send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0a1b'], Filters: [{ Name: 'vpc-id', Values: ['vpc-0c2d'] }], DryRun: false }))));
  outputs.push(strip(await new EC2Client(config(responses.launchTemplate)).send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: 'lt-0e3f', Versions: ['$Latest'] }))));
  outputs.push(strip(await new AutoScalingClient(config(responses.groups)).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['legacy'] }))));
  outputs.push(strip(await new EKSClient(config(responses.cluster)).send(new DescribeClusterCommand({ name: 'shop' }))));
  outputs.push(strip(await new SSMClient(config(responses.parameter)).send(new GetParameterCommand({ Name: '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id' }))));
  return JSON.parse(JSON.stringify({ sent, outputs }));
}
`,
    );
    const runBundle = async (name: string, plugins: Plugin[]) => {
      const outfile = join(workdir, `${name}.mjs`);
      await build({ ...shippedOptions(plugins), entryPoints: [entry], outfile });
      const module = (await import(pathToFileURL(outfile).href)) as { run(): Promise<unknown> };
      return { result: await module.run(), size: readFileSync(outfile).length };
    };
    const shipped = await runBundle('sdk-shipped', projectPlugins);
    const plain = await runBundle('sdk-plain', []);
    expect(shipped.result).toEqual(plain.result);
    const { outputs } = shipped.result as { outputs: Record<string, unknown>[] };
    expect(outputs[0]).toMatchObject({ Subnets: [{ SubnetId: 'subnet-0a1b', AvailableIpAddressCount: 251 }] });
    expect(outputs[3]).toMatchObject({ cluster: { name: 'shop', version: '1.32' } });
    // The point of the rewrite: the unused EC2 shapes are gone.
    expect(shipped.size).toBeLessThan(plain.size * 0.7);
  }, 60_000);
});

const sdkResponses = {
  subnets: {
    type: 'text/xml',
    body: '<DescribeSubnetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><subnetSet><item><subnetId>subnet-0a1b</subnetId><vpcId>vpc-0c2d</vpcId><availabilityZone>eu-west-1a</availabilityZone><availableIpAddressCount>251</availableIpAddressCount><cidrBlock>10.0.1.0/24</cidrBlock><tagSet><item><key>Name</key><value>private-a</value></item></tagSet></item></subnetSet></DescribeSubnetsResponse>',
  },
  launchTemplate: {
    type: 'text/xml',
    body: '<DescribeLaunchTemplateVersionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-2</requestId><launchTemplateVersionSet><item><launchTemplateId>lt-0e3f</launchTemplateId><versionNumber>7</versionNumber><defaultVersion>true</defaultVersion><launchTemplateData><imageId>ami-0123456789abcdef0</imageId><instanceType>m6i.large</instanceType></launchTemplateData></item></launchTemplateVersionSet></DescribeLaunchTemplateVersionsResponse>',
  },
  groups: {
    type: 'text/xml',
    body: '<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeAutoScalingGroupsResult><AutoScalingGroups><member><AutoScalingGroupName>legacy</AutoScalingGroupName><MinSize>1</MinSize><MaxSize>4</MaxSize><DesiredCapacity>2</DesiredCapacity><DefaultCooldown>300</DefaultCooldown><AvailabilityZones><member>eu-west-1a</member></AvailabilityZones><HealthCheckType>EC2</HealthCheckType><CreatedTime>2026-01-05T10:00:00Z</CreatedTime><Instances><member><InstanceId>i-0aa</InstanceId><AvailabilityZone>eu-west-1a</AvailabilityZone><LifecycleState>InService</LifecycleState><HealthStatus>Healthy</HealthStatus><ProtectedFromScaleIn>false</ProtectedFromScaleIn></member></Instances><Tags><member><Key>eks-upgrade/enabled</Key><Value>true</Value><ResourceId>legacy</ResourceId><ResourceType>auto-scaling-group</ResourceType><PropagateAtLaunch>false</PropagateAtLaunch></member></Tags></member></AutoScalingGroups></DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>r-3</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>',
  },
  cluster: {
    type: 'application/json',
    body: JSON.stringify({
      cluster: {
        name: 'shop',
        version: '1.32',
        status: 'ACTIVE',
        endpoint: 'https://ABCD.gr7.eu-west-1.eks.amazonaws.com',
        createdAt: 1767607200,
        tags: { 'eks-upgrade/enabled': 'true' },
      },
    }),
  },
  parameter: {
    type: 'application/x-amz-json-1.1',
    body: JSON.stringify({
      Parameter: { Name: '/aws/service/eks/x', Type: 'String', Value: 'ami-0fedcba9876543210', Version: 3 },
    }),
  },
};

describe('the Kubernetes client as bundled', () => {
  const now = Date.parse('2026-11-21T02:00:00Z');
  const nodes = [0, 1].map((n) => ({
    name: `ip-10-0-${n}-10.eu-west-1.compute.internal`,
    instanceId: `i-0${n}aaaabbbbcccc`,
    availabilityZone: 'eu-west-1a',
    group: 'general',
    groupKind: 'managed' as const,
    kubeletVersion: 'v1.32.9-eks-113cf36',
    osImage: 'Amazon Linux 2023.8.20250915',
    instanceType: 'm6i.large',
    maxPods: 29,
    startupSeconds: 0,
  }));
  const simulatedApi = () =>
    startKube(
      {
        managedNodegroups: [{ name: 'general', desiredSize: 2 }],
        workloads: [{ kind: 'Deployment', name: 'web', replicas: 2, pdb: { minAvailable: 1 } }],
      },
      { nodes, now: () => now },
    );

  it('lists, patches, evicts, discovers and reports API errors as the unbundled client does', async () => {
    const entry = join(workdir, 'kube-calls.ts');
    writeFileSync(
      entry,
      `import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { isKubeApiError } from ${JSON.stringify(join(root, 'lib/kube/api-error.ts'))};
import { kubeApisFor, listAll } from ${JSON.stringify(join(root, 'lib/kube/client.ts'))};

export async function run(server, token) {
  const kube = kubeApisFor({ clusterName: 'test', server, token });
  const nodes = (await kube.core.listNode()).items.map((n) => n.metadata.name).sort();
  const pods = [];
  for await (const pod of listAll((page) => kube.core.listPodForAllNamespaces(page), 1)) pods.push(pod);
  const web = pods.find((p) => p.metadata.name.startsWith('web-'));
  await kube.core.patchNode(
    { name: nodes[0], body: { spec: { taints: [{ key: 'eks-upgrade/rotating', effect: 'NoSchedule' }] } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  const tainted = (await kube.core.readNode({ name: nodes[0] })).spec.taints.map((t) => t.key);
  const eviction = await kube.core.createNamespacedPodEviction({
    name: web.metadata.name,
    namespace: web.metadata.namespace,
    body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: web.metadata.name, namespace: web.metadata.namespace } },
  });
  let missing;
  try {
    await kube.core.readNamespacedPod({ name: 'no-such-pod', namespace: 'default' });
  } catch (error) {
    missing = { recognised: isKubeApiError(error), code: error.code };
  }
  const deployments = (await kube.objects.list('apps/v1', 'Deployment')).items.map((d) => d.metadata.name).sort();
  const groups = (await kube.groups.getAPIVersions()).groups.map((g) => g.name).sort();
  const budgets = (await kube.policy.listPodDisruptionBudgetForAllNamespaces()).items.map((b) => b.spec.minAvailable);
  return JSON.parse(JSON.stringify({ nodes, pods: pods.length, tainted, eviction: eviction.status ?? 'created', missing, deployments, groups, budgets }));
}
`,
    );
    const outfile = join(workdir, 'kube-shipped.mjs');
    const result = await build({ ...shippedOptions(), entryPoints: [entry], outfile, metafile: true });
    expect(packagesOf(result.metafile).has('js-yaml')).toBe(false);
    const shipped = (await import(pathToFileURL(outfile).href)) as { run(url: string, t: string): Promise<unknown> };
    const unbundled = (await import(pathToFileURL(entry).href)) as { run(url: string, t: string): Promise<unknown> };
    const first = await simulatedApi();
    const second = await simulatedApi();
    try {
      const fromBundle = await shipped.run(first.url, simulatedEksToken);
      const fromSource = await unbundled.run(second.url, simulatedEksToken);
      expect(fromBundle).toEqual(fromSource);
      expect(fromBundle).toMatchObject({
        nodes: ['ip-10-0-0-10.eu-west-1.compute.internal', 'ip-10-0-1-10.eu-west-1.compute.internal'],
        tainted: ['eks-upgrade/rotating'],
        missing: { recognised: true, code: 404 },
        deployments: expect.arrayContaining(['web']),
        groups: expect.arrayContaining(['apps', 'policy']),
      });
    } finally {
      await first.close();
      await second.close();
    }
  }, 60_000);
});

describe('the js-yaml stand-in', () => {
  const shimPath = join(root, 'build/shims/js-yaml.mjs');
  const kubeconfig = `apiVersion: v1
kind: Config
clusters:
  - name: shop
    cluster:
      server: https://ABCD.gr7.eu-west-1.eks.amazonaws.com
      certificate-authority-data: LS0tLS1CRUdJTg==
users:
  - name: eks
    user:
      token: k8s-aws-v1.abc
      exec: null
contexts:
  - name: shop
    context: { cluster: shop, user: eks, namespace: "default" }
current-context: shop
preferences: {}
port: 6443
insecure: false
ratio: 0.5
`;

  it('loads a kubeconfig and multi-document manifests as js-yaml does', async () => {
    const shim = (await import(pathToFileURL(shimPath).href)) as typeof jsYaml;
    expect(shim.load(kubeconfig)).toEqual(jsYaml.load(kubeconfig));
    const manifests =
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: [a, b]\n';
    expect(shim.loadAll(manifests)).toEqual(jsYaml.loadAll(manifests));
    const seen: unknown[] = [];
    shim.loadAll(manifests, (document) => seen.push(document));
    expect(seen).toEqual(jsYaml.loadAll(manifests));
    expect(jsYaml.load(shim.dump(jsYaml.load(kubeconfig)))).toEqual(jsYaml.load(kubeconfig));
  });

  it('throws on a malformed document, as js-yaml does', async () => {
    const shim = (await import(pathToFileURL(shimPath).href)) as typeof jsYaml;
    const malformed = 'clusters:\n  - name: shop\n   cluster: [\n';
    expect(() => jsYaml.load(malformed)).toThrow();
    expect(() => shim.load(malformed)).toThrow();
    expect(() => shim.loadAll(`a: 1\n---\n${malformed}`)).toThrow();
  });
});
