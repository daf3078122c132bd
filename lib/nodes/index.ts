export { amiFamilyOf, amiParameterFor, launchTemplateForVersion } from './ami.js';
export { pauseClusterAutoscaler, pausedReplicasAnnotation, resumeClusterAutoscaler } from './autoscaler.js';
export { describeBlockers, type EvictionBlocker, findEvictionBlockers } from './blockers.js';
export { FARGATE_PREFIX, fargateProfilesOf, rotateFargateProfile } from './fargate.js';
export {
  AUTO_MODE_PREFIX,
  checkKarpenterPool,
  KARPENTER_PREFIX,
  karpenterNodePools,
  nodePools,
  type PoolProgress,
  poolNodes,
} from './karpenter.js';
export { checkNodegroupUpgrade, type NodegroupProgress, startNodegroupUpgrade } from './managed.js';
export { rotationNeeds } from './needs.js';
export { checkNodeGroupRotation, type NodeGroupProgress, type RotationDeps, startNodeGroupRotation } from './rotate.js';
export {
  defaultRotationOptions,
  type RotationOptions,
  rotateSelfManagedGroup,
  rotationMarks,
  type SelfManagedProgress,
} from './selfmanaged.js';
