export { describeBlockers, type EvictionBlocker, findEvictionBlockers } from './blockers.js';
export { checkNodegroupUpgrade, type NodegroupProgress, startNodegroupUpgrade } from './managed.js';
