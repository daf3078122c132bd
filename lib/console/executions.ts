import { ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';

export interface ExecutionRow {
  name: string;
  executionArn: string;
  status: string;
  startDate?: string;
  stopDate?: string;
}

const statuses = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type ExecutionStatusFilter = (typeof statuses)[number];

export function isStatusFilter(value: string | undefined): value is ExecutionStatusFilter {
  return statuses.includes(value as ExecutionStatusFilter);
}

/** One page of upgrade executions, newest first, as Step Functions lists them. */
export async function listUpgradeExecutions(
  deps: { sfn: SFNClient },
  request: { stateMachineArn: string; status?: ExecutionStatusFilter; nextToken?: string; pageSize?: number },
): Promise<{ executions: ExecutionRow[]; nextToken?: string }> {
  const page = await deps.sfn.send(
    new ListExecutionsCommand({
      stateMachineArn: request.stateMachineArn,
      maxResults: request.pageSize ?? 50,
      ...(request.status ? { statusFilter: request.status } : {}),
      ...(request.nextToken ? { nextToken: request.nextToken } : {}),
    }),
  );
  return {
    executions: (page.executions ?? []).map((e) => ({
      name: e.name ?? '',
      executionArn: e.executionArn ?? '',
      status: e.status ?? 'UNKNOWN',
      ...(e.startDate ? { startDate: e.startDate.toISOString() } : {}),
      ...(e.stopDate ? { stopDate: e.stopDate.toISOString() } : {}),
    })),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** A plain, accessible page listing executions (the full console builds on the same data). */
export function renderExecutionsPage(rows: ExecutionRow[], viewer: string): string {
  const body = rows
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.name)}</td><td class="s-${escapeHtml(r.status.toLowerCase())}">${escapeHtml(r.status)}</td><td>${escapeHtml(r.startDate ?? '')}</td><td>${escapeHtml(r.stopDate ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>EKS upgrades</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse}th,td{padding:.4rem .8rem;border-bottom:1px solid #ccc;text-align:left}.s-failed{color:#a00000}.s-succeeded{color:#005a00}.s-running{color:#003f8a}</style>
</head><body><main><h1>EKS upgrades</h1><p>Signed in as ${escapeHtml(viewer)}.</p>
<table><caption>Upgrade executions, newest first</caption><thead><tr><th scope="col">Execution</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Stopped</th></tr></thead>
<tbody>${body || '<tr><td colspan="4">No executions yet.</td></tr>'}</tbody></table></main></body></html>`;
}
