export { controlPlaneNeeds } from './needs.js';
export {
  checkControlPlaneUpgrade,
  describeUpdateErrors,
  findUpdateInProgress,
  startControlPlaneUpgrade,
  type UpdateProgress,
} from './upgrade.js';
