import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { connectToCluster } from '../kube/connect.js';
import type { HandlerNeeds } from '../runtime/deps.js';

/**
 * What a function built on this room uses; its bundle holds these clients and no other. The readiness checks read
 * EKS, subnets and launch templates (EC2), Auto Scaling groups and the cluster.
 */
export const readinessNeeds: HandlerNeeds = {
  aws: { eks: EKSClient, ec2: EC2Client, autoscaling: AutoScalingClient },
  kube: connectToCluster,
};
