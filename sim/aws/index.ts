export {
  SimAccount,
  type SimAccountOptions,
  type SimGroupSummary,
  type SimIdentity,
  type SimNodegroupSummary,
} from './account.js';
export {
  type AddonCatalogEntry,
  type AddonVersionEntry,
  type AmiFamily,
  type AmiImage,
  type AmiRelease,
  type Architecture,
  addonCatalog,
  addonNames,
  addonVersionsFor,
  amiFamilyAvailable,
  amiReleases,
  amiTypeFamily,
  compareAddonVersions,
  compareMinor,
  DEFAULT_CLUSTER_VERSION,
  defaultAddonVersion,
  findAddon,
  findAmi,
  imageById,
  isAddonVersionCompatible,
  isKnownVersion,
  type KubernetesVersionInfo,
  kubeletVersionFor,
  kubernetesVersions,
  LAST_AL2_VERSION,
  latestPlatformVersion,
  latestReleaseVersion,
  nextMinor,
  type PublicParameter,
  publicParameters,
  recommendedImageParameter,
  supportStatus,
  type VersionSupportStatus,
  versionInfo,
} from './catalog.js';
export { ORCHESTRATOR_ROLE, SimCloud, type SimCloudOptions } from './cloud.js';
export { NotSimulatedError } from './errors.js';
export { combineInterceptors, simulatorInterceptor } from './interceptor.js';
export { UNSCHEDULABLE_TAINT } from './nodegroup-update.js';
export type { SimAssumedRole } from './sts.js';
export type { SimAwsCall, SimOperation, SimPublishedMessage, SimServiceName } from './types.js';
