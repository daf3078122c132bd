/**
 * Helm v3 release records, stored the way Helm's Secret driver stores them
 * (helm/pkg/storage/driver/secrets.go, util.go): one Secret per revision named `sh.helm.release.v1.<name>.v<rev>`,
 * type `helm.sh/release.v1`, whose `release` key holds base64(gzip(JSON release)). The Secret's data is base64
 * once more on the wire, as for every Secret.
 */
import { gzipSync } from 'node:zlib';
import { stringify as toYaml } from 'yaml';
import type { ScenarioCluster } from '../scenario.js';

type HelmRelease = ScenarioCluster['helmReleases'][number];

/** The rendered manifest Helm keeps in a release: one YAML document per object, each headed by its template source. */
export function renderHelmManifest(release: HelmRelease): string {
  return release.manifests
    .map((m) => {
      const body = toYaml({
        apiVersion: m.apiVersion,
        kind: m.kind,
        metadata: {
          name: m.name,
          labels: {
            'app.kubernetes.io/instance': release.name,
            'app.kubernetes.io/managed-by': 'Helm',
            'helm.sh/chart': `${release.chart}-${release.chartVersion}`,
          },
        },
      });
      return `---\n# Source: ${release.chart}/templates/${m.kind.toLowerCase()}-${m.name}.yaml\n${body}`;
    })
    .join('\n');
}

/** Helm's `encodeRelease`: JSON, gzip, standard base64. */
export function encodeHelmRelease(release: HelmRelease, deployedAt: string): string {
  const record = {
    name: release.name,
    info: {
      first_deployed: deployedAt,
      last_deployed: deployedAt,
      deleted: '',
      description: release.revision === 1 ? 'Install complete' : 'Upgrade complete',
      status: 'deployed',
    },
    chart: {
      metadata: {
        name: release.chart,
        version: release.chartVersion,
        apiVersion: 'v2',
        appVersion: release.chartVersion,
        type: 'application',
      },
      lock: null,
      templates: [],
      values: {},
      schema: null,
      files: [],
    },
    config: {},
    manifest: renderHelmManifest(release),
    version: release.revision,
    namespace: release.namespace,
  };
  return gzipSync(JSON.stringify(record), { level: 9 }).toString('base64');
}

/** The Secret (without server-set metadata) Helm's storage driver writes for the release's current revision. */
export function helmReleaseSecret(release: HelmRelease, deployedAt: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `sh.helm.release.v1.${release.name}.v${release.revision}`,
      namespace: release.namespace,
      labels: { name: release.name, owner: 'helm', status: 'deployed', version: String(release.revision) },
    },
    type: 'helm.sh/release.v1',
    data: { release: Buffer.from(encodeHelmRelease(release, deployedAt)).toString('base64') },
  };
}
