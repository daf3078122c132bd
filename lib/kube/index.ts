export { type KubeApis, kubeApisFor, listAll } from './client.js';
export { connectToCluster } from './connect.js';
export { createEksToken } from './token.js';
