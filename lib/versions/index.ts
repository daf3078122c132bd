export {
  addMinor,
  compareAddonVersions,
  compareMinor,
  type MinorVersion,
  minorDistance,
  minorOf,
  minorsBetween,
  parseMinor,
} from './minor.js';
export {
  bundledSupportCalendar,
  daysUntilEndOfStandardSupport,
  eksClusterHourlyUsd,
  extendedSupportCostAvoided,
  loadSupportCalendar,
  type SupportCalendar,
  type VersionSupport,
} from './support.js';
