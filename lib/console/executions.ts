import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  ListExecutionsCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { InvalidInput } from '../errors.js';

export interface ExecutionRow {
  name: string;
  executionArn: string;
  status: string;
  startDate?: string;
  stopDate?: string;
  /** The cluster and target version, from the execution's name when it follows dispatch's names, else its input. */
  cluster?: string;
  target?: string;
}

export interface ExecutionsPage {
  executions: ExecutionRow[];
  /** Opaque: pass it back as `next` for the following page. Absent on the last page. */
  next?: string;
  /** Executions looked at to fill this page (a cluster filter skips the other clusters' executions). */
  scanned: number;
  /** True when the scan budget ran out before the page was full: `next` continues where it stopped. */
  partial: boolean;
}

const statuses = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type ExecutionStatusFilter = (typeof statuses)[number];

export function isStatusFilter(value: string | undefined): value is ExecutionStatusFilter {
  return statuses.includes(value as ExecutionStatusFilter);
}

/**
 * Dispatch names executions `<cluster>-<major>-<minor>-<yyyymmdd>` (optionally with a random suffix). Other names
 * (started by hand) give undefined, and their input says which cluster they upgrade.
 */
export function parseExecutionName(name: string): { cluster: string; target: string } | undefined {
  const match = /^(.+?)-(\d+)-(\d+)-(\d{8})(?:-[0-9a-f]{6})?$/.exec(name);
  return match ? { cluster: match[1] as string, target: `${match[2]}.${match[3]}` } : undefined;
}

/** Which cluster, region and target an execution's input names; undefined fields when it does not say. */
export async function executionSubject(
  deps: { sfn: SFNClient },
  executionArn: string,
): Promise<{ cluster?: string; region?: string; accountId?: string; target?: string }> {
  const described = await deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
  let input: { cluster?: unknown; region?: unknown; accountId?: unknown; policy?: { target?: unknown } } = {};
  try {
    input = JSON.parse(described.input ?? '{}') ?? {};
  } catch {
    input = {};
  }
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const out: { cluster?: string; region?: string; accountId?: string; target?: string } = {};
  const cluster = text(input.cluster);
  const region = text(input.region);
  const accountId = text(input.accountId);
  const target = text(input.policy?.target);
  if (cluster) out.cluster = cluster;
  if (region) out.region = region;
  if (accountId) out.accountId = accountId;
  if (target) out.target = target;
  return out;
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += limit)
    results.push(...(await Promise.all(items.slice(i, i + limit).map(work))));
  return results;
}

interface Cursor {
  /** The Step Functions nextToken of the page to read (absent: the first page). */
  k?: string;
  /** How many executions of that page were already looked at. */
  o: number;
  /** The ListExecutions page size the token was issued for. */
  m: number;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(next: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(next, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (
      (c.k === undefined || typeof c.k === 'string') &&
      Number.isInteger(c.o) &&
      Number.isInteger(c.m) &&
      (c.o as number) >= 0 &&
      (c.m as number) >= 1 &&
      (c.m as number) <= 1000
    )
      return c as Cursor;
  } catch {
    // falls through to the error below
  }
  throw new InvalidInput('the "next" token was not issued by this console; open the first page again');
}

/** Executions looked at per request with a cluster filter: the page stays quick however many executions exist. */
export const scanBudget = { pageSize: 1000, pages: 2 };
/** DescribeExecution calls per request, for executions whose names do not say their cluster. */
const describeBudget = 50;

function toRow(e: ExecutionListItem): ExecutionRow {
  const parsed = parseExecutionName(e.name ?? '');
  return {
    name: e.name ?? '',
    executionArn: e.executionArn ?? '',
    status: e.status ?? 'UNKNOWN',
    ...(e.startDate ? { startDate: e.startDate.toISOString() } : {}),
    ...(e.stopDate ? { stopDate: e.stopDate.toISOString() } : {}),
    ...(parsed ?? {}),
  };
}

/**
 * One page of upgrade executions, newest first, optionally for one status (Step Functions filters) and one cluster
 * (filtered here by the execution's name, reading the input only of executions whose name does not say). A
 * cluster filter scans at most `scanBudget` executions per request and then returns a partial page with `next`.
 * Throws InvalidInput for a `next` token this console did not issue.
 */
export async function listUpgradeExecutions(
  deps: { sfn: SFNClient },
  request: {
    stateMachineArn: string;
    status?: ExecutionStatusFilter;
    cluster?: string;
    next?: string;
    pageSize?: number;
  },
): Promise<ExecutionsPage> {
  const pageSize = Math.min(Math.max(request.pageSize ?? 50, 1), 100);
  const cluster = request.cluster?.trim() || undefined;
  const cursor = request.next ? decodeCursor(request.next) : { o: 0, m: cluster ? scanBudget.pageSize : pageSize };
  const rows: ExecutionRow[] = [];
  let scanned = 0;
  let pages = 0;
  let describes = 0;
  let key = cursor.k;
  let offset = cursor.o;
  const matches = async (row: ExecutionRow): Promise<boolean> => {
    if (!cluster) return true;
    if (row.cluster !== undefined) return row.cluster === cluster;
    if (row.name !== cluster && !row.name.startsWith(`${cluster}-`)) return false;
    if (describes >= describeBudget) return true;
    describes++;
    const subject = await executionSubject(deps, row.executionArn);
    Object.assign(
      row,
      subject.cluster ? { cluster: subject.cluster } : {},
      subject.target ? { target: subject.target } : {},
    );
    return subject.cluster === cluster;
  };
  while (pages < (cluster ? scanBudget.pages : 1)) {
    const page = await deps.sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: request.stateMachineArn,
        maxResults: cursor.m,
        ...(request.status ? { statusFilter: request.status } : {}),
        ...(key ? { nextToken: key } : {}),
      }),
    );
    pages++;
    const items = page.executions ?? [];
    for (let i = offset; i < items.length; i++) {
      scanned++;
      const row = toRow(items[i] as ExecutionListItem);
      if (await matches(row)) rows.push(row);
      if (rows.length === pageSize) {
        const more = i + 1 < items.length || page.nextToken !== undefined;
        const next =
          i + 1 < items.length
            ? { ...(key ? { k: key } : {}), o: i + 1, m: cursor.m }
            : { k: page.nextToken, o: 0, m: cursor.m };
        return {
          executions: await withSubjects(deps, rows, describeBudget - describes),
          ...(more ? { next: encodeCursor(next as Cursor) } : {}),
          scanned,
          partial: false,
        };
      }
    }
    key = page.nextToken;
    offset = 0;
    if (!key)
      return { executions: await withSubjects(deps, rows, describeBudget - describes), scanned, partial: false };
  }
  return {
    executions: await withSubjects(deps, rows, describeBudget - describes),
    next: encodeCursor({ ...(key ? { k: key } : {}), o: 0, m: cursor.m }),
    scanned,
    partial: true,
  };
}

/** Fills in cluster and target of rows whose names did not say, from their input (within the describe budget). */
async function withSubjects(deps: { sfn: SFNClient }, rows: ExecutionRow[], budget: number): Promise<ExecutionRow[]> {
  const unknown = rows.filter((r) => r.cluster === undefined).slice(0, Math.max(budget, 0));
  await inBatches(unknown, 10, async (row) => {
    const subject = await executionSubject(deps, row.executionArn);
    if (subject.cluster) row.cluster = subject.cluster;
    if (subject.target) row.target = subject.target;
  });
  return rows;
}
