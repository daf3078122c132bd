/**
 * The fleet as dispatch sees it: one status per cluster, written as a snapshot after every dispatch run and read
 * by `eks-upgrade plan` and the console's fleet page.
 */

/** Where a cluster lives: enough to reach it (through the member role of its account) and to name it uniquely. */
export interface ClusterRef {
  accountId: string;
  region: string;
  name: string;
  /** `arn:aws:eks:<region>:<account>:cluster/<name>` */
  arn: string;
}

/** What dispatch decided for one cluster, in the words the CLI and console show. */
export type DispatchDecisionKind =
  | 'started'
  | 'would-start'
  | 'already-running'
  | 'duplicate'
  | 'nothing-to-do'
  | 'wait-window'
  | 'wait-exclusion'
  | 'wait-wave'
  | 'not-enrolled'
  | 'not-found'
  | 'invalid-policy'
  | 'error';

export interface FleetClusterStatus {
  cluster: ClusterRef;
  enrolled: boolean;
  /** The policy group of the policy file that applies (selected by the cluster's tag). */
  policyGroup?: string;
  /** The wave group (twins that upgrade in order) and this cluster's wave in it. */
  wave?: { group: string; name: string };
  /** The control plane's current minor version. */
  version?: string;
  /** The version the policy resolves to, and the hops to get there. */
  target?: string;
  hops: string[];
  /** ISO timestamps; `supportSource` says whether EKS DescribeClusterVersions or the bundled calendar gave them. */
  endOfStandardSupport?: string;
  endOfExtendedSupport?: string;
  supportSource?: 'eks-api' | 'bundled-calendar';
  /** Whole days from the dispatch instant to the end of standard support (negative once past it). */
  daysLeft?: number;
  /** The start of the first maintenance window (after any wave soak) that the upgrade is planned for. */
  plannedStart?: string;
  /** The planned start leaves less than the policy's margin before the end of standard support. */
  atRisk?: boolean;
  /** The extended-support charge the planned upgrade avoids, in US dollars. */
  extendedSupportCostAvoidedUsd?: number;
  decision: DispatchDecisionKind;
  /** One sentence a person understands: why this decision. */
  reason: string;
  /**
   * `invalid-policy` only: whether the cluster's tags are at fault (a group the file lacks, an override it cannot
   * take) or the policy file's group itself (a target EKS does not offer, a downgrade).
   */
  invalidIn?: 'tags' | 'policy-file';
  executionName?: string;
}

export interface FleetSnapshot {
  /** ISO timestamp of the dispatch run that wrote it. */
  generatedAt: string;
  /** `schedule`, `health` or `cli`. */
  trigger: string;
  clusters: FleetClusterStatus[];
}

/** Where the latest fleet snapshot is kept (an S3 object when deployed, the simulated S3 locally). */
export interface FleetStore {
  read(): Promise<FleetSnapshot | undefined>;
  write(snapshot: FleetSnapshot): Promise<void>;
}
