import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EKSClient } from '@aws-sdk/client-eks';
import { connectToCluster } from '../kube/connect.js';
import type { HandlerNeeds } from '../runtime/deps.js';

/**
 * What a function built on this room uses; its bundle holds these clients and no other. Validating a hop reads EKS,
 * the Auto Scaling groups and the cluster.
 */
export const validationNeeds: HandlerNeeds = {
  aws: { eks: EKSClient, autoscaling: AutoScalingClient },
  kube: connectToCluster,
};
