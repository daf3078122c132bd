export {
  budgetAllows,
  EC2_NODE_CLASSES,
  NODECLAIMS,
  NODEPOOL_LABEL,
  NODEPOOLS,
  SimKarpenter,
  type SimKarpenterOptions,
} from './karpenter.js';
export type { BudgetSpec, BudgetStatus } from './pdb.js';
export type { ServedResource } from './resources.js';
export {
  type KubeApiServer,
  type KubeApiServerOptions,
  startKubeApiGateway,
  startKubeApiServer,
} from './server.js';
export {
  BUDGET_VIOLATION_MESSAGE,
  budgetCauseMessage,
  type EvictionDecision,
  MULTIPLE_BUDGETS_MESSAGE,
  SimKubernetes,
  type SimKubernetesOptions,
} from './state.js';
export { KubeApiError, type KubeStatus } from './status.js';
export { createServingCertificates, type ServingCertificates } from './tls.js';
export type {
  SimDisruptionStats,
  SimEvictionResult,
  SimKubeCluster,
  SimNodeSpec,
  SimPodSummary,
  SimTaint,
} from './types.js';
