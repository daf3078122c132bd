export { type DecisionOutcome, recordDecision } from './decide.js';
export { ApprovalLinkInvalid, type ApprovalLinkPayload, openApprovalLink, sealApprovalLink } from './links.js';
export { confirmationPage, messagePage } from './page.js';
export { type ApprovalDecision, type GateName, requestApproval } from './request.js';
