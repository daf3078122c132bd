export {
  type ClusterConnector,
  commaList,
  currentDeps,
  type DeclaredNeeds,
  declaredServices,
  type HandlerNeeds,
  memberRoleOf,
  ownAccountId,
  productionDeps,
  type RuntimeDeps,
  type RuntimeSettings,
  restrictToNeeds,
  setDependencyProvider,
  UndeclaredNeed,
} from './deps.js';
export { toUpgradeError } from './errors.js';
export { defineHandler } from './handler.js';
export { type Log, type LogRecord, MemoryLog, MemoryMetrics, type MetricRecord, type MetricsSink } from './log.js';
