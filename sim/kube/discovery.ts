/**
 * API discovery documents (`/version`, `/api`, `/api/v1`, `/apis`, `/apis/<group>`, `/apis/<group>/<version>`).
 * A group version is served only if it has resources: the built-in ones, plus the versions of seeded objects,
 * which models a cluster still serving an old API because objects were stored through it.
 * https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api
 */
import type { Json } from './model.js';
import { groupVersion, type ServedResource } from './resources.js';
import type { SimKubernetes } from './state.js';

/** Kinds that serve a read-only `/status` subresource. */
export const STATUS_SUBRESOURCE_KINDS: ReadonlySet<string> = new Set([
  'Node',
  'Pod',
  'Namespace',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'PodDisruptionBudget',
]);

/** Orders versions as Kubernetes prefers them: GA over beta over alpha, then the higher number. */
function versionPriority(version: string): [number, number, number] {
  const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!match) return [0, 0, 0];
  const stability = match[2] === 'alpha' ? 1 : match[2] === 'beta' ? 2 : 3;
  return [stability, Number(match[1]), Number(match[3] ?? 0)];
}

function compareVersions(a: string, b: string): number {
  const pa = versionPriority(a);
  const pb = versionPriority(b);
  for (let i = 0; i < 3; i++) {
    const diff = (pb[i] ?? 0) - (pa[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function apiGroup(name: string, resources: ServedResource[]): Json {
  const versions = [...new Set(resources.filter((r) => r.group === name).map((r) => r.version))].sort(compareVersions);
  const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

function resourceList(group: string, version: string, resources: ServedResource[]): Json | undefined {
  const served = resources.filter((r) => r.group === group && r.version === version);
  if (served.length === 0) return undefined;
  const entries: Json[] = served.map((r) => ({
    name: r.plural,
    singularName: r.kind.toLowerCase(),
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
    ...(r.shortNames && { shortNames: r.shortNames }),
  }));
  // `/status` of the kinds whose status the simulator derives: readable; written only by its own controllers.
  for (const r of served.filter((r) => STATUS_SUBRESOURCE_KINDS.has(r.kind))) {
    entries.push({
      name: `${r.plural}/status`,
      singularName: '',
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: ['get'],
    });
  }
  if (group === '' && version === 'v1') {
    entries.push({
      name: 'pods/eviction',
      singularName: '',
      namespaced: true,
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    });
  }
  if (group === 'apps' && version === 'v1') {
    for (const plural of ['deployments', 'statefulsets']) {
      entries.push({
        name: `${plural}/scale`,
        singularName: '',
        namespaced: true,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion({ group, version }),
    resources: entries,
  };
}

/** The discovery document at `segments`, or undefined if the path is not a discovery path. */
export function discover(kube: SimKubernetes, segments: string[], host: string): Json | undefined {
  const resources = kube.servedResources();
  const [root, a, b, ...rest] = segments;
  if (root === 'version' && a === undefined) return kube.versionInfo();
  if (root === 'api' && a === undefined) {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
    };
  }
  if (root === 'api' && a !== undefined && b === undefined) return resourceList('', a, resources);
  if (root !== 'apis' || rest.length > 0) return undefined;
  const groups = [...new Set(resources.filter((r) => r.group !== '').map((r) => r.group))].sort();
  if (a === undefined) {
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map((g) => apiGroup(g, resources)) };
  }
  if (!groups.includes(a)) return undefined;
  if (b === undefined) return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(a, resources) };
  return resourceList(a, b, resources);
}
