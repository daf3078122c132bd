/** The manifest scan as a terminal table, JSON or Markdown (what `eks-upgrade scan --output` prints). */
import { count } from '../findings.js';
import type { ManifestScan, UnreadableInput } from './files.js';
import type { ApiVerdict } from './usage.js';

export type ScanFormat = 'text' | 'json' | 'markdown';

function location(v: ApiVerdict): string {
  return v.source.type === 'file' ? `${v.source.path}:${v.source.line}` : v.source.type;
}

function status(v: ApiVerdict): string {
  return v.status === 'removed' ? `removed in ${v.removedIn}` : `deprecated in ${v.deprecatedIn}`;
}

function rows(scan: ManifestScan): string[][] {
  return scan.verdicts.map((v) => [
    location(v),
    v.kind,
    v.namespace ? `${v.namespace}/${v.name}` : v.name,
    v.apiVersion,
    status(v),
    v.replacement ?? '(none)',
  ]);
}

const header = ['LOCATION', 'KIND', 'NAME', 'API VERSION', 'STATUS', 'REPLACEMENT'];

function summary(scan: ManifestScan): string {
  const removed = scan.verdicts.filter((v) => v.status === 'removed').length;
  const deprecated = scan.verdicts.length - removed;
  const unread = scan.unreadable.length
    ? ` ${count(scan.unreadable.length, 'input')} could not be read, so the scan is incomplete.`
    : '';
  return `${count(scan.files, 'file')}, ${count(scan.objects, 'object')}: ${removed} removed in ${scan.target}, ${deprecated} deprecated.${unread}`;
}

function unreadableLine(u: UnreadableInput): string {
  return `${u.path}${u.line ? `:${u.line}` : ''}: ${u.reason}`;
}

/** What the table says when it is empty: nothing found, in what could be read. */
function nothingFound(scan: ManifestScan): string {
  return scan.unreadable.length
    ? 'No deprecated or removed APIs found in what could be read.'
    : 'No deprecated or removed APIs found.';
}

/** Renders a manifest scan; what could not be read comes first, before any finding or summary. */
export function renderScan(scan: ManifestScan, format: ScanFormat): string {
  if (format === 'json') return JSON.stringify(scan, null, 2);
  const table = rows(scan);
  if (format === 'markdown') {
    const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
    const body = table.length
      ? [line(header), line(header.map(() => '---')), ...table.map(line)]
      : [nothingFound(scan)];
    const errors = scan.unreadable.map((u) => `- ${unreadableLine(u).replaceAll('|', '\\|')}`);
    return [
      `### API scan for Kubernetes ${scan.target}`,
      '',
      ...(errors.length ? ['#### Could not be read', ...errors, ''] : []),
      summary(scan),
      '',
      ...body,
    ].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const body = table.length ? [line(header), ...table.map(line)] : [nothingFound(scan)];
  const errors = scan.unreadable.map((u) => `error: ${unreadableLine(u)}`);
  return [...errors, ...(errors.length ? [''] : []), ...body, '', summary(scan)].join('\n');
}
