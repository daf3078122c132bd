import { kubeletVersionFor, type SimAccount, SimCloud } from './aws/index.js';
import {
  createServingCertificates,
  type KubeApiServer,
  type KubeApiServerOptions,
  type ServingCertificates,
  SimKarpenter,
  SimKubernetes,
  startKubeApiGateway,
  startKubeApiServer,
} from './kube/index.js';
import type { Scenario } from './scenario.js';
import { SimScheduler } from './scheduler.js';

export interface SimClusterHandle {
  name: string;
  region: string;
  /** The account the cluster lives in. */
  accountId: string;
  kube: SimKubernetes;
  url: string;
  /** The cluster's simulated Karpenter, when the scenario gives it NodePools. */
  karpenter?: SimKarpenter;
}

/** The simulated world of one scenario: its AWS accounts and a Kubernetes API server per cluster. */
export interface SimWorld {
  scenario: Scenario;
  scheduler: SimScheduler;
  /** The orchestrator's own (central) account. */
  account: SimAccount;
  /** Every account of the scenario, served by the caller's credentials through `cloud.interceptor`. */
  cloud: SimCloud;
  clusters: Map<string, SimClusterHandle>;
  /** The run's certificate authority and the API servers' certificate: DescribeCluster reports the CA. */
  tls: ServingCertificates;
  close(): Promise<void>;
}

/**
 * Up to this many clusters, each gets its own API server (its own port), as EKS gives each cluster its own
 * endpoint. Beyond, one shared server serves every cluster under its own path: a fleet must not open a socket per
 * cluster.
 */
export const DEDICATED_KUBE_SERVERS_UP_TO = 25;

/**
 * Builds the world a scenario describes, steady at its start: nodes Ready, workloads running. Simulated time
 * is whatever `Date.now()` says (a VirtualClock in local runs).
 */
export async function createSimWorld(
  scenario: Scenario,
  options: {
    onKubeRequest?: (phase: 'start' | 'end') => void;
    /** Parks an AWS call for the scenario's simulated latency (a VirtualClock's `sleep` in local runs). */
    sleep?: (ms: number) => Promise<void>;
  } = {},
): Promise<SimWorld> {
  const scheduler = new SimScheduler(() => Date.now());
  const clusters = new Map<string, SimClusterHandle>();
  const servers: KubeApiServer[] = [];
  let cloud: SimCloud | undefined;
  // EKS endpoints are https: every API server of the world presents a certificate its run's CA signed.
  const tls = await createServingCertificates();
  // EKS maps an identity to a cluster through the cluster's access entries: the member role of the cluster's
  // account may use it; the orchestrator's own credentials (not issued by the simulated STS) reach its own clusters.
  const serverOptions: KubeApiServerOptions = {
    tls,
    ...(options.onKubeRequest ? { onRequest: options.onKubeRequest } : {}),
    authorize: ({ accessKeyId, clusterName }) => {
      const caller = cloud?.identityOf(accessKeyId);
      const owner = clusters.get(clusterName)?.accountId ?? scenario.accountId;
      if (!caller) return owner === scenario.accountId;
      if (!scenario.accounts?.length) return true;
      return caller.accountId === owner;
    },
  };
  try {
    const shared =
      scenario.clusters.length > DEDICATED_KUBE_SERVERS_UP_TO
        ? await startKubeApiGateway((name) => clusters.get(name)?.kube, serverOptions)
        : undefined;
    if (shared) servers.push(shared);
    for (const c of scenario.clusters) {
      const kube = new SimKubernetes({ scheduler, clusterName: c.name });
      let url: string;
      if (shared) {
        url = `${shared.url}/clusters/${encodeURIComponent(c.name)}`;
      } else {
        const server = await startKubeApiServer(kube, serverOptions);
        servers.push(server);
        url = server.url;
      }
      const karpenter =
        c.karpenter || c.autoMode
          ? new SimKarpenter({ kube, scheduler, cluster: c, kubeletVersionFor: (minor) => kubeletVersionFor(minor) })
          : undefined;
      clusters.set(c.name, {
        name: c.name,
        region: c.region,
        accountId: c.accountId ?? scenario.accountId,
        kube,
        url,
        ...(karpenter && { karpenter }),
      });
    }
    const handle = (name: string): SimClusterHandle => {
      const h = clusters.get(name);
      if (!h) throw new Error(`no simulated cluster named ${name}`);
      return h;
    };
    cloud = new SimCloud({
      scenario,
      scheduler,
      kubeFor: (name) => handle(name).kube,
      kubeEndpoint: (name) => handle(name).url,
      kubeCertificateAuthority: () => Buffer.from(tls.caPem).toString('base64'),
      // The API server reports its new version once the control plane update lands (GET /version).
      onClusterVersionChange: (name, version) => {
        handle(name).kube.setServerVersion(kubeletVersionFor(version));
        handle(name).karpenter?.onControlPlaneVersion(version);
      },
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
    cloud.start();
    for (const c of clusters.values()) c.karpenter?.start();
    scheduler.advance();
    for (const c of scenario.clusters) handle(c.name).kube.seed(c);
    scheduler.advance();
    return {
      scenario,
      scheduler,
      account: cloud.central,
      cloud,
      clusters,
      tls,
      close: async () => {
        await Promise.all(servers.map((s) => s.close()));
      },
    };
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    throw error;
  }
}
