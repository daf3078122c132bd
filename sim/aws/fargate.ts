/**
 * Simulated EKS Fargate profiles, read-only: ListFargateProfiles and DescribeFargateProfile answer the scenario's
 * profiles (ACTIVE, one namespace selector each). The pods they select are placed by the Kubernetes simulator.
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_FargateProfile.html
 */
import {
  type DescribeFargateProfileRequest,
  type DescribeFargateProfileResponse,
  type FargateProfile,
  InvalidParameterException,
  type ListFargateProfilesRequest,
  type ListFargateProfilesResponse,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { modelled } from './errors.js';
import { uuidFrom } from './ids.js';
import type { SimAwsContext } from './types.js';
import { handler, type PageLimits, paginate, type SimHandler } from './util.js';

/** ListFargateProfiles takes `maxResults` from 1 to 100 (the EKS service model). */
const fargatePageLimits: PageLimits = {
  member: 'maxResults',
  min: 1,
  max: 100,
  refuse: (message) => modelled(InvalidParameterException, 400, message, {}),
};

const notFound = (message: string, fields: { clusterName?: string; fargateProfileName?: string }) =>
  modelled(ResourceNotFoundException, 404, message, fields);

/** The EKS commands of Fargate profiles, to merge into the simulated EKS's handlers. */
export function fargateCommands(ctx: SimAwsContext): Record<string, SimHandler> {
  const clusterOf = (region: string, name: string | undefined) => {
    const cluster = ctx.scenario.clusters.find((c) => c.name === name && c.region === region);
    if (!cluster)
      throw notFound(`No cluster found for name: ${name ?? ''}.`, { ...(name ? { clusterName: name } : {}) });
    return cluster;
  };
  const profileOf = (cluster: ReturnType<typeof clusterOf>, name: string, region: string): FargateProfile => {
    const profile = cluster.fargateProfiles.find((p) => p.name === name);
    if (!profile) {
      throw notFound(`No Fargate Profile found with name: ${name}.`, {
        clusterName: cluster.name,
        fargateProfileName: name,
      });
    }
    const id = uuidFrom('fargate', cluster.name, name);
    return {
      fargateProfileName: name,
      fargateProfileArn: `arn:aws:eks:${region}:${ctx.accountId}:fargateprofile/${cluster.name}/${name}/${id}`,
      clusterName: cluster.name,
      createdAt: new Date(Date.parse(ctx.scenario.startTime) - 86_400_000 * 30),
      podExecutionRoleArn: `arn:aws:iam::${ctx.accountId}:role/AmazonEKSFargatePodExecutionRole`,
      subnets: [],
      selectors: profile.namespaces.map((namespace) => ({ namespace })),
      status: 'ACTIVE',
      tags: {},
    };
  };
  return {
    ListFargateProfiles: handler((input: ListFargateProfilesRequest, region): ListFargateProfilesResponse => {
      const cluster = clusterOf(region, input.clusterName);
      const names = cluster.fargateProfiles.map((p) => p.name).sort();
      const { page, nextToken } = paginate(names, {
        nextToken: input.nextToken,
        maxResults: input.maxResults,
        defaultMax: 100,
        limits: fargatePageLimits,
        invalidToken: () => notFound('The nextToken provided is invalid.', {}),
      });
      return { fargateProfileNames: page, ...(nextToken ? { nextToken } : {}) };
    }),
    DescribeFargateProfile: handler((input: DescribeFargateProfileRequest, region): DescribeFargateProfileResponse => {
      const cluster = clusterOf(region, input.clusterName);
      return { fargateProfile: profileOf(cluster, input.fargateProfileName ?? '', region) };
    }),
  };
}
