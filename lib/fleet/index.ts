export { fleetStoreNeeds } from './needs.js';
export { s3FleetStore } from './store.js';
export type {
  ClusterRef,
  DispatchDecisionKind,
  FleetClusterStatus,
  FleetSnapshot,
  FleetStore,
} from './types.js';
export {
  type ExclusionSpec,
  type MaintenanceWindowSpec,
  nextOpening,
  scheduleProblems,
  type WindowSchedule,
  type WindowState,
  windowState,
} from './windows.js';
