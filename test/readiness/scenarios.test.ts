import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkReadiness, type ReadinessReport } from '../../lib/readiness/index.js';
import { addMinor } from '../../lib/versions/index.js';
import { connectToScenario } from '../../local/inspect.js';
import { loadScenario } from '../../sim/scenario.js';

const scenariosDir = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** Runs the readiness checks, read-only, on a scenario cluster for its next minor version (or `to`). */
async function readiness(file: string, clusterName?: string, to?: string): Promise<ReadinessReport> {
  const scenario = loadScenario(`${scenariosDir}${file}.yaml`);
  const cluster = clusterName ?? scenario.clusters[0]?.name ?? '';
  const connection = await connectToScenario(scenario, cluster);
  try {
    const from = connection.cluster.version;
    return await checkReadiness(
      { ...connection.aws, kube: connection.kube, now: () => new Date('2026-11-21T02:00:00Z') },
      { cluster, from, to: to ?? addMinor(from, 1) },
    );
  } finally {
    await connection.close();
  }
}

/** `severity id` of every finding, in report order. */
const verdicts = (r: ReadinessReport) => r.findings.map((f) => `${f.severity} ${f.id}`);
const objectsOf = (r: ReadinessReport, id: string) => r.findings.filter((f) => f.id === id).flatMap((f) => f.objects);

describe('shipped scenarios that are meant to upgrade', () => {
  // Named, not globbed: a scenario added later may be meant to be blocked.
  const files = [
    'demo',
    'already-at-target',
    'control-plane-fails',
    'addon-fails',
    'pdb-blocks-drain',
    'self-managed',
    'approvals',
  ];

  it.each(files)('%s has no blocker for its next hop', async (file) => {
    const scenario = loadScenario(`${scenariosDir}${file}.yaml`);
    for (const cluster of scenario.clusters) {
      const report = await readiness(file, cluster.name);
      expect(
        report.findings.filter((f) => f.severity === 'blocker'),
        `${file}/${cluster.name}`,
      ).toEqual([]);
      expect(report.ready).toBe(true);
    }
  });
});

describe('readiness-apis: removed APIs from every source, and EKS Upgrade Insights', () => {
  it('blocks on live objects, Helm releases and an insight in ERROR; warns on a stale annotation', async () => {
    // Act
    const report = await readiness('readiness-apis');

    // Assess
    expect(report.ready).toBe(false);
    expect(verdicts(report)).toEqual([
      'blocker api-removed',
      'blocker api-removed',
      'blocker api-removed',
      'blocker api-removed',
      'blocker eks-insight',
      'warning api-removed',
      'warning eks-insight',
      'warning addon-behind-default',
      'info api-deprecated',
    ]);
    expect(objectsOf(report, 'api-removed')).toEqual([
      'Helm release shop/payments (revision 4): CronJob payments-reconcile from payments/templates/cronjob-payments-reconcile.yaml',
      'Helm release shop/payments (revision 4): PodDisruptionBudget payments from payments/templates/poddisruptionbudget-payments.yaml',
      'FlowSchema batch-jobs',
      'PodSecurityPolicy restricted',
      'Ingress shop/storefront',
    ]);
    const stale = report.findings.find((f) => f.severity === 'warning' && f.id === 'api-removed');
    expect(stale?.message).toMatch(/last applied as Ingress extensions\/v1beta1.*may be stale/);
    const insight = report.findings.find((f) => f.id === 'eks-insight' && f.severity === 'blocker');
    expect(insight?.objects).toEqual([
      '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas → /apis/flowcontrol.apiserver.k8s.io/v1/flowschemas (stops 1.32) by policy-sync/1.4.2 (linux/amd64) (1440 calls in 30 days)',
    ]);
    expect(insight?.fix).toBe('Update the clients to call the replacement API before upgrading.');
    expect(report.scanned).toMatchObject({ helmReleases: 1, incomplete: [] });
  });

  it('reports a newer served version of an old object as deprecated, and its old annotation as removed', async () => {
    // Act
    const report = await readiness('readiness-apis', 'aging');

    // Assess
    expect(report.ready).toBe(true);
    expect(verdicts(report)).toEqual(['warning api-deprecated', 'warning api-deprecated', 'warning api-removed']);
    expect(objectsOf(report, 'api-removed')).toEqual(['PriorityLevelConfiguration tenant-b']);
  });
});

describe('readiness-health: every health check', () => {
  it('blocks on the cluster health issue, DEGRADED resources and a failing webhook without endpoints', async () => {
    // Act
    const report = await readiness('readiness-health');

    // Assess
    expect(verdicts(report)).toEqual([
      'blocker cluster-health',
      'blocker eks-resource-unhealthy',
      'blocker webhook-no-endpoints',
      'warning addon-behind-default',
      'warning apiservice-unavailable',
      'warning kube-system-pods-not-ready',
      'warning nodes-not-ready',
      'warning webhook-no-endpoints',
      'warning pdb-zero-disruptions',
    ]);
    expect(objectsOf(report, 'eks-resource-unhealthy')).toEqual([
      expect.stringMatching(/^addon\/coredns DEGRADED \(InsufficientNumberOfReplicas: /),
      expect.stringMatching(/^nodegroup\/batch DEGRADED \(AsgInstanceLaunchFailures: /),
    ]);
    expect(objectsOf(report, 'webhook-no-endpoints')).toEqual([
      'ValidatingWebhookConfiguration policy-guard: policy-guard.security.svc → Service security/policy-guard (failurePolicy Fail)',
      'MutatingWebhookConfiguration sidecar-injector: sidecar-injector.mesh.svc → Service mesh/injector (failurePolicy Ignore)',
    ]);
    expect(objectsOf(report, 'apiservice-unavailable')).toEqual([
      'APIService v1beta1.metrics.k8s.io (FailedDiscoveryCheck)',
    ]);
    expect(objectsOf(report, 'kube-system-pods-not-ready')).toEqual([
      expect.stringMatching(/^Pod kube-system\/metrics-server-\S+ \(Running\)$/),
      expect.stringMatching(/^Pod kube-system\/metrics-server-\S+ \(Running\)$/),
    ]);
    expect(objectsOf(report, 'nodes-not-ready')).toHaveLength(1);
    expect(report.findings.find((f) => f.id === 'cluster-health')?.message).toContain('Ec2SubnetNotFound');
  });
});

describe('readiness-capacity: room for the upgrade', () => {
  it('blocks when only one zone keeps five free IP addresses, and warns on a group at its maximum', async () => {
    // Act
    const report = await readiness('readiness-capacity');

    // Assess
    expect(verdicts(report)).toEqual(['blocker subnet-free-ips', 'warning asg-no-surge-room']);
    const subnets = report.findings[0];
    expect(subnets?.hard).toBe(true);
    expect(subnets?.objects).toHaveLength(2);
    expect(subnets?.objects).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^subnet\/subnet-\w+ \(eu-west-1a\): 2 free$/),
        expect.stringMatching(/^subnet\/subnet-\w+ \(eu-west-1b\): 4 free$/),
      ]),
    );
    expect(objectsOf(report, 'asg-no-surge-room')).toEqual(['autoscaling-group/workers (desired 2, max 2)']);
  });

  it('blocks, and allows no override, when the hop rotates the group at its maximum', async () => {
    const scenario = loadScenario(`${scenariosDir}readiness-capacity.yaml`);
    const cluster = scenario.clusters[0]?.name ?? '';
    const connection = await connectToScenario(scenario, cluster);
    try {
      const from = connection.cluster.version;
      const report = await checkReadiness(
        { ...connection.aws, kube: connection.kube, now: () => new Date('2026-11-21T02:00:00Z') },
        { cluster, from, to: addMinor(from, 1), nodegroups: ['workers'] },
      );
      expect(report.findings.find((f) => f.id === 'asg-no-surge-room')).toMatchObject({
        severity: 'blocker',
        hard: true,
      });
    } finally {
      await connection.close();
    }
  });
});

describe('readiness-drain: what gets in the way of draining nodes', () => {
  it('names each drain blocker and lets the hop start', async () => {
    // Act
    const report = await readiness('readiness-drain');

    // Assess
    expect(report.ready).toBe(true);
    expect(verdicts(report)).toEqual([
      'warning bare-pods',
      'warning emptydir-data',
      'warning pdb-zero-disruptions',
      'warning single-replica-no-pdb',
      'warning tolerates-all-taints',
    ]);
    expect(objectsOf(report, 'bare-pods')).toEqual(['Pod default/debug-shell']);
    expect(objectsOf(report, 'emptydir-data')).toEqual(['Pod default/cache-0', 'Pod default/cache-1']);
    expect(objectsOf(report, 'pdb-zero-disruptions')).toEqual([
      'PodDisruptionBudget default/ledger-pdb (needs 2 healthy, has 2)',
    ]);
    expect(objectsOf(report, 'single-replica-no-pdb')).toEqual(['Deployment default/singleton']);
    expect(objectsOf(report, 'tolerates-all-taints')).toEqual([
      expect.stringMatching(/^Pod default\/log-agent-/),
      expect.stringMatching(/^Pod default\/log-agent-/),
    ]);
  });
});

describe('readiness-versions: runbook checks and self-managed controllers', () => {
  it('blocks on AL2 nodes, the CoreDNS upstream line and controllers too old for the target, and warns with EKS’s insight', async () => {
    // Act
    const report = await readiness('readiness-versions');

    // Assess
    expect(verdicts(report)).toEqual([
      'blocker controller-too-old',
      'blocker controller-too-old',
      'blocker amazon-linux-2',
      'blocker coredns-upstream',
      'warning eks-insight',
      'warning addon-behind-default',
      'warning controller-version-mismatch',
      'warning docker-socket-mount',
      'warning ebs-csi-driver-missing',
    ]);
    // EKS's add-on compatibility insight names the add-on 1.33 does not support, with the versions it does.
    expect(objectsOf(report, 'eks-insight')).toEqual([
      'addon/coredns (compatible: v1.12.4-eksbuild.1, v1.12.1-eksbuild.2)',
    ]);
    expect(objectsOf(report, 'controller-too-old')).toEqual([
      'Deployment kube-system/aws-load-balancer-controller: AWS Load Balancer Controller 2.3.1 is older than 2.4.1, the minimum for 1.33',
      'Deployment karpenter/karpenter: Karpenter 1.1.0 is older than 1.5.0, the minimum for 1.33',
    ]);
    expect(objectsOf(report, 'coredns-upstream')).toEqual(['ConfigMap kube-system/coredns: Corefile line 6']);
    expect(objectsOf(report, 'amazon-linux-2')).toEqual(['nodegroup/al2-workers (AL2_x86_64)']);
    expect(objectsOf(report, 'ebs-csi-driver-missing')).toEqual(['PersistentVolume pv-orders', 'StorageClass gp2']);
    expect(objectsOf(report, 'docker-socket-mount')).toEqual([
      expect.stringMatching(/^Pod ci\/build-agent-/),
      expect.stringMatching(/^Pod ci\/build-agent-/),
    ]);
  });
});

describe('readiness-skew: version skew and add-ons the hop cannot fix', () => {
  it('blocks on kubelets and kube-proxy too far behind the target', async () => {
    const report = await readiness('readiness-skew', 'drifted');
    expect(verdicts(report)).toEqual([
      'blocker kube-proxy-skew',
      'blocker kubelet-skew',
      'warning addon-behind-default',
    ]);
    expect(report.findings.filter((f) => f.severity === 'blocker').every((f) => f.hard)).toBe(true);
    expect(objectsOf(report, 'kubelet-skew')).toEqual([
      expect.stringMatching(/^Node \S+ \(v1\.29\./),
      expect.stringMatching(/^Node \S+ \(v1\.29\./),
    ]);
  });

  it('blocks on an add-on newer than every build of the target and a kube-proxy newer than the control plane', async () => {
    const report = await readiness('readiness-skew', 'overreach');
    expect(verdicts(report)).toEqual([
      'blocker addon-incompatible',
      'blocker kube-proxy-skew',
      'warning kube-proxy-kubelet-skew',
    ]);
    expect(objectsOf(report, 'addon-incompatible')).toEqual([
      'addon/kube-proxy: v1.34.1-eksbuild.2 is newer than every build for 1.33 (newest v1.33.5-eksbuild.2)',
    ]);
    expect(objectsOf(report, 'kube-proxy-kubelet-skew')).toEqual([expect.stringMatching(/^Node \S+ \(v1\.30\./)]);
  });
});
