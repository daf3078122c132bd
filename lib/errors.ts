/**
 * Typed errors. Each class carries a literal `name` because Step Functions routes on it (`ErrorEquals`) and a
 * literal survives minification. Two families: retryable (the state machine retries with back-off) and terminal
 * (the execution stops, notifies and leaves the cluster resumable).
 */

export abstract class UpgradeError extends Error {
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

abstract class RetryableError extends UpgradeError {
  readonly retryable = true;
}

abstract class TerminalError extends UpgradeError {
  readonly retryable = false;
}

/** AWS or Kubernetes asked us to slow down (ThrottlingException, TooManyRequests, HTTP 429 without a PDB). */
export class Throttled extends RetryableError {
  override readonly name = 'Throttled';
}

/** Someone else is changing the same resource right now (ResourceInUseException, HTTP 409); try again shortly. */
export class ResourceBusy extends RetryableError {
  override readonly name = 'ResourceBusy';
}

/** A transient server-side or network failure (5xx, ServerException, connection reset). */
export class TransientFailure extends RetryableError {
  override readonly name = 'TransientFailure';
}

/** The event or the task input is malformed; the message names the field and the fix. */
export class InvalidInput extends TerminalError {
  override readonly name = 'InvalidInput';
}

/** The cluster named in the input does not exist in that account and region. */
export class ClusterNotFound extends TerminalError {
  override readonly name = 'ClusterNotFound';
}

/** AWS refused a request as invalid (InvalidParameterException, InvalidRequestException, 4xx). */
export class RequestRejected extends TerminalError {
  override readonly name = 'RequestRejected';
}

/** The control plane update finished with status Failed or Cancelled; the message carries EKS's errors. */
export class ControlPlaneUpdateFailed extends TerminalError {
  override readonly name = 'ControlPlaneUpdateFailed';
}

/**
 * A control plane update stayed InProgress far longer than EKS takes. The orchestrator stops waiting; the update
 * itself goes on in EKS, and the next run attaches to it or continues from its outcome.
 */
export class ControlPlaneUpdateStuck extends TerminalError {
  override readonly name = 'ControlPlaneUpdateStuck';
}

/** An EKS add-on update failed or the add-on ended degraded. */
export class AddonUpdateFailed extends TerminalError {
  override readonly name = 'AddonUpdateFailed';
}

/** A managed node group update failed for a reason other than a blocked drain. */
export class NodegroupUpdateFailed extends TerminalError {
  override readonly name = 'NodegroupUpdateFailed';
}

/** Pods could not be evicted (PodDisruptionBudget or similar); the message names the pods and budgets. */
export class PodEvictionBlocked extends TerminalError {
  override readonly name = 'PodEvictionBlocked';
}

/** The readiness check found blockers for the hop; the message summarises them. */
export class ReadinessBlocked extends TerminalError {
  override readonly name = 'ReadinessBlocked';
}

/** A human (or a policy) rejected an approval gate. */
export class ApprovalRejected extends TerminalError {
  override readonly name = 'ApprovalRejected';
}

/** Nobody decided an approval gate before its timeout, and the policy stops the upgrade on timeout. */
export class ApprovalTimedOut extends TerminalError {
  override readonly name = 'ApprovalTimedOut';
}

/** The post-hop validation found the cluster not at the expected state. */
export class ValidationFailed extends TerminalError {
  override readonly name = 'ValidationFailed';
}

/** The upgrade policy is invalid; the message names the field and the fix. */
export class InvalidPolicy extends TerminalError {
  override readonly name = 'InvalidPolicy';
}

/**
 * STS refused to let the orchestrator assume the member role of a cluster's account: the role is missing, its
 * trust policy does not name the orchestrator's function roles, or the external id differs.
 */
export class AccountAccessDenied extends TerminalError {
  override readonly name = 'AccountAccessDenied';
}

/** Every error name the state machines may route on, for tests and documentation. */
export const errorNames = [
  'Throttled',
  'ResourceBusy',
  'TransientFailure',
  'InvalidInput',
  'ClusterNotFound',
  'RequestRejected',
  'ControlPlaneUpdateFailed',
  'AddonUpdateFailed',
  'NodegroupUpdateFailed',
  'PodEvictionBlocked',
  'ReadinessBlocked',
  'ApprovalRejected',
  'ApprovalTimedOut',
  'ValidationFailed',
  'InvalidPolicy',
  'AccountAccessDenied',
] as const;

export type ErrorName = (typeof errorNames)[number];

/** The names of the retryable family, used by the state machine's Retry blocks. */
export const retryableErrorNames: readonly ErrorName[] = ['Throttled', 'ResourceBusy', 'TransientFailure'];
