/**
 * The live cluster, streamed: every resource discovery lists with the `list` verb, one page (`limit`/`continue`)
 * at a time, keeping only the uses of tracked APIs, never the objects.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
 */
import { ApiException, type KubernetesObject, type V1APIResource } from '@kubernetes/client-node';
import type { KubeApis } from '../../kube/index.js';
import { findApiDeprecation } from '../apis.js';
import { HelmReleaseScan, type SecretLike } from './helm.js';
import { type ApiUsage, isTrackedApi } from './usage.js';

export interface ListedResource {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

export interface LiveScan {
  resources: number;
  objects: number;
  helmReleases: number;
  /** Uses of tracked APIs: live objects, last-applied annotations, deployed Helm releases. */
  usages: ApiUsage[];
  /** What could not be listed (an unavailable aggregated API, missing RBAC), as `apiVersion/resource: reason`. */
  incomplete: string[];
}

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

/** GA before beta before alpha, then the higher number, as API servers prefer versions. */
function versionRank(version: string): number {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!m) return 0;
  const stability = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3;
  return stability * 1_000_000 + Number(m[1]) * 1_000 + Number(m[3] ?? 0);
}

/** A discovery or list failure that leaves the scan incomplete instead of failing it; others are rethrown. */
function incompleteReason(error: unknown): string | undefined {
  if (error instanceof ApiException && [403, 404, 503].includes(error.code)) return `HTTP ${error.code}`;
  return undefined;
}

async function groupVersionResources(
  kube: KubeApis,
  incomplete: string[],
): Promise<Array<{ apiVersion: string; resource: V1APIResource }>> {
  const found = (await kube.core.getAPIResources()).resources.map((resource) => ({ apiVersion: 'v1', resource }));
  for (const group of (await kube.groups.getAPIVersions()).groups) {
    for (const { version } of group.versions) {
      try {
        const list = await kube.custom.getAPIResources({ group: group.name, version });
        for (const resource of list.resources) found.push({ apiVersion: `${group.name}/${version}`, resource });
      } catch (error) {
        const reason = incompleteReason(error);
        if (!reason) throw error;
        incomplete.push(`${group.name}/${version}: discovery failed (${reason})`);
      }
    }
  }
  return found;
}

/**
 * The resources to list: each resource once, in the version the server prefers. An old group that the server
 * still serves next to a newer one (extensions/v1beta1 Ingress beside networking.k8s.io/v1) is skipped: the same
 * objects come back through either, so the old version says nothing about how they were written.
 */
export async function listableResources(kube: KubeApis, incomplete: string[] = []): Promise<ListedResource[]> {
  const preferred = new Map<string, ListedResource & { rank: number }>();
  for (const { apiVersion, resource } of await groupVersionResources(kube, incomplete)) {
    if (resource.name.includes('/') || !resource.verbs.includes('list')) continue;
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    const rank = versionRank(apiVersion.split('/').pop() ?? '');
    const key = `${group}|${resource.name}`;
    if ((preferred.get(key)?.rank ?? -1) >= rank) continue;
    preferred.set(key, {
      apiVersion,
      kind: resource.kind,
      plural: resource.name,
      namespaced: resource.namespaced,
      rank,
    });
  }
  const served = new Set([...preferred.values()].map((r) => `${r.apiVersion}|${r.kind}`));
  return [...preferred.values()]
    .filter((r) => {
      // Only a replacement of the same kind serves the same objects (Endpoints and EndpointSlices are not).
      const entry = findApiDeprecation(r.apiVersion, r.kind);
      return !entry?.replacement || entry.replacementKind || !served.has(`${entry.replacement}|${entry.kind}`);
    })
    .map(({ rank: _rank, ...r }) => r)
    .sort(
      // extensions is the group resources moved out of; it goes last so that an object it shares with a newer
      // group (kube-apiserver's cohabitating resources) is reported under the newer one.
      (a, b) =>
        Number(a.apiVersion.startsWith('extensions/')) - Number(b.apiVersion.startsWith('extensions/')) ||
        a.apiVersion.localeCompare(b.apiVersion) ||
        a.plural.localeCompare(b.plural),
    );
}

/** The uses one listed object reveals: its own version (when tracked) and its last-applied configuration. */
export function objectUsages(resource: ListedResource, item: KubernetesObject): ApiUsage[] {
  const meta = item.metadata;
  const base = { name: meta?.name ?? '', ...(meta?.namespace ? { namespace: meta.namespace } : {}) };
  const usages: ApiUsage[] = [];
  // A version with no removal planned (v1 Endpoints) is what controllers keep writing; only how people write
  // objects (annotations, charts, files) says something there.
  if (findApiDeprecation(resource.apiVersion, resource.kind)?.removedIn) {
    usages.push({ ...base, apiVersion: resource.apiVersion, kind: resource.kind, source: { type: 'live' } });
  }
  const annotation = meta?.annotations?.[lastApplied];
  if (annotation) {
    try {
      const applied = JSON.parse(annotation) as { apiVersion?: unknown; kind?: unknown };
      const { apiVersion, kind } = applied;
      const same = apiVersion === resource.apiVersion && usages.length > 0;
      if (typeof apiVersion === 'string' && typeof kind === 'string' && !same && isTrackedApi(apiVersion, kind)) {
        usages.push({ ...base, apiVersion, kind, source: { type: 'last-applied' } });
      }
    } catch {
      // An annotation that is not JSON was not written by kubectl apply.
    }
  }
  return usages;
}

type ListPage = { items: KubernetesObject[]; continue?: string };

/**
 * One page of a resource. Core (`v1`) kinds go through client-node's typed lists; every other group through the
 * custom objects API, which returns the server's JSON as is: client-node has no model for most kinds (custom
 * resources, old versions) and would drop the list's `continue` token while deserializing them.
 */
async function listPage(kube: KubeApis, resource: ListedResource, limit: number, token?: string): Promise<ListPage> {
  if (resource.apiVersion === 'v1') {
    const page = await kube.objects.list(
      resource.apiVersion,
      resource.kind,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      limit,
      token,
    );
    return { items: page.items, ...(page.metadata?._continue ? { continue: page.metadata._continue } : {}) };
  }
  const [group = '', version = ''] = resource.apiVersion.split('/');
  const page = (await kube.custom.listClusterCustomObject({
    group,
    version,
    plural: resource.plural,
    limit,
    ...(token ? { _continue: token } : {}),
  })) as { items?: KubernetesObject[]; metadata?: { continue?: string } };
  return { items: page.items ?? [], ...(page.metadata?.continue ? { continue: page.metadata.continue } : {}) };
}

/**
 * Streams every listable resource of the cluster, `pageSize` objects at a time, and returns the uses of tracked
 * APIs it found, including those in the deployed revision of every Helm release. Memory stays bounded by one page
 * and the uses found. An unavailable aggregated API or a forbidden resource makes the scan incomplete, not failed.
 */
export async function scanLiveObjects(kube: KubeApis, options: { pageSize?: number } = {}): Promise<LiveScan> {
  const incomplete: string[] = [];
  const resources = await listableResources(kube, incomplete);
  const helm = new HelmReleaseScan();
  const usages: ApiUsage[] = [];
  // The same object can come back through two groups that share its storage; report it once.
  const reported = new Set<string>();
  let objects = 0;
  for (const resource of resources) {
    const secrets = resource.apiVersion === 'v1' && resource.plural === 'secrets';
    let token: string | undefined;
    try {
      do {
        const page = await listPage(kube, resource, options.pageSize ?? 500, token);
        for (const item of page.items) {
          objects++;
          const uid = item.metadata?.uid;
          if (uid && reported.has(uid)) continue;
          const found = objectUsages(resource, item);
          if (uid && found.length > 0) reported.add(uid);
          usages.push(...found);
          if (secrets) helm.add(item as SecretLike);
        }
        token = page.continue;
      } while (token);
    } catch (error) {
      const reason = incompleteReason(error);
      if (!reason) throw error;
      incomplete.push(`${resource.apiVersion}/${resource.plural}: list failed (${reason})`);
    }
  }
  for (const secret of helm.unreadable) incomplete.push(`Helm release record ${secret} could not be decoded`);
  return {
    resources: resources.length,
    objects,
    helmReleases: helm.count,
    usages: [...usages, ...helm.usages()],
    incomplete,
  };
}
