/**
 * The contract between the simulated Kubernetes cluster (state + HTTP API) and the rest of the simulator
 * (the simulated EKS and Auto Scaling, which launch and terminate nodes and drain them for managed node groups).
 */

export interface SimTaint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface SimNodeSpec {
  /** Node name, e.g. `ip-10-0-1-23.eu-west-1.compute.internal`. */
  name: string;
  /** EC2 instance id backing the node; also in `spec.providerID` as `aws:///<az>/<id>`. */
  instanceId: string;
  availabilityZone: string;
  /** Node group (managed) or Auto Scaling group (self-managed) name; also the `eks.amazonaws.com/nodegroup` label for managed groups. */
  group: string;
  groupKind: 'managed' | 'self-managed' | 'karpenter' | 'fargate';
  /** Full kubelet version as the node reports it, e.g. `v1.32.9-eks-113cf36`. */
  kubeletVersion: string;
  osImage: string;
  instanceType: string;
  maxPods: number;
  labels?: Record<string, string>;
  taints?: SimTaint[];
  /** Simulated seconds from now until the kubelet reports Ready; `Infinity` never (fault injection). */
  startupSeconds: number;
}

export interface SimEvictionResult {
  /** `evicted`: the pod is terminating; `blocked`: a PodDisruptionBudget forbids it now (HTTP 429). */
  outcome: 'evicted' | 'blocked' | 'not-found';
  /** For `blocked`: `namespace/name` of the budget that forbids it. */
  pdb?: string;
  message: string;
}

export interface SimPodSummary {
  namespace: string;
  name: string;
  nodeName?: string;
  ownerKind?: 'ReplicaSet' | 'StatefulSet' | 'DaemonSet';
  ownerName?: string;
  ready: boolean;
  terminating: boolean;
  hasEmptyDir: boolean;
}

export interface SimDisruptionStats {
  /** Times a PodDisruptionBudget's healthy count fell below its desired count because of an eviction or a node termination. */
  pdbViolations: number;
  /** Pods that were still running on a node when it was terminated (killed, not evicted). */
  podsLost: number;
  /** Human-readable records of each violation and loss, for test failure messages. */
  incidents: string[];
}

/** What the simulated EKS and Auto Scaling need from the simulated Kubernetes cluster. */
export interface SimKubeCluster {
  addNode(spec: SimNodeSpec): void;
  /** The instance is gone: the node object is deleted and every pod still bound to it dies with it. */
  removeNode(name: string): void;
  setUnschedulable(name: string, unschedulable: boolean): void;
  /** The kubelet stops (or resumes) posting Ready. */
  setNodeReady(name: string, ready: boolean): void;
  addTaint(name: string, taint: SimTaint): void;
  removeTaint(name: string, key: string): void;
  /** Same rules as the Eviction API (policy/v1): PDB arithmetic, unhealthy pods, grace periods. */
  evictPod(namespace: string, name: string): SimEvictionResult;
  /** Pods bound to the node that are not terminating. */
  podsOnNode(name: string): SimPodSummary[];
  nodeNames(): string[];
  isNodeReady(name: string): boolean;
  disruptionStats(): SimDisruptionStats;
}
