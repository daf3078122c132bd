/** Shared shapes of the simulated AWS account. */

import type { SimKubeCluster } from '../kube/types.js';
import type { Scenario, ScenarioCluster, ScenarioFault } from '../scenario.js';
import type { SimScheduler } from '../scheduler.js';

/** The services the simulated account serves (Step Functions is simulated elsewhere). */
export type SimServiceName = 'eks' | 'autoscaling' | 'ec2' | 'ssm' | 'sns' | 'sts' | 's3';

/** One AWS call as the simulated account answered it. */
export interface SimAwsCall {
  service: SimServiceName;
  /** Operation name without the `Command` suffix, e.g. `DescribeCluster`. */
  command: string;
  region: string;
  input: unknown;
  /** Simulated instant of the call (milliseconds since epoch). */
  atMs: number;
  requestId: string;
  outcome: 'ok' | 'error';
  /** The error's `name` (AWS error code) when `outcome` is `error`. */
  error?: string;
  /** The assumed-role session that signed the call, when STS issued its credentials. */
  caller?: string;
}

/** A message published to SNS. */
export interface SimPublishedMessage {
  messageId: string;
  region: string;
  topicArn?: string;
  targetArn?: string;
  subject?: string;
  message: string;
  attributes: Record<string, { DataType?: string; StringValue?: string }>;
  atMs: number;
}

/** An asynchronous update with its simulated start and end (the benchmark's physical limit comes from these). */
export interface SimOperation {
  kind: 'controlPlaneUpdate' | 'addonUpdate' | 'nodegroupUpdate';
  cluster: string;
  /** Target version for control plane updates; the add-on or node group name otherwise. */
  name: string;
  updateId: string;
  startMs: number;
  endMs?: number;
  /** EKS update status: `InProgress`, `Successful`, `Failed`. */
  status: string;
}

/** A scenario fault with a flag saying whether a one-shot fault has been used up. */
export interface ArmedFault {
  cluster: ScenarioCluster;
  fault: ScenarioFault;
  /** Throttle: calls still to throttle. Other one-shot faults: 1 until they fire, then 0. */
  remaining: number;
}

/** What every simulated service shares. */
export interface SimAwsContext {
  scenario: Scenario;
  scheduler: SimScheduler;
  accountId: string;
  kubeFor(cluster: string): SimKubeCluster;
  faults: ArmedFault[];
  /** Next value of a per-account counter (deterministic ids). */
  nextSeq(counter: string): number;
}
