import { kubeletVersionFor, SimAccount } from './aws/index.js';
import { SimKarpenter, SimKubernetes, startKubeApiServer } from './kube/index.js';
import type { Scenario } from './scenario.js';
import { SimScheduler } from './scheduler.js';

export interface SimClusterHandle {
  name: string;
  region: string;
  kube: SimKubernetes;
  url: string;
  /** The cluster's simulated Karpenter, when the scenario gives it NodePools. */
  karpenter?: SimKarpenter;
}

/** The simulated world of one scenario: an AWS account and a Kubernetes API server per cluster. */
export interface SimWorld {
  scenario: Scenario;
  scheduler: SimScheduler;
  account: SimAccount;
  clusters: Map<string, SimClusterHandle>;
  close(): Promise<void>;
}

/**
 * Builds the world a scenario describes, steady at its start: nodes Ready, workloads running. Simulated time
 * is whatever `Date.now()` says (a VirtualClock in local runs).
 */
export async function createSimWorld(
  scenario: Scenario,
  options: { onKubeRequest?: (phase: 'start' | 'end') => void } = {},
): Promise<SimWorld> {
  const scheduler = new SimScheduler(() => Date.now());
  const clusters = new Map<string, SimClusterHandle>();
  const servers: Array<{ close(): Promise<void> }> = [];
  try {
    for (const c of scenario.clusters) {
      const kube = new SimKubernetes({ scheduler, clusterName: c.name });
      const server = await startKubeApiServer(kube, options.onKubeRequest ? { onRequest: options.onKubeRequest } : {});
      servers.push(server);
      const karpenter = c.karpenter
        ? new SimKarpenter({ kube, scheduler, cluster: c, kubeletVersionFor: (minor) => kubeletVersionFor(minor) })
        : undefined;
      clusters.set(c.name, { name: c.name, region: c.region, kube, url: server.url, ...(karpenter && { karpenter }) });
    }
    const handle = (name: string): SimClusterHandle => {
      const h = clusters.get(name);
      if (!h) throw new Error(`no simulated cluster named ${name}`);
      return h;
    };
    const account = new SimAccount({
      scenario,
      scheduler,
      kubeFor: (name) => handle(name).kube,
      kubeEndpoint: (name) => handle(name).url,
      // The API server reports its new version once the control plane update lands (GET /version).
      onClusterVersionChange: (name, version) => {
        handle(name).kube.setServerVersion(kubeletVersionFor(version));
        handle(name).karpenter?.onControlPlaneVersion(version);
      },
    });
    account.start();
    for (const c of clusters.values()) c.karpenter?.start();
    scheduler.advance();
    for (const c of scenario.clusters) handle(c.name).kube.seed(c);
    scheduler.advance();
    return {
      scenario,
      scheduler,
      account,
      clusters,
      close: async () => {
        await Promise.all(servers.map((s) => s.close()));
      },
    };
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    throw error;
  }
}
