import { Agent as HttpsAgent } from 'node:https';
import {
  AdmissionregistrationV1Api,
  ApiregistrationV1Api,
  ApisApi,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PolicyV1Api,
  type RequestContext,
  StorageV1Api,
} from '@kubernetes/client-node';

/** The Kubernetes API groups the orchestrator talks to. */
export interface KubeApis {
  core: CoreV1Api;
  apps: AppsV1Api;
  policy: PolicyV1Api;
  /** Any served resource by apiVersion and kind (the readiness scan lists every one). */
  objects: KubernetesObjectApi;
  /** API discovery: `/apis` (groups) and `/apis/<group>/<version>` (their resources). */
  groups: ApisApi;
  custom: CustomObjectsApi;
  apiRegistration: ApiregistrationV1Api;
  admission: AdmissionregistrationV1Api;
  endpointSlices: DiscoveryV1Api;
  storage: StorageV1Api;
  server: string;
}

/**
 * A KubeConfig whose requests share one keep-alive agent. @kubernetes/client-node makes a new agent for every
 * request, so every call would open a new TLS connection (a full handshake to the EKS endpoint); this keeps the
 * options it chose (the cluster's CA, verification) and reuses connections across the calls of one invocation.
 */
class PooledKubeConfig extends KubeConfig {
  private pooled: HttpsAgent | undefined;

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const made = context.getAgent();
    if (!(made instanceof HttpsAgent)) return;
    this.pooled ??= new HttpsAgent({ ...made.options, keepAlive: true });
    context.setAgent(this.pooled);
  }
}

/** Builds API clients for one cluster endpoint with a bearer token (an EKS token in practice). */
export function kubeApisFor(options: {
  clusterName: string;
  server: string;
  caData?: string;
  token: string;
}): KubeApis {
  const kc = new PooledKubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: options.clusterName,
        server: options.server,
        ...(options.caData ? { caData: options.caData } : {}),
        // EKS endpoints are https and always verified; a plain-http endpoint (the simulator's) has no TLS to verify.
        skipTLSVerify: new URL(options.server).protocol === 'http:',
      },
    ],
    users: [{ name: 'eks-upgrade', token: options.token }],
    contexts: [{ name: options.clusterName, cluster: options.clusterName, user: 'eks-upgrade' }],
    currentContext: options.clusterName,
  });
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    policy: kc.makeApiClient(PolicyV1Api),
    objects: KubernetesObjectApi.makeApiClient(kc),
    groups: kc.makeApiClient(ApisApi),
    custom: kc.makeApiClient(CustomObjectsApi),
    apiRegistration: kc.makeApiClient(ApiregistrationV1Api),
    admission: kc.makeApiClient(AdmissionregistrationV1Api),
    endpointSlices: kc.makeApiClient(DiscoveryV1Api),
    storage: kc.makeApiClient(StorageV1Api),
    server: options.server,
  };
}

/** Lists every item of a paginated Kubernetes list call, `pageSize` at a time, without holding more than a page. */
export async function* listAll<T>(
  fetchPage: (page: {
    limit: number;
    _continue?: string;
  }) => Promise<{ items: T[]; metadata?: { _continue?: string } }>,
  pageSize = 500,
): AsyncGenerator<T> {
  let token: string | undefined;
  do {
    const page = await fetchPage({ limit: pageSize, ...(token ? { _continue: token } : {}) });
    for (const item of page.items) yield item;
    token = page.metadata?._continue || undefined;
  } while (token);
}
