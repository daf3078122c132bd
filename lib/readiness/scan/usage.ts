/**
 * Uses of deprecated or removed API versions, wherever they were found (a live object, the last-applied
 * annotation, a Helm release, a manifest file), judged against a target version and grouped into findings.
 */

import { compareMinor } from '../../versions/index.js';
import {
  type ApiCatalog,
  type ApiDeprecation,
  type ApiStatus,
  apiStatusIn,
  componentOf,
  deprecationGuideUrl,
  findApiDeprecation,
  kubernetesApis,
  replacementFor,
} from '../apis.js';
import { type Finding, finding, objectRef, type Severity } from '../findings.js';

/** Where a use was found; findings are labelled by it because each means something different. */
export type UsageSource =
  /** The API server returned the object in this version: no newer version of the resource is served. */
  | { type: 'live' }
  /** `kubectl.kubernetes.io/last-applied-configuration`: how the object was last applied, possibly stale. */
  | { type: 'last-applied' }
  /** The rendered manifest of a Helm release's deployed revision (`release` is `namespace/name`). */
  | { type: 'helm'; release: string; revision: number }
  /** A manifest file (or stdin as `-`), at a line. */
  | { type: 'file'; path: string; line: number };

export interface ApiUsage {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  source: UsageSource;
  /** The chart template that rendered it (`# Source:` in Helm output). */
  template?: string;
}

export interface ApiVerdict extends ApiUsage {
  status: ApiStatus;
  deprecatedIn: string;
  removedIn?: string;
  /** `apiVersion` (and kind, when it changes) to migrate to for the target; absent when there is none. */
  replacement?: string;
  /** The release that first served the replacement, and whether the target serves it. */
  replacementAvailableIn?: string;
  replacementAvailable: boolean;
  /** Whose API it is (`k8s`, `cert-manager`, ...) and the version it was judged against. */
  component: string;
  target: string;
}

/**
 * The version a scan judges each component against: one Kubernetes version, or one per component. A component
 * without a version of its own is judged as of its newest release: anything deprecated or removed is reported.
 */
export type ScanTargets = string | ({ k8s: string } & Record<string, string | undefined>);

/** Stands for "the newest release" of a component that was given no version. */
const newestRelease = '9999.0';

function targetOf(entry: ApiDeprecation, targets: ScanTargets): string {
  return typeof targets === 'string' ? targets : (targets[componentOf(entry)] ?? newestRelease);
}

/** Whether `apiVersion`/`kind` is in the catalog at all (a cheap filter before judging). */
export function isTrackedApi(apiVersion: string, kind: string, catalog: ApiCatalog = kubernetesApis): boolean {
  return findApiDeprecation(apiVersion, kind, catalog) !== undefined;
}

/** The verdict on one use for `target`, or undefined when the API is fine there. */
export function judgeUsage(
  usage: ApiUsage,
  targets: ScanTargets,
  catalog: ApiCatalog = kubernetesApis,
): ApiVerdict | undefined {
  const entry = findApiDeprecation(usage.apiVersion, usage.kind, catalog);
  if (!entry) return undefined;
  const target = targetOf(entry, targets);
  const status = apiStatusIn(entry, target);
  if (!status) return undefined;
  const next = replacementFor(entry, target, catalog);
  return {
    ...usage,
    status,
    deprecatedIn: entry.deprecatedIn,
    ...(entry.removedIn ? { removedIn: entry.removedIn } : {}),
    ...(next ? { replacement: next.kind === usage.kind ? next.apiVersion : `${next.apiVersion} ${next.kind}` } : {}),
    ...(next?.availableIn ? { replacementAvailableIn: next.availableIn } : {}),
    replacementAvailable: next !== undefined && (!next.availableIn || compareMinor(next.availableIn, target) <= 0),
    component: componentOf(entry),
    target: target === newestRelease ? 'newest' : target,
  };
}

/** pluto's switches for what fails a scan (`--ignore-deprecations` and the others). */
export interface ExitPolicy {
  ignoreDeprecations?: boolean;
  ignoreRemovals?: boolean;
  /** Deprecations whose replacement the target does not serve yet do not count (nothing to migrate to). */
  ignoreUnavailableReplacements?: boolean;
}

/**
 * The exit code of a scan, pluto's with one addition, worst first: 3 when an API is removed in the target; 1 when
 * some input could not be read or was skipped (the scan is incomplete, so it cannot pass); 2 when APIs are only
 * deprecated; 0 when nothing was found in everything that was read. `policy` drops removals or deprecations from
 * the count as pluto's flags of the same names do.
 */
export function scanExitCode(verdicts: readonly ApiVerdict[], unreadable = 0, policy: ExitPolicy = {}): 0 | 1 | 2 | 3 {
  if (!policy.ignoreRemovals && verdicts.some((v) => v.status === 'removed')) return 3;
  if (unreadable > 0) return 1;
  const deprecations = verdicts.filter(
    (v) => v.status === 'deprecated' && (v.replacementAvailable || !policy.ignoreUnavailableReplacements),
  );
  return !policy.ignoreDeprecations && deprecations.length > 0 ? 2 : 0;
}

/** How a use is named in a finding's objects. */
export function usageRef(usage: ApiUsage): string {
  const ref = objectRef(usage.kind, usage.name, usage.namespace);
  switch (usage.source.type) {
    case 'helm':
      return `Helm release ${usage.source.release} (revision ${usage.source.revision}): ${ref}${usage.template ? ` from ${usage.template}` : ''}`;
    case 'file':
      return `${usage.source.path}:${usage.source.line} ${ref}`;
    default:
      return ref;
  }
}

/**
 * Severity of a use in a readiness report. Removed APIs block when the object exists only in that version (live)
 * or a Helm release renders it (its next `helm upgrade` fails); a last-applied annotation may be stale and only
 * breaks the next `kubectl apply` of the old manifest, so it warns. Deprecations warn while a removal is planned.
 */
export function usageSeverity(verdict: ApiVerdict): Severity {
  if (verdict.status === 'removed') return verdict.source.type === 'last-applied' ? 'warning' : 'blocker';
  return verdict.removedIn ? 'warning' : 'info';
}

const sourceWords: Record<UsageSource['type'], { one: string; many: string; how: string }> = {
  live: { one: 'object is', many: 'objects are', how: 'served only as' },
  'last-applied': { one: 'object was', many: 'objects were', how: 'last applied as' },
  helm: { one: 'Helm release object is', many: 'Helm release objects are', how: 'rendered as' },
  file: { one: 'manifest object is', many: 'manifest objects are', how: 'written as' },
};

function verdictMessage(v: ApiVerdict, n: number): string {
  const words = sourceWords[v.source.type];
  const how = v.source.type === 'live' && v.status === 'deprecated' ? 'served as' : words.how;
  const what = `${n} ${n === 1 ? words.one : words.many} ${how} ${v.kind} ${v.apiVersion}`;
  const when =
    v.status === 'removed'
      ? `, which Kubernetes ${v.removedIn} no longer serves`
      : `, deprecated since ${v.deprecatedIn}${v.removedIn ? ` and removed in ${v.removedIn}` : ''}`;
  const stale = v.source.type === 'last-applied' ? ' (the annotation may be stale)' : '';
  return `${what}${when}${stale}.`;
}

function verdictFix(v: ApiVerdict): string {
  const note = findApiDeprecation(v.apiVersion, v.kind)?.note;
  if (!v.replacement) return note ?? `Remove them before upgrading (${deprecationGuideUrl}).`;
  const how =
    v.source.type === 'helm'
      ? 'upgrade the charts that render them (or run helm mapkubeapis on the releases)'
      : v.source.type === 'live'
        ? 'migrate the objects and their clients'
        : 'rewrite the manifests and apply them again';
  return `Use ${v.replacement}: ${how}${note ? `; ${note.charAt(0).toLowerCase()}${note.slice(1)}` : '.'}`;
}

/** One finding per API, status and source, objects named; order follows the caller's sort. */
export function apiFindings(verdicts: readonly ApiVerdict[]): Finding[] {
  const groups = new Map<string, ApiVerdict[]>();
  for (const v of verdicts) {
    const key = `${v.status}|${v.apiVersion}|${v.kind}|${v.source.type}`;
    const list = groups.get(key) ?? [];
    list.push(v);
    groups.set(key, list);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as ApiVerdict;
    const objects = new Set(group.map(usageRef));
    return finding({
      id: first.status === 'removed' ? 'api-removed' : 'api-deprecated',
      area: 'apis',
      severity: usageSeverity(first),
      message: verdictMessage(first, objects.size),
      objects,
      fix: verdictFix(first),
    });
  });
}
