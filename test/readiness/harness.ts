import { type KubeApis, kubeApisFor } from '../../lib/kube/index.js';
import { SimKubernetes, type SimNodeSpec, startKubeApiServer } from '../../sim/kube/index.js';
import { parseScenario, type ScenarioCluster } from '../../sim/scenario.js';
import { SimScheduler } from '../../sim/scheduler.js';

const presigned =
  'https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=0f1e';
/** A bearer token in the EKS format the simulated API server checks (its shape, not a signature). */
export const simulatedEksToken = `k8s-aws-v1.${Buffer.from(presigned).toString('base64url')}`;

/**
 * A simulated Kubernetes API (no AWS) seeded with one scenario cluster and the `nodes` given (added before the
 * workloads, so their pods run), and real clients for it.
 */
export async function startKube(
  cluster: Record<string, unknown>,
  options: { nodes?: SimNodeSpec[]; now?: () => number } = {},
): Promise<{
  kube: KubeApis;
  sim: SimKubernetes;
  spec: ScenarioCluster;
  url: string;
  close: () => Promise<void>;
}> {
  const spec = parseScenario({
    name: 'readiness-test',
    clusters: [{ name: 'test', region: 'eu-west-1', version: '1.32', ...cluster }],
  }).clusters[0];
  if (!spec) throw new Error('no cluster');
  const sim = new SimKubernetes({
    scheduler: new SimScheduler(options.now ?? (() => Date.now())),
    clusterName: spec.name,
  });
  for (const node of options.nodes ?? []) sim.addNode(node);
  sim.seed(spec);
  const server = await startKubeApiServer(sim);
  return {
    kube: kubeApisFor({ clusterName: spec.name, server: server.url, token: simulatedEksToken }),
    sim,
    spec,
    url: server.url,
    close: () => server.close(),
  };
}
