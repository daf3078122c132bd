export {
  type ConsoleDeps,
  type ConsoleRequest,
  type ConsoleUser,
  consoleUser,
  csrfHeader,
  type HttpResponse,
  handleConsoleRequest,
  type PendingGateView,
  pendingGateView,
} from './api.js';
export {
  type ApprovalView,
  type ExecutionDetail,
  executionDetail,
  type FailureView,
  type HopView,
  type ReadinessView,
  type StageView,
} from './execution-detail.js';
export { failureAdvice, plainCause } from './execution-failure.js';
export {
  type ExecutionRow,
  type ExecutionStatusFilter,
  type ExecutionsPage,
  executionSubject,
  isStatusFilter,
  listUpgradeExecutions,
  parseExecutionName,
  scanBudget,
} from './executions.js';
export { type FleetRow, type FleetView, fleetView, type SupportBand, soonDays, supportBand } from './fleet.js';
export { consoleNeeds } from './needs.js';
export { type ConsoleSettings, consoleSettingsFromEnv, contentSecurityPolicy, serveConsoleStatic } from './static.js';
