export {
  type ApiDeprecation,
  type ApiStatus,
  apiDeprecations,
  apiStatusIn,
  deprecationGuideUrl,
  findApiDeprecation,
  replacementFor,
} from './apis.js';
export { checkReadiness, liveScanFindings } from './check.js';
export { type ControllerRule, controllerRules, controllerVerdict, imageVersion } from './checks/controllers.js';
export type { ClusterFacts, NodeFacts, ReadinessDeps, ReadinessRequest } from './context.js';
export { type CheckArea, checkAreas, type Finding, maxObjects, type Severity } from './findings.js';
export { readinessNeeds } from './needs.js';
export {
  buildReport,
  type ReadinessReport,
  readinessSummary,
  renderMarkdown,
  renderText,
} from './report.js';
export { type ManifestScan, scanManifestPaths } from './scan/files.js';
export { decodeHelmRelease, type HelmRelease, HelmReleaseScan, isHelmReleaseSecret } from './scan/helm.js';
export { type ListedResource, type LiveScan, listableResources, scanLiveObjects } from './scan/live.js';
export { type ManifestObject, parseManifests, trackedObjectsIn } from './scan/manifests.js';
export { renderScan, type ScanFormat } from './scan/render.js';
export {
  type ApiUsage,
  type ApiVerdict,
  apiFindings,
  judgeUsage,
  scanExitCode,
  type UsageSource,
  usageRef,
} from './scan/usage.js';
