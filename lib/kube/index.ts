export { isKubeApiError, type KubeApiError } from './api-error.js';
export { type KubeApis, kubeApisFor, listAll } from './client.js';
export { connectToCluster } from './connect.js';
export { selects } from './selectors.js';
export { createEksToken } from './token.js';
