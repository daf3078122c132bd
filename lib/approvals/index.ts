export { type ApprovalDecision, type GateName, requestApproval } from './request.js';
