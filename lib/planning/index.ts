export { planningNeeds } from './needs.js';
export {
  type Hop,
  planUpgrade,
  resolveTarget,
  selfManagedGroupsOf,
  skewAllowsOneRotation,
  type UpgradePlan,
} from './plan.js';
export {
  type ApprovalPolicy,
  approvalPolicySchema,
  autoApproveSchema,
  durationMs,
  durationSchema,
  exclusionSchema,
  maintenanceWindowSchema,
  type NodeRotationPolicy,
  nodeRotationSchema,
  type UpgradePolicy,
  upgradePolicySchema,
} from './policy.js';
