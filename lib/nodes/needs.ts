import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { SSMClient } from '@aws-sdk/client-ssm';
import { connectToCluster } from '../kube/connect.js';
import type { HandlerNeeds } from '../runtime/deps.js';

/**
 * What a function built on this room uses; its bundle holds these clients and no other. Node rotation: managed node
 * groups (EKS), self-managed groups (Auto Scaling, EC2 launch templates, AMIs from SSM) and the nodes themselves.
 */
export const rotationNeeds: HandlerNeeds = {
  aws: { eks: EKSClient, autoscaling: AutoScalingClient, ec2: EC2Client, ssm: SSMClient },
  kube: connectToCluster,
};
