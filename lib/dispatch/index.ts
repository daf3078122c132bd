export { isRetryable, mapBounded, sharedSleeper, withRetry } from './calls.js';
export { type ClusterDecision, type ClusterDecisionKind, decideCluster } from './decide.js';
export { type DispatchDeps, type DispatchRequest, type DispatchRun, dispatchFleet, hopPath } from './dispatch.js';
export {
  applyTagOverrides,
  approvalsTag,
  enrolmentTag,
  policyFromTags,
  slackChannelTag,
  targetTag,
  waveGroupTag,
} from './enrolment.js';
export { type DispatchTrigger, parseDispatchEvent } from './events.js';
export { clusterArnOf, executionsByCluster } from './executions.js';
export { type HopWindow, hopWindow } from './hop-window.js';
export { clusterArnHash, executionNameFor, readExecutionName } from './names.js';
export { dispatchNeeds } from './needs.js';
export {
  defaultPolicyFile,
  FleetPolicy,
  type GroupPolicy,
  loadPolicyFile,
  type PolicyFile,
  parsePolicyFile,
  policyFileSchema,
  policyTag,
} from './policy-file.js';
export { type ExecutionRecord, formatDuration, type Twin, type WaveGate, waveGate } from './waves.js';
