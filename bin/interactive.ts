/** What `demo --interactive` and `dispatch --interactive` tell the user once the local API serves. */
import type { LocalApi } from '../local/api-server.js';
import { removeApiSession, writeApiSession } from '../local/api-session.js';
import type { LocalEnvironment } from '../local/environment.js';
import { kubeconfigLines, removeKubeconfigs, writeKubeconfigs } from '../local/kubeconfig.js';

/**
 * Records the session for `eks-upgrade approve`, writes a kubeconfig per simulated cluster for kubectl, and prints
 * where the console is and how to watch the nodes. Both files go when the process exits.
 */
export async function announceLocalApi(
  api: LocalApi,
  env: LocalEnvironment,
  write: (line: string) => void,
): Promise<void> {
  writeApiSession({ url: api.url, token: api.token, pid: process.pid });
  const kubeconfigs = await writeKubeconfigs(env);
  process.once('exit', () => {
    removeApiSession();
    removeKubeconfigs(kubeconfigs);
  });
  write(`local API on ${api.url} (console API under /api, bearer token in the session file)`);
  write(`Console: ${api.consoleUrl}`);
  for (const line of kubeconfigLines(kubeconfigs)) write(line);
}
