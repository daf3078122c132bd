/**
 * Helm v3 release records: Secrets of type `helm.sh/release.v1` named `sh.helm.release.v1.<release>.v<revision>`,
 * whose `release` key holds base64(gzip(JSON release)), base64-encoded once more as all Secret data is
 * (helm/pkg/storage/driver/secrets.go and util.go). Only the deployed revision describes what runs.
 */
import { gunzipSync } from 'node:zlib';
import { trackedObjectsIn } from './manifests.js';
import type { ApiUsage } from './usage.js';

export const helmReleaseType = 'helm.sh/release.v1';

/** What a Secret looks like as the list returns it (client-node's V1Secret satisfies it). */
export interface SecretLike {
  type?: string;
  metadata?: { name?: string; namespace?: string; labels?: { [key: string]: string } };
  data?: { [key: string]: string };
}

export interface HelmRelease {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  chart?: string;
  manifest: string;
}

/** Whether a Secret is a Helm v3 release record. */
export function isHelmReleaseSecret(secret: SecretLike): boolean {
  return secret.type === helmReleaseType && (secret.metadata?.name ?? '').startsWith('sh.helm.release.v1.');
}

const gzipMagic = [0x1f, 0x8b, 0x08];

/** Helm's `decodeRelease`: base64, then gunzip when the gzip magic is there, then JSON. Throws on garbage. */
export function decodeHelmRelease(encoded: string): HelmRelease {
  const bytes = Buffer.from(encoded, 'base64');
  const json = gzipMagic.every((b, i) => bytes[i] === b) ? gunzipSync(bytes) : bytes;
  const record = JSON.parse(json.toString('utf8')) as {
    name?: string;
    namespace?: string;
    version?: number;
    info?: { status?: string };
    chart?: { metadata?: { name?: string; version?: string } };
    manifest?: string;
  };
  const chart = record.chart?.metadata;
  return {
    name: record.name ?? '',
    namespace: record.namespace ?? '',
    revision: record.version ?? 0,
    status: record.info?.status ?? 'unknown',
    ...(chart?.name ? { chart: `${chart.name}-${chart.version ?? ''}` } : {}),
    manifest: record.manifest ?? '',
  };
}

/**
 * Keeps, per release, the uses of tracked APIs in its deployed revision. Secrets arrive one at a time while the
 * cluster is streamed; only the highest deployed revision of each release is kept, and only its tracked objects.
 */
export class HelmReleaseScan {
  private readonly releases = new Map<string, { revision: number; usages: ApiUsage[] }>();
  /** Release records that could not be decoded, by Secret. */
  readonly unreadable: string[] = [];

  /** Looks at one Secret; anything but a deployed Helm release record is ignored. */
  add(secret: SecretLike): void {
    if (!isHelmReleaseSecret(secret)) return;
    // Helm labels each record with its status, so superseded revisions are skipped without decoding them.
    const labelled = secret.metadata?.labels?.status;
    if (labelled !== undefined && labelled !== 'deployed') return;
    const where = `${secret.metadata?.namespace}/${secret.metadata?.name}`;
    let release: HelmRelease;
    try {
      release = decodeHelmRelease(Buffer.from(secret.data?.release ?? '', 'base64').toString('utf8'));
    } catch {
      this.unreadable.push(where);
      return;
    }
    if (release.status !== 'deployed') return;
    const namespace = release.namespace || (secret.metadata?.namespace ?? 'default');
    const key = `${namespace}/${release.name}`;
    if ((this.releases.get(key)?.revision ?? -1) >= release.revision) return;
    const usages = trackedObjectsIn(release.manifest).map(
      (o): ApiUsage => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        name: o.name,
        ...(o.namespace ? { namespace: o.namespace } : {}),
        source: { type: 'helm', release: key, revision: release.revision },
        ...(o.template ? { template: o.template } : {}),
      }),
    );
    this.releases.set(key, { revision: release.revision, usages });
  }

  /** Deployed releases seen. */
  get count(): number {
    return this.releases.size;
  }

  /** The tracked API uses of every deployed release, by release. */
  usages(): ApiUsage[] {
    return [...this.releases.keys()].sort().flatMap((k) => this.releases.get(k)?.usages ?? []);
  }
}
