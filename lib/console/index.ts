export {
  type ConsoleUser,
  consoleUser,
  csrfHeader,
  type HttpResponse,
  handleConsoleRequest,
  type PendingGateView,
  pendingGateView,
} from './api.js';
export {
  type ExecutionRow,
  type ExecutionStatusFilter,
  isStatusFilter,
  listUpgradeExecutions,
  renderExecutionsPage,
} from './executions.js';
