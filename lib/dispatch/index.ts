export {
  approvalsTag,
  type DispatchDecision,
  dispatchUpgrades,
  enrolmentTag,
  executionNameFor,
  policyFromTags,
  slackChannelTag,
  targetTag,
} from './dispatch.js';
export { type DispatchTrigger, parseDispatchEvent } from './events.js';
