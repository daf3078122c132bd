import { DescribeClusterCommand, ResourceNotFoundException } from '@aws-sdk/client-eks';
import type { AwsClients } from '../aws/clients.js';
import { ClusterNotFound } from '../errors.js';
import { type KubeApis, kubeApisFor } from './client.js';
import { createEksToken } from './token.js';

/** Connects to a cluster's Kubernetes API with the caller's AWS identity. Throws ClusterNotFound. */
export async function connectToCluster(
  deps: { aws: AwsClients; now: () => Date },
  cluster: { name: string },
): Promise<KubeApis> {
  const described = await deps.aws.eks.send(new DescribeClusterCommand({ name: cluster.name })).catch((e: unknown) => {
    if (e instanceof ResourceNotFoundException) {
      throw new ClusterNotFound(
        `cluster "${cluster.name}" was not found in ${deps.aws.region}: check the name and region`,
        {
          cause: e,
        },
      );
    }
    throw e;
  });
  const endpoint = described.cluster?.endpoint;
  if (!endpoint)
    throw new ClusterNotFound(
      `cluster "${cluster.name}" has no API endpoint yet (status ${described.cluster?.status})`,
    );
  const credentials = await deps.aws.sts.config.credentials();
  const token = await createEksToken({
    clusterName: cluster.name,
    region: deps.aws.region,
    credentials,
    now: deps.now(),
  });
  return kubeApisFor({
    clusterName: cluster.name,
    server: endpoint,
    ...(described.cluster?.certificateAuthority?.data ? { caData: described.cluster.certificateAuthority.data } : {}),
    token,
  });
}
