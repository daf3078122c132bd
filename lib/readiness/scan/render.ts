/**
 * The manifest scan in the formats `eks-upgrade scan --output` offers, pluto's among them: a terminal table
 * (`text`, `wide`, `custom` with `--columns`), `json`, `yaml`, `csv` and `markdown`.
 */
import { stringify } from 'yaml';
import { InvalidInput } from '../../errors.js';
import { count } from '../findings.js';
import type { ManifestScan, UnreadableInput } from './files.js';
import type { ApiVerdict } from './usage.js';

export type ScanFormat = 'text' | 'wide' | 'custom' | 'json' | 'yaml' | 'csv' | 'markdown';
export const scanFormats: readonly ScanFormat[] = ['text', 'wide', 'custom', 'json', 'yaml', 'csv', 'markdown'];

export interface RenderOptions {
  /** The columns of `custom` (and of `csv` and `markdown` when given), by header; see `scanColumns`. */
  columns?: readonly string[];
  /** Leave the header row out of tables and CSV. */
  noHeaders?: boolean;
}

interface Column {
  header: string;
  value(v: ApiVerdict): string;
}

const place = (v: ApiVerdict) => (v.source.type === 'file' ? v.source : undefined);

/** Every column a table can show: ours, and pluto's names for the same values (NAME, VERSION, REPL AVAIL IN...). */
const columnList: Column[] = [
  { header: 'LOCATION', value: (v) => (place(v) ? `${place(v)?.path}:${place(v)?.line}` : v.source.type) },
  { header: 'FILEPATH', value: (v) => place(v)?.path ?? '' },
  { header: 'LINE', value: (v) => String(place(v)?.line ?? '') },
  { header: 'KIND', value: (v) => v.kind },
  { header: 'NAMESPACE', value: (v) => v.namespace ?? '' },
  { header: 'NAME', value: (v) => v.name },
  { header: 'API VERSION', value: (v) => v.apiVersion },
  { header: 'VERSION', value: (v) => v.apiVersion },
  {
    header: 'STATUS',
    value: (v) => (v.status === 'removed' ? `removed in ${v.removedIn}` : `deprecated in ${v.deprecatedIn}`),
  },
  // Every verdict is at least deprecated in its target; pluto prints the column all the same.
  { header: 'DEPRECATED', value: () => 'true' },
  { header: 'REMOVED', value: (v) => String(v.status === 'removed') },
  { header: 'DEPRECATED IN', value: (v) => v.deprecatedIn },
  { header: 'REMOVED IN', value: (v) => v.removedIn ?? '' },
  { header: 'REPLACEMENT', value: (v) => v.replacement ?? '(none)' },
  { header: 'REPL AVAIL', value: (v) => String(v.replacementAvailable) },
  { header: 'REPL AVAIL IN', value: (v) => v.replacementAvailableIn ?? '' },
  { header: 'COMPONENT', value: (v) => v.component },
  { header: 'TARGET', value: (v) => v.target },
];
const columnsByHeader = new Map(columnList.map((c) => [c.header, c]));

/** The headers `--columns` accepts. */
export const scanColumns: readonly string[] = columnList.map((c) => c.header);

/** The default table's NAME reads namespace/name; the NAME column of `--columns` is pluto's, the name alone. */
const qualifiedName: Column = { header: 'NAME', value: (v) => (v.namespace ? `${v.namespace}/${v.name}` : v.name) };
const normalColumns = ['LOCATION', 'KIND', 'NAME', 'API VERSION', 'STATUS', 'REPLACEMENT'];

function normal(): Column[] {
  return pick(normalColumns).map((c) => (c.header === 'NAME' ? qualifiedName : c));
}
const wideColumns = [
  'LOCATION',
  'KIND',
  'NAMESPACE',
  'NAME',
  'API VERSION',
  'STATUS',
  'REPLACEMENT',
  'REPL AVAIL IN',
  'DEPRECATED IN',
  'REMOVED IN',
  'COMPONENT',
];

/** The columns for `headers`. Throws InvalidInput naming an unknown column and the known ones. */
function pick(headers: readonly string[]): Column[] {
  return headers.map((h) => {
    const column = columnsByHeader.get(h.trim().toUpperCase());
    if (!column) throw new InvalidInput(`--columns: no column "${h}"; choose from ${scanColumns.join(', ')}`);
    return column;
  });
}

function summary(scan: ManifestScan): string {
  const removed = scan.verdicts.filter((v) => v.status === 'removed').length;
  const deprecated = scan.verdicts.length - removed;
  const missed = [
    ...(scan.unreadable.length ? [`${count(scan.unreadable.length, 'input')} could not be read`] : []),
    ...(scan.skipped.length ? [`${count(scan.skipped.length, 'directory', 'directories')} could not be rendered`] : []),
  ];
  const unread = missed.length ? ` ${missed.join(' and ')}, so the scan is incomplete.` : '';
  return `${count(scan.files, 'file')}, ${count(scan.objects, 'object')}: ${removed} removed in ${scan.target}, ${deprecated} deprecated.${unread}`;
}

function unreadableLine(u: UnreadableInput): string {
  return `${u.path}${u.line ? `:${u.line}` : ''}: ${u.reason}`;
}

/** What the table says when it is empty: nothing found, in what could be read. */
function nothingFound(scan: ManifestScan): string {
  return scan.unreadable.length || scan.skipped.length
    ? 'No deprecated or removed APIs found in what could be read.'
    : 'No deprecated or removed APIs found.';
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function table(scan: ManifestScan, columns: Column[], noHeaders: boolean): string[] {
  const rows = scan.verdicts.map((v) => columns.map((c) => c.value(v)));
  const all = noHeaders ? rows : [columns.map((c) => c.header), ...rows];
  const widths = columns.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * Renders a manifest scan. What could not be read comes first in the human formats, before any finding or
 * summary; `json` and `yaml` carry everything (`unreadable` included). Throws InvalidInput for an unknown column.
 */
export function renderScan(scan: ManifestScan, format: ScanFormat, options: RenderOptions = {}): string {
  if (format === 'json') return JSON.stringify(scan, null, 2);
  if (format === 'yaml') return stringify(scan).trimEnd();
  const noHeaders = options.noHeaders ?? false;
  const custom = options.columns?.length ? pick(options.columns) : undefined;
  if (format === 'custom' && !custom)
    throw new InvalidInput('--output custom needs --columns, such as --columns NAME,KIND');
  if (format === 'csv') {
    const columns = custom ?? pick(wideColumns);
    const rows = scan.verdicts.map((v) => columns.map((c) => c.value(v)));
    return [...(noHeaders ? [] : [columns.map((c) => c.header)]), ...rows]
      .map((r) => r.map(csvCell).join(','))
      .join('\n');
  }
  const errors = [
    ...scan.unreadable.map(unreadableLine),
    ...scan.skipped.map((k) => `${k.path}: skipped: ${k.reason}`),
  ];
  if (format === 'markdown') {
    const columns = custom ?? normal();
    const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
    const body = scan.verdicts.length
      ? [
          line(columns.map((c) => c.header)),
          line(columns.map(() => '---')),
          ...scan.verdicts.map((v) => line(columns.map((c) => c.value(v)))),
        ]
      : [nothingFound(scan)];
    return [
      `### API scan for Kubernetes ${scan.target}`,
      '',
      ...(errors.length ? ['#### Could not be read', ...errors.map((e) => `- ${e.replaceAll('|', '\\|')}`), ''] : []),
      summary(scan),
      '',
      ...body,
    ].join('\n');
  }
  const columns = custom ?? (format === 'wide' ? pick(wideColumns) : normal());
  const body = scan.verdicts.length ? table(scan, columns, noHeaders) : [nothingFound(scan)];
  const problems = errors.map((e) => `error: ${e}`);
  return [...problems, ...(problems.length ? [''] : []), ...body, '', summary(scan)].join('\n');
}
