import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EKSClient } from '@aws-sdk/client-eks';
import { connectToCluster } from '../kube/connect.js';
import type { HandlerNeeds } from '../runtime/deps.js';

/**
 * What a function built on this room uses; its bundle holds these clients and no other. Planning reads the cluster,
 * its node groups (EKS, Auto Scaling) and its nodes.
 */
export const planningNeeds: HandlerNeeds = {
  aws: { eks: EKSClient, autoscaling: AutoScalingClient },
  kube: connectToCluster,
};
