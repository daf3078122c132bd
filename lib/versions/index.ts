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
  CALENDAR_MAX_AGE_DAYS,
  CALENDAR_MAX_DAYS_SINCE_NEWEST_RELEASE,
  CALENDAR_MIN_STANDARD_SUPPORT_LEFT_DAYS,
  calendarStaleness,
  daysUntilEndOfStandardSupport,
  eksClusterHourlyUsd,
  extendedSupportCostAvoided,
  loadSupportCalendar,
  type SupportCalendar,
  type VersionSupport,
} from './support.js';
