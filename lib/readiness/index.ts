export {
  type ApiCatalog,
  type ApiDeprecation,
  type ApiStatus,
  apiCatalog,
  apiDeprecations,
  apiStatusIn,
  componentOf,
  deprecationGuideUrl,
  findApiDeprecation,
  kubernetesApis,
  replacementFor,
} from './apis.js';
export { type CatalogFile, parseCatalogFile, scanCatalog } from './catalog-file.js';
export { checkReadiness, liveScanFindings } from './check.js';
export { type ControllerRule, controllerRules, controllerVerdict, imageVersion } from './checks/controllers.js';
export { componentDeprecations } from './component-apis.js';
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
export { type ManifestScan, scanManifestPaths, type UnreadableInput } from './scan/files.js';
export { decodeHelmRelease, type HelmRelease, HelmReleaseScan, isHelmReleaseSecret } from './scan/helm.js';
export { type ListedResource, type LiveScan, listableResources, scanLiveObjects } from './scan/live.js';
export { type ManifestObject, parseManifests, trackedObjectsIn } from './scan/manifests.js';
export { type RenderOptions, renderScan, type ScanFormat, scanColumns, scanFormats } from './scan/render.js';
export {
  type ApiUsage,
  type ApiVerdict,
  apiFindings,
  type ExitPolicy,
  judgeUsage,
  type ScanTargets,
  scanExitCode,
  type UsageSource,
  usageRef,
} from './scan/usage.js';
