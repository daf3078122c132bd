export { approveByRule, autoApproveApprover, autoApproveVerdict } from './auto-approve.js';
export { decisionLine, type GateContent, gateContent } from './content.js';
export { announceInSlack, type DecisionOutcome, decideGate, recordDecision } from './decide.js';
export { type ApprovalDeps, approvalDeps, readSecureParameter } from './deps.js';
export { approvalEmail } from './email.js';
export {
  type ApprovalDecision,
  type GateName,
  type GateRequest,
  gateIdFor,
  gateNames,
  gateRequestSchema,
  gateTimeoutSeconds,
  type ReadinessSummary,
  readinessSummarySchema,
} from './gate.js';
export {
  closingLine,
  executionArnPrefix,
  type GateClosing,
  type GateRecord,
  gateById,
  latestGate,
  pendingGates,
} from './gates.js';
export { answerApprovalLink, type PageResponse } from './link-page.js';
export { ApprovalLinkInvalid, type ApprovalLinkPayload, openApprovalLink, sealApprovalLink } from './links.js';
export { approvalNeeds } from './needs.js';
export { confirmationPage, messagePage } from './page.js';
export { closeTimedOutGate, type GateOpened, openGate } from './request.js';
export {
  approvalBlocks,
  isSlackApprover,
  type SlackButtonValue,
  type SlackMessageRef,
  slackActionIds,
} from './slack.js';
export { handleSlackInteraction, type SlackInteractionResult } from './slack-interactions.js';
export { type SlackSignatureCheck, slackSignature, verifySlackRequest } from './slack-signature.js';
