export { type DispatchDecision, dispatchUpgrades, enrolmentTag, executionNameFor, targetTag } from './dispatch.js';
export { type DispatchTrigger, parseDispatchEvent } from './events.js';
