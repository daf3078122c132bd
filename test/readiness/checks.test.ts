import type { Cluster, Nodegroup } from '@aws-sdk/client-eks';
import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { KubeApis } from '../../lib/kube/index.js';
import { clusterFindings, eksResourceFindings } from '../../lib/readiness/checks/health.js';
import { insightObjects } from '../../lib/readiness/checks/insights.js';
import { mountsDockerSocket, podDrainIssues } from '../../lib/readiness/checks/pods.js';
import { allowedSkew, kubeletSkewFindings } from '../../lib/readiness/checks/skew.js';
import { amazonLinux2Findings, severityAround, upstreamLines } from '../../lib/readiness/checks/versioned.js';
import {
  buildReport,
  type ClusterFacts,
  controllerVerdict,
  type Finding,
  imageVersion,
  listableResources,
  liveScanFindings,
  readinessSummary,
  renderMarkdown,
  scanExitCode,
  scanLiveObjects,
} from '../../lib/readiness/index.js';
import { judgeUsage } from '../../lib/readiness/scan/usage.js';

const hop = { cluster: 'shop', from: '1.32', to: '1.33' };
const facts = (over: Partial<ClusterFacts> = {}): ClusterFacts => ({
  cluster: { name: 'shop', version: '1.32', status: 'ACTIVE' } as Cluster,
  addons: [],
  nodegroups: [],
  nodes: [],
  ...over,
});

describe('the control plane and EKS resources', () => {
  it('blocks on a cluster EKS cannot update and on a control plane outside the hop, both enforced by EKS', () => {
    // Act
    const findings = clusterFindings(facts({ cluster: { status: 'CREATING', version: '1.31' } as Cluster }), hop);

    // Assess
    expect(findings.map((f) => [f.id, f.severity, f.hard])).toEqual([
      ['cluster-not-active', 'blocker', true],
      ['control-plane-version', 'blocker', true],
    ]);
    expect(findings[1]?.message).toBe('The control plane runs 1.31, outside this hop (1.32 → 1.33).');
  });

  it('accepts a control plane already at the target (a resumed hop) and one that is updating', () => {
    expect(clusterFindings(facts({ cluster: { status: 'UPDATING', version: '1.33' } as Cluster }), hop)).toEqual([]);
  });

  it('warns on health issues of ACTIVE resources and leaves running updates alone', () => {
    // Prepare
    const nodegroups = [
      {
        nodegroupName: 'a',
        status: 'ACTIVE',
        health: { issues: [{ code: 'Ec2LaunchTemplateNotFound', message: 'gone' }] },
      },
      { nodegroupName: 'b', status: 'UPDATING', health: { issues: [] } },
    ] as Nodegroup[];

    // Act
    const findings = eksResourceFindings(facts({ nodegroups }));

    // Assess
    expect(findings.map((f) => [f.id, f.severity, f.objects])).toEqual([
      ['eks-resource-health-issues', 'warning', ['nodegroup/a (Ec2LaunchTemplateNotFound: gone)']],
    ]);
  });
});

describe('skew policy', () => {
  it('allows three minor versions from 1.25 on and two before', () => {
    expect(allowedSkew('1.24')).toBe(2);
    expect(allowedSkew('1.25')).toBe(3);
    expect(allowedSkew('1.30')).toBe(3);
  });

  it('blocks a kubelet one version further behind than allowed, not one at the limit', () => {
    // Prepare
    const nodes = [
      { name: 'at-limit', kubelet: 'v1.30.14-eks-b707fbb', ready: true },
      { name: 'too-old', kubelet: 'v1.29.15-eks-473151a', ready: true },
      { name: 'old-policy', kubelet: 'v1.24.17-eks-1234567', ready: true },
    ];

    // Act
    const findings = kubeletSkewFindings(facts({ nodes }), hop);

    // Assess
    expect(findings[0]?.objects).toEqual([
      'Node old-policy (v1.24.17-eks-1234567)',
      'Node too-old (v1.29.15-eks-473151a)',
    ]);
    expect(
      kubeletSkewFindings(facts({ nodes: [{ name: 'n', kubelet: 'v1.22.0', ready: true }] }), { ...hop, to: '1.25' }),
    ).toHaveLength(1);
    expect(
      kubeletSkewFindings(facts({ nodes: [{ name: 'n', kubelet: 'v1.23.0', ready: true }] }), { ...hop, to: '1.25' }),
    ).toEqual([]);
  });
});

describe('version-specific checks', () => {
  it('block the hop that crosses their version, warn once past it, inform before it', () => {
    expect(severityAround('1.24', { ...hop, from: '1.23', to: '1.24' })).toBe('blocker');
    expect(severityAround('1.24', { ...hop, from: '1.24', to: '1.25' })).toBe('warning');
    expect(severityAround('1.24', { ...hop, from: '1.22', to: '1.23' })).toBe('info');
    expect(severityAround('1.23', { ...hop, from: '1.22', to: '1.23' })).toBe('blocker');
  });

  it('finds a Corefile line that is only `upstream`, not upstream with arguments or in a comment', () => {
    expect(
      upstreamLines('.:53 {\n  kubernetes cluster.local {\n    upstream\n  }\n  # upstream\n  upstream 8.8.8.8\n}\n'),
    ).toEqual([3]);
  });

  it('recognises Docker socket mounts by host path', () => {
    const pod = (path: string) => ({ spec: { containers: [], volumes: [{ name: 'v', hostPath: { path } }] } });
    expect(mountsDockerSocket(pod('/var/run/docker.sock'))).toBe(true);
    expect(mountsDockerSocket(pod('/run/docker.sock'))).toBe(true);
    expect(mountsDockerSocket(pod('/var/run/docker'))).toBe(true);
    expect(mountsDockerSocket(pod('/var/run/containerd/containerd.sock'))).toBe(false);
  });

  it('warns on Amazon Linux 2 nodes before 1.33 and blocks the hop to 1.33, self-managed nodes included', () => {
    // Prepare
    const al2 = facts({
      nodegroups: [{ nodegroupName: 'general', amiType: 'AL2023_x86_64_STANDARD' } as Nodegroup],
      nodes: [
        { name: 'self-1', osImage: 'Amazon Linux 2', ready: true },
        { name: 'managed-1', osImage: 'Amazon Linux 2023.9.20251112', nodegroup: 'general', ready: true },
        // Fargate reports Amazon Linux 2 as well; AWS replaces that infrastructure itself.
        { name: 'fargate-ip-10-0-1-1', osImage: 'Amazon Linux 2', ready: true, fargate: true },
      ],
    });

    // Act / Assess
    expect(amazonLinux2Findings(al2, { ...hop, from: '1.31', to: '1.32' }).map((f) => [f.severity, f.objects])).toEqual(
      [['warning', ['Node self-1 (Amazon Linux 2)']]],
    );
    expect(amazonLinux2Findings(al2, hop)[0]).toMatchObject({ severity: 'blocker', hard: true });
  });
});

describe('drain blockers of a pod', () => {
  it('names bare, emptyDir and tolerate-everything pods, but not DaemonSet, mirror or finished pods', () => {
    const pod = (over: Record<string, unknown>) => ({ metadata: { name: 'p', ...over }, spec: { containers: [] } });
    expect(
      podDrainIssues({
        ...pod({}),
        spec: { containers: [], volumes: [{ name: 'v', emptyDir: {} }], tolerations: [{ operator: 'Exists' }] },
      }),
    ).toEqual(['bare', 'emptyDir', 'toleratesAll']);
    expect(
      podDrainIssues({
        ...pod({ ownerReferences: [{ kind: 'DaemonSet', name: 'd', uid: 'u', apiVersion: 'apps/v1' }] }),
        spec: { containers: [], tolerations: [{ operator: 'Exists' }] },
      }),
    ).toEqual([]);
    expect(podDrainIssues(pod({ annotations: { 'kubernetes.io/config.mirror': 'x' } }))).toEqual([]);
    expect(podDrainIssues({ ...pod({}), status: { phase: 'Succeeded' } })).toEqual([]);
    // A toleration with a key tolerates that taint only.
    expect(
      podDrainIssues({
        ...pod({ ownerReferences: [{ kind: 'ReplicaSet', name: 'r', uid: 'u', apiVersion: 'apps/v1' }] }),
        spec: { containers: [], tolerations: [{ key: 'gpu', operator: 'Exists' }] },
      }),
    ).toEqual([]);
  });
});

describe('self-managed controllers', () => {
  it.each([
    ['602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon/aws-load-balancer-controller:v2.4.0', '1.22', 'blocker'],
    ['public.ecr.aws/eks/aws-load-balancer-controller:v2.4.1', '1.22', undefined],
    ['docker.io/amazon/aws-alb-ingress-controller:v2.2.0', '1.21', undefined],
    [
      'registry.k8s.io/ingress-nginx/controller:v0.49.3@sha256:35fe394c82164efa8f47f3ed0be981b3f23da77175bbb8268a9ae438851c8324',
      '1.22',
      'blocker',
    ],
    ['registry.k8s.io/ingress-nginx/controller:v1.0.0', '1.22', undefined],
    ['public.ecr.aws/karpenter/controller:0.36.2', '1.30', 'blocker'],
    ['public.ecr.aws/karpenter/controller:0.37.0', '1.30', undefined],
    ['registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.1', '1.33', 'warning'],
    ['registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.0', '1.33', undefined],
    [
      'public.ecr.aws/karpenter/controller@sha256:2b1d7c4e5f3a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d',
      '1.33',
      undefined,
    ],
    ['nginx:1.27', '1.33', undefined],
  ])('%s for %s → %s', (image, target, severity) => {
    expect(controllerVerdict(image, target)?.severity).toBe(severity);
  });

  it('reads repository and version from tags with a registry port, a digest or no v', () => {
    expect(imageVersion('registry.local:5000/karpenter/controller:1.0.5@sha256:abc')).toEqual({
      repository: 'registry.local:5000/karpenter/controller',
      version: [1, 0, 5],
    });
    expect(imageVersion('registry.local:5000/tools/thing')).toEqual({ repository: 'registry.local:5000/tools/thing' });
  });
});

describe('EKS Upgrade Insights', () => {
  it('names deprecated API usages with their clients, add-ons and resources', () => {
    expect(
      insightObjects({
        categorySpecificSummary: {
          deprecationDetails: [
            {
              usage: '/apis/batch/v1beta1/cronjobs',
              replacedWith: '/apis/batch/v1/cronjobs',
              stopServingVersion: '1.25',
              clientStats: [{ userAgent: 'argo', numberOfRequestsLast30Days: 7 }],
            },
          ],
          addonCompatibilityDetails: [{ name: 'vpc-cni', compatibleVersions: ['v1.20.4-eksbuild.2'] }],
        },
        resources: [
          { kubernetesResourceUri: '/api/v1/namespaces/x/pods/y' },
          { arn: 'arn:aws:eks:eu-west-1:1:addon/c/a/b' },
        ],
      }),
    ).toEqual([
      '/apis/batch/v1beta1/cronjobs → /apis/batch/v1/cronjobs (stops 1.25) by argo (7 calls in 30 days)',
      'addon/vpc-cni (compatible: v1.20.4-eksbuild.2)',
      '/api/v1/namespaces/x/pods/y',
      'arn:aws:eks:eu-west-1:1:addon/c/a/b',
    ]);
  });
});

/** Just enough of the Kubernetes clients for discovery and listing, with one aggregated API that is down. */
function fakeKube(): KubeApis {
  const resources = (kinds: Array<[string, string, boolean]>) => ({
    resources: kinds.map(([name, kind, namespaced]) => ({
      name,
      kind,
      namespaced,
      singularName: '',
      verbs: ['get', 'list'],
    })),
  });
  const served: Record<string, ReturnType<typeof resources>> = {
    'networking.k8s.io/v1': resources([['ingresses', 'Ingress', true]]),
    'extensions/v1beta1': resources([
      ['ingresses', 'Ingress', true],
      ['networkpolicies', 'NetworkPolicy', true],
    ]),
    'policy/v1': resources([['poddisruptionbudgets', 'PodDisruptionBudget', true]]),
    'policy/v1beta1': resources([
      ['poddisruptionbudgets', 'PodDisruptionBudget', true],
      ['podsecuritypolicies', 'PodSecurityPolicy', false],
    ]),
  };
  const fake = {
    core: {
      getAPIResources: async () =>
        resources([
          ['configmaps', 'ConfigMap', true],
          ['pods/log', 'Pod', true],
        ]),
    },
    groups: {
      getAPIVersions: async () => ({
        groups: [
          { name: 'extensions', versions: [{ groupVersion: 'extensions/v1beta1', version: 'v1beta1' }] },
          { name: 'metrics.k8s.io', versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }] },
          { name: 'networking.k8s.io', versions: [{ groupVersion: 'networking.k8s.io/v1', version: 'v1' }] },
          {
            name: 'policy',
            versions: [
              { groupVersion: 'policy/v1', version: 'v1' },
              { groupVersion: 'policy/v1beta1', version: 'v1beta1' },
            ],
          },
        ],
      }),
    },
    custom: {
      getAPIResources: async ({ group, version }: { group: string; version: string }) => {
        const found = served[`${group}/${version}`];
        if (!found)
          throw new ApiException(
            503,
            'service unavailable',
            { message: 'the server is currently unable to handle the request' },
            {},
          );
        return found;
      },
      listClusterCustomObject: async ({ group, plural }: { group: string; plural: string }) => {
        if (plural === 'podsecuritypolicies') throw new ApiException(403, 'forbidden', {}, {});
        return {
          items: group === 'extensions' ? [{ metadata: { name: 'legacy', namespace: 'x', uid: 'u1' } }] : [],
          metadata: {},
        };
      },
    },
    objects: { list: async () => ({ items: [], metadata: {} }) },
  };
  return fake as unknown as KubeApis;
}

describe('the live scan against an imperfect API server', () => {
  it('lists each resource once in its preferred version, skips old groups whose objects a newer one serves', async () => {
    // Act
    const listed = await listableResources(fakeKube());

    // Assess
    expect(listed.map((r) => `${r.apiVersion}/${r.plural}`)).toEqual([
      'networking.k8s.io/v1/ingresses',
      'policy/v1/poddisruptionbudgets',
      'policy/v1beta1/podsecuritypolicies',
      'v1/configmaps',
      'extensions/v1beta1/networkpolicies',
    ]);
  });

  it('reports what it could not list as an incomplete scan instead of failing', async () => {
    // Act
    const scan = await scanLiveObjects(fakeKube());
    const findings = liveScanFindings(scan, '1.33');

    // Assess
    expect(scan.incomplete).toEqual([
      'metrics.k8s.io/v1beta1: discovery failed (HTTP 503)',
      'policy/v1beta1/podsecuritypolicies: list failed (HTTP 403)',
    ]);
    expect(findings.map((f) => [f.id, f.severity])).toEqual([
      ['api-removed', 'blocker'],
      ['scan-incomplete', 'warning'],
    ]);
    expect(findings[0]?.objects).toEqual(['NetworkPolicy x/legacy']);
  });
});

describe('the report', () => {
  const f = (
    id: string,
    severity: Finding['severity'],
    area: Finding['area'],
    extra: Partial<Finding> = {},
  ): Finding => ({
    id,
    severity,
    area,
    message: `${id} happened.`,
    objects: ['a', 'b'],
    total: 2,
    fix: `Fix ${id}.`,
    ...extra,
  });
  const meta = {
    cluster: 'shop',
    from: '1.32',
    to: '1.33',
    checkedAt: '2026-11-21T02:00:00.000Z',
    scanned: { resources: 3, objects: 10, helmReleases: 1, incomplete: [] },
  };

  it('orders findings by severity, area and id, whatever order the checks returned them in', () => {
    // Prepare
    const findings = [
      f('z', 'info', 'apis'),
      f('b', 'warning', 'drain'),
      f('a', 'blocker', 'version'),
      f('c', 'warning', 'apis'),
      f('d', 'blocker', 'apis'),
    ];

    // Act
    const one = buildReport(meta, findings);
    const other = buildReport(meta, [...findings].reverse());

    // Assess
    expect(one.findings.map((x) => x.id)).toEqual(['d', 'a', 'c', 'b', 'z']);
    expect(other).toEqual(one);
    expect(one.counts).toEqual({ blocker: 2, warning: 2, info: 1 });
  });

  it('renders Markdown with the verdict, each finding, its objects and fix; marks what EKS enforces', () => {
    // Prepare
    const blocked = buildReport(meta, [
      f('kubelet-skew', 'blocker', 'skew', { hard: true }),
      f('bare-pods', 'warning', 'drain'),
    ]);

    // Act
    const text = renderMarkdown(blocked);

    // Assess
    expect(text.split('\n')).toEqual([
      '### Readiness of shop for 1.32 → 1.33: BLOCKED (1 blocker, 1 warning, 0 info)',
      '',
      'Scanned 10 objects of 3 resource types and 1 Helm release.',
      '',
      '#### Blockers',
      '- **kubelet-skew** (skew, enforced by EKS): kubelet-skew happened.',
      '  - Objects: a; b',
      '  - Fix: Fix kubelet-skew.',
      '',
      '#### Warnings',
      '- **bare-pods** (drain): bare-pods happened.',
      '  - Objects: a; b',
      '  - Fix: Fix bare-pods.',
    ]);
  });

  it('summarises for the state machine: counts, hard blockers, and blockers and warnings with five objects each', () => {
    // Prepare
    const many = { objects: ['1', '2', '3', '4', '5', '6', '7'], total: 9 };
    const report = buildReport(meta, [
      f('kubelet-skew', 'blocker', 'skew', { hard: true, ...many }),
      f('x', 'info', 'apis'),
    ]);

    // Act
    const summary = readinessSummary(report);

    // Assess
    expect(summary).toMatchObject({ ready: false, blockers: 1, hardBlockers: 1, warnings: 0, infos: 1 });
    expect(summary.findings).toEqual([
      {
        id: 'kubelet-skew',
        area: 'skew',
        severity: 'blocker',
        message: 'kubelet-skew happened.',
        objects: ['1', '2', '3', '4', '5'],
        total: 9,
        fix: 'Fix kubelet-skew.',
        hard: true,
      },
    ]);
  });

  it('keeps the Markdown within its limit and names at most the objects asked for', () => {
    // Prepare
    const many = Array.from({ length: 50 }, (_, i) =>
      f(`finding-${i}`, 'warning', 'drain', { objects: ['x', 'y', 'z'], total: 30 }),
    );

    // Act
    const text = renderMarkdown(buildReport(meta, many), { maxObjects: 2, maxChars: 2000 });

    // Assess
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text).toContain('Objects: x; y; and 28 more');
    expect(text).toMatch(/cut; the full report has every finding\)$/);
  });
});

describe('verdicts on API uses', () => {
  const use = (source: Parameters<typeof judgeUsage>[0]['source']) => ({
    apiVersion: 'batch/v1beta1',
    kind: 'CronJob',
    name: 'n',
    source,
  });

  it('blocks on live objects and Helm releases, warns on last-applied annotations', () => {
    expect(judgeUsage(use({ type: 'live' }), '1.25')?.status).toBe('removed');
    const findingsFor = (source: Parameters<typeof judgeUsage>[0]['source']) => {
      const v = judgeUsage(use(source), '1.25');
      return v
        ? liveScanFindings(
            { resources: 1, objects: 1, helmReleases: 0, usages: [use(source)], incomplete: [] },
            '1.25',
          )[0]?.severity
        : undefined;
    };
    expect(findingsFor({ type: 'live' })).toBe('blocker');
    expect(findingsFor({ type: 'helm', release: 'x/y', revision: 1 })).toBe('blocker');
    expect(findingsFor({ type: 'last-applied' })).toBe('warning');
  });

  it('gives pluto’s exit codes: 3 when removed, 2 when only deprecated, 0 when clean', () => {
    const removed = judgeUsage(use({ type: 'file', path: 'a.yaml', line: 1 }), '1.25');
    const deprecated = judgeUsage(use({ type: 'file', path: 'a.yaml', line: 1 }), '1.24');
    if (!removed || !deprecated) throw new Error('expected verdicts');
    expect(scanExitCode([deprecated, removed])).toBe(3);
    expect(scanExitCode([deprecated])).toBe(2);
    expect(scanExitCode([])).toBe(0);
  });
});
