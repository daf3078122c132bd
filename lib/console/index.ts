export {
  type ExecutionRow,
  type ExecutionStatusFilter,
  isStatusFilter,
  listUpgradeExecutions,
  renderExecutionsPage,
} from './executions.js';
