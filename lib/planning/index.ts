export { type Hop, planUpgrade, resolveTarget, type UpgradePlan } from './plan.js';
export { type UpgradePolicy, upgradePolicySchema } from './policy.js';
