import { type KubeApis, kubeApisFor } from '../../lib/kube/index.js';
import { SimKubernetes, startKubeApiServer } from '../../sim/kube/index.js';
import { parseScenario, type ScenarioCluster } from '../../sim/scenario.js';
import { SimScheduler } from '../../sim/scheduler.js';

const presigned =
  'https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=0f1e';
const token = `k8s-aws-v1.${Buffer.from(presigned).toString('base64url')}`;

/** A simulated Kubernetes API (no AWS) seeded with one scenario cluster, and real clients for it. */
export async function startKube(
  cluster: Record<string, unknown>,
): Promise<{ kube: KubeApis; sim: SimKubernetes; spec: ScenarioCluster; close: () => Promise<void> }> {
  const spec = parseScenario({
    name: 'readiness-test',
    clusters: [{ name: 'test', region: 'eu-west-1', version: '1.32', ...cluster }],
  }).clusters[0];
  if (!spec) throw new Error('no cluster');
  const sim = new SimKubernetes({ scheduler: new SimScheduler(() => Date.now()), clusterName: spec.name });
  sim.seed(spec);
  const server = await startKubeApiServer(sim);
  return {
    kube: kubeApisFor({ clusterName: spec.name, server: server.url, token }),
    sim,
    spec,
    close: () => server.close(),
  };
}
