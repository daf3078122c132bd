/**
 * The readiness report: JSON for machines and the console, Markdown for email and Slack, plain lines for the
 * terminal, and the small summary the state machine keeps. Findings are always in the same order.
 */
import { checkAreas, compareFindings, count, type Finding, type Severity } from './findings.js';

export interface ReadinessReport {
  cluster: string;
  from: string;
  to: string;
  /** ISO instant the checks ran. */
  checkedAt: string;
  /** No blockers. */
  ready: boolean;
  counts: Record<Severity, number>;
  findings: Finding[];
  /** What the API scan covered; `incomplete` lists what it could not list. */
  scanned: { resources: number; objects: number; helmReleases: number; incomplete: string[] };
}

/** Builds the report with its findings in deterministic order. */
export function buildReport(
  meta: Pick<ReadinessReport, 'cluster' | 'from' | 'to' | 'checkedAt' | 'scanned'>,
  findings: readonly Finding[],
): ReadinessReport {
  const sorted = [...findings].sort(compareFindings);
  const counts = { blocker: 0, warning: 0, info: 0 };
  for (const f of sorted) counts[f.severity]++;
  return { ...meta, ready: counts.blocker === 0, counts, findings: sorted };
}

const headings: Record<Severity, string> = { blocker: 'Blockers', warning: 'Warnings', info: 'Information' };

function headline(r: ReadinessReport): string {
  const verdict = r.ready ? 'ready' : 'BLOCKED';
  return `Readiness of ${r.cluster} for ${r.from} → ${r.to}: ${verdict} (${count(r.counts.blocker, 'blocker')}, ${count(r.counts.warning, 'warning')}, ${r.counts.info} info)`;
}

function coverage(r: ReadinessReport): string {
  const s = r.scanned;
  const gaps = s.incomplete.length ? ` Not scanned: ${s.incomplete.join('; ')}.` : '';
  return `Scanned ${count(s.objects, 'object')} of ${count(s.resources, 'resource type')} and ${count(s.helmReleases, 'Helm release')}.${gaps}`;
}

function objectList(f: Finding, max: number): string {
  const shown = f.objects.slice(0, max);
  const more = f.total - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

/** Markdown for email and Slack; `maxObjects` names per finding, `maxChars` bounds the whole text. */
export function renderMarkdown(r: ReadinessReport, options: { maxObjects?: number; maxChars?: number } = {}): string {
  const lines = [`### ${headline(r)}`, '', coverage(r)];
  for (const severity of ['blocker', 'warning', 'info'] as const) {
    const group = r.findings.filter((f) => f.severity === severity);
    if (!group.length) continue;
    lines.push('', `#### ${headings[severity]}`);
    for (const f of group) {
      lines.push(`- **${f.id}** (${f.area}${f.hard ? ', enforced by EKS' : ''}): ${f.message}`);
      if (f.total) lines.push(`  - Objects: ${objectList(f, options.maxObjects ?? 10)}`);
      lines.push(`  - Fix: ${f.fix}`);
    }
  }
  const text = lines.join('\n');
  const max = options.maxChars ?? Number.POSITIVE_INFINITY;
  return text.length <= max
    ? text
    : `${text.slice(0, max - 60).replace(/\n[^\n]*$/, '')}\n\n… (cut; the full report has every finding)`;
}

/** Plain lines for the terminal, grouped by area. */
export function renderText(r: ReadinessReport, options: { maxObjects?: number } = {}): string {
  const mark: Record<Severity, string> = { blocker: '✖', warning: '!', info: 'i' };
  const lines = [headline(r), coverage(r)];
  for (const area of checkAreas) {
    const group = r.findings.filter((f) => f.area === area);
    if (!group.length) continue;
    lines.push('', `${area}:`);
    for (const f of group) {
      lines.push(`  ${mark[f.severity]} ${f.severity} ${f.id}: ${f.message}`);
      if (f.total) lines.push(`      objects: ${objectList(f, options.maxObjects ?? 5)}`);
      lines.push(`      fix: ${f.fix}`);
    }
  }
  return lines.join('\n');
}

/**
 * The small result the state machine keeps (its ResultSelector reads `blockers`, `warnings` and `findings`; the
 * override gate reads each finding's `hard`, and names its objects and fix when it stops the upgrade). Blockers and
 * warnings only, at most 20, five objects each, so the execution's payload stays small.
 */
export function readinessSummary(r: ReadinessReport) {
  return {
    cluster: r.cluster,
    from: r.from,
    to: r.to,
    ready: r.ready,
    blockers: r.counts.blocker,
    hardBlockers: r.findings.filter((f) => f.severity === 'blocker' && f.hard).length,
    warnings: r.counts.warning,
    infos: r.counts.info,
    findings: r.findings
      .filter((f) => f.severity !== 'info')
      .slice(0, 20)
      .map((f) => ({
        id: f.id,
        area: f.area,
        severity: f.severity,
        message: f.message,
        objects: f.objects.slice(0, 5),
        total: f.total,
        fix: f.fix,
        ...(f.hard ? { hard: true } : {}),
      })),
  };
}
