export { addonNeeds } from './needs.js';
export {
  type AddonProgress,
  type AddonTarget,
  addonTargetFor,
  checkAddonUpgrade,
  startAddonUpgrade,
} from './upgrade.js';
