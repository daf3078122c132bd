/** What every readiness check receives: its dependencies, the hop, and the facts gathered once for all. */
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { Addon, Cluster, EKSClient, Nodegroup } from '@aws-sdk/client-eks';
import type { KubeApis } from '../kube/index.js';

/** Read-only clients: readiness never changes anything. */
export interface ReadinessDeps {
  eks: EKSClient;
  ec2: EC2Client;
  autoscaling: AutoScalingClient;
  kube: KubeApis;
  now: () => Date;
}

/** The hop to check. `addons` and `nodegroups` are what the hop will upgrade (all of them when absent). */
export interface ReadinessRequest {
  cluster: string;
  from: string;
  to: string;
  addons?: string[];
  nodegroups?: string[];
}

export interface NodeFacts {
  name: string;
  kubelet?: string;
  ready: boolean;
  osImage?: string;
  /** The managed node group (`eks.amazonaws.com/nodegroup` label), when the node belongs to one. */
  nodegroup?: string;
  /** A Fargate node (`eks.amazonaws.com/compute-type: fargate`): AWS runs and replaces it, per pod. */
  fargate?: boolean;
}

/** What several checks need, read once: the cluster, its add-ons and managed node groups, and its nodes. */
export interface ClusterFacts {
  cluster: Cluster;
  addons: Addon[];
  nodegroups: Nodegroup[];
  nodes: NodeFacts[];
}
