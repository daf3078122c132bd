/**
 * Kubeconfigs for the simulated clusters of an interactive run, so that a user can watch an upgrade with real
 * kubectl (`kubectl --kubeconfig … get nodes -w`): the cluster's https endpoint, the run's CA as
 * `certificate-authority-data` (what `aws eks update-kubeconfig` writes), and an EKS token made with the
 * credentials the orchestrator itself uses for that cluster (its member role for a member account's cluster).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { createEksToken } from '../lib/kube/index.js';
import type { LocalEnvironment } from './environment.js';

/** Where the kubeconfigs go; EKS_UPGRADE_KUBECONFIG_DIR moves them (two runs side by side, tests). */
export const kubeconfigDir = process.env.EKS_UPGRADE_KUBECONFIG_DIR ?? join(tmpdir(), 'eks-upgrade-kubeconfig');

export interface WrittenKubeconfig {
  cluster: string;
  file: string;
}

/**
 * Writes one kubeconfig per simulated cluster (readable only by this user: it holds a token) and returns them in
 * the scenario's order. The token lasts as long as the run; the files are removed with `removeKubeconfigs`.
 */
export async function writeKubeconfigs(env: LocalEnvironment, dir = kubeconfigDir): Promise<WrittenKubeconfig[]> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { world } = env;
  const caData = Buffer.from(world.tls.caPem).toString('base64');
  const written: WrittenKubeconfig[] = [];
  for (const cluster of world.clusters.values()) {
    const member = cluster.accountId === world.scenario.accountId ? undefined : cluster.accountId;
    const credentials = await env.deps.aws(cluster.region, member).sts.config.credentials();
    const token = await createEksToken({
      clusterName: cluster.name,
      region: cluster.region,
      credentials,
      now: env.clock.now(),
    });
    const context = `sim-${cluster.name}`;
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: context, cluster: { server: cluster.url, 'certificate-authority-data': caData } }],
      users: [{ name: context, user: { token } }],
      contexts: [{ name: context, context: { cluster: context, user: context } }],
      'current-context': context,
    };
    const file = join(dir, `${cluster.name}.yaml`);
    writeFileSync(file, stringify(config), { mode: 0o600 });
    written.push({ cluster: cluster.name, file });
  }
  return written;
}

export function removeKubeconfigs(written: WrittenKubeconfig[]): void {
  for (const { file } of written) rmSync(file, { force: true });
}

/** The lines an interactive run prints about them: the command for the first cluster, and where the rest are. */
export function kubeconfigLines(written: WrittenKubeconfig[]): string[] {
  const first = written[0];
  if (!first) return [];
  const lines = [`Watch it with kubectl: kubectl --kubeconfig ${first.file} get nodes -w`];
  if (written.length > 1 && written.length <= 4) {
    lines.push(`  (a kubeconfig per cluster: ${written.map((w) => w.file).join(', ')})`);
  } else if (written.length > 4) {
    lines.push(`  (a kubeconfig per cluster in ${dirname(first.file)}, named <cluster>.yaml)`);
  }
  return lines;
}
