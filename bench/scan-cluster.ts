/**
 * The simulated cluster of the `scan100k` benchmark, run in a child process so that the scanning process's memory
 * is the scanner's alone: 100,000 objects of many types (half with a last-applied annotation, some in removed
 * API versions) including 2,000 Helm v3 release records. Prints nothing; talks to the parent over IPC.
 */
import { SimKubernetes, startKubeApiServer } from '../sim/kube/index.js';
import { parseScenario } from '../sim/scenario.js';
import { SimScheduler } from '../sim/scheduler.js';

const helmReleases = 2_000;
const otherObjects = 100_000 - helmReleases;

/** apiVersion, kind, namespaced, and the apiVersion its last-applied annotation says (every other object). */
const kinds: Array<[string, string, boolean, string]> = [
  ['v1', 'ConfigMap', true, 'v1'],
  ['v1', 'Secret', true, 'v1'],
  ['v1', 'Service', true, 'v1'],
  ['v1', 'ServiceAccount', true, 'v1'],
  ['networking.k8s.io/v1', 'Ingress', true, 'extensions/v1beta1'],
  ['networking.k8s.io/v1', 'NetworkPolicy', true, 'networking.k8s.io/v1'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', true, 'autoscaling/v2beta2'],
  ['batch/v1', 'CronJob', true, 'batch/v1beta1'],
  ['rbac.authorization.k8s.io/v1', 'Role', true, 'rbac.authorization.k8s.io/v1'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', true, 'rbac.authorization.k8s.io/v1'],
  ['monitoring.coreos.com/v1', 'ServiceMonitor', true, 'monitoring.coreos.com/v1'],
  ['cert-manager.io/v1', 'Certificate', true, 'cert-manager.io/v1'],
];

function scenario() {
  const objects = Array.from({ length: otherObjects }, (_, i) => {
    const [apiVersion, kind, namespaced, applied] = kinds[i % kinds.length] ?? ['v1', 'ConfigMap', true, 'v1'];
    return {
      apiVersion,
      kind,
      name: `${kind.toLowerCase()}-${i}`,
      ...(namespaced ? { namespace: `team-${i % 200}` } : {}),
      ...(i % 2 === 0 ? { lastAppliedApiVersion: applied } : {}),
      body: { data: { owner: `team-${i % 200}`, revision: String(i) } },
    };
  });
  const releases = Array.from({ length: helmReleases }, (_, i) => ({
    name: `app-${i}`,
    namespace: `team-${i % 200}`,
    chart: `chart-${i % 50}`,
    chartVersion: `1.${i % 10}.0`,
    revision: 1 + (i % 5),
    manifests: [
      { apiVersion: 'v1', kind: 'Service', name: `app-${i}` },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: `app-${i}` },
      { apiVersion: 'v1', kind: 'ConfigMap', name: `app-${i}-config` },
      { apiVersion: i % 10 === 0 ? 'policy/v1beta1' : 'policy/v1', kind: 'PodDisruptionBudget', name: `app-${i}` },
      ...(i % 25 === 0 ? [{ apiVersion: 'batch/v1beta1', kind: 'CronJob', name: `app-${i}-nightly` }] : []),
    ],
  }));
  return parseScenario({
    name: 'scan100k',
    clusters: [{ name: 'big', region: 'eu-west-1', version: '1.32', objects, helmReleases: releases }],
  });
}

const cluster = scenario().clusters[0];
if (!cluster) throw new Error('no cluster');
const kube = new SimKubernetes({ scheduler: new SimScheduler(() => Date.now()), clusterName: 'big' });
kube.seed(cluster);
const server = await startKubeApiServer(kube);
process.send?.({ url: server.url, rssMb: Math.round(process.memoryUsage().rss / 1e6) });
process.on('message', async () => {
  await server.close();
  process.exit(0);
});
