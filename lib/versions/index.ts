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
