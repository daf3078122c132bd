/** What a readiness check reports: one finding per problem, with the objects concerned and the fix. */

export type Severity = 'blocker' | 'warning' | 'info';

/** The part of the pre-flight a finding comes from, in the order reports show them. */
export const checkAreas = [
  'apis',
  'insights',
  'addons',
  'controllers',
  'skew',
  'health',
  'capacity',
  'drain',
  'version',
] as const;

export type CheckArea = (typeof checkAreas)[number];

export interface Finding {
  /** A stable rule id, e.g. `api-removed`, `kubelet-skew`, `subnet-free-ips`. */
  id: string;
  area: CheckArea;
  severity: Severity;
  /** What is wrong, in one sentence. */
  message: string;
  /** The objects concerned (`Kind namespace/name`, `nodegroup/general`, …), sorted; at most `maxObjects`. */
  objects: string[];
  /** How many objects are concerned in all (`objects` may list fewer). */
  total: number;
  /** What to do, in one sentence. */
  fix: string;
  /**
   * A blocker EKS itself enforces (it would refuse or fail the update), which no approval can override; other
   * blockers are the orchestrator's judgement and a person may accept them.
   */
  hard?: true;
}

/** Reports name at most this many objects per finding; `total` keeps the full count. */
export const maxObjects = 200;

export const severityRank: Record<Severity, number> = { blocker: 0, warning: 1, info: 2 };

/** Builds a finding with its objects de-duplicated, sorted and capped. */
export function finding(fields: Omit<Finding, 'objects' | 'total'> & { objects: Iterable<string> }): Finding {
  const unique = [...new Set(fields.objects)].sort();
  return { ...fields, objects: unique.slice(0, maxObjects), total: unique.length };
}

/** Plural-aware count for messages: `1 pod`, `3 pods`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** `Kind namespace/name`, or `Kind name` for cluster-scoped objects. */
export function objectRef(kind: string, name: string, namespace?: string): string {
  return namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

/** Deterministic order: severity, area, id, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank[a.severity] - severityRank[b.severity] ||
    checkAreas.indexOf(a.area) - checkAreas.indexOf(b.area) ||
    a.id.localeCompare(b.id) ||
    a.message.localeCompare(b.message)
  );
}
