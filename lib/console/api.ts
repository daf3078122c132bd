import { z } from 'zod';
import {
  type ApprovalDeps,
  decideGate,
  executionArnPrefix,
  type GateContent,
  type GateRecord,
  gateContent,
  latestGate,
  pendingGates,
  type ReadinessSummary,
} from '../approvals/index.js';
import { isStatusFilter, listUpgradeExecutions, renderExecutionsPage } from './executions.js';

export interface HttpResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

/** Who is calling, from the claims the JWT authorizer verified. */
export interface ConsoleUser {
  /** How the user appears in the audit trail: email, else username, else subject. */
  name: string;
  /** Every identity the user may be listed under in `approvals.approvers.console`. */
  identities: string[];
}

export function consoleUser(claims: Record<string, unknown>): ConsoleUser {
  const pick = (key: string) => (typeof claims[key] === 'string' && claims[key] ? String(claims[key]) : undefined);
  const identities = [pick('email'), pick('preferred_username'), pick('username'), pick('sub')].filter(
    (v): v is string => v !== undefined,
  );
  return { name: identities[0] ?? 'unknown', identities };
}

/** A pending gate as the console shows it: the same content as the email and Slack, never the task token. */
export interface PendingGateView {
  id: string;
  executionArn: string;
  executionName: string;
  cluster: string;
  region: string;
  gate: GateRecord['request']['gate'];
  hop: { index: number; from: string; to: string };
  requestedAt: string;
  expiresAt: string;
  content: GateContent;
  readiness?: ReadinessSummary;
  /** Where to POST `{ "decision": "approve" | "reject", "comment": "..." }`. */
  decide: string;
}

export function pendingGateView(gate: GateRecord): PendingGateView {
  const executionName = gate.executionArn.split(':').at(-1) ?? '';
  const r = gate.request;
  return {
    id: gate.gateId,
    executionArn: gate.executionArn,
    executionName,
    cluster: r.cluster,
    region: r.region,
    gate: r.gate,
    hop: { index: r.hop.index, from: r.hop.from, to: r.hop.to },
    requestedAt: gate.scheduledAt.toISOString(),
    expiresAt: gate.expiresAt.toISOString(),
    content: gateContent(r),
    ...(r.readiness ? { readiness: r.readiness } : {}),
    decide: `/api/approvals/${encodeURIComponent(executionName)}/${gate.gateId}`,
  };
}

const json = (statusCode: number, body: unknown): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

/** Requests that change state must carry this header and a JSON body: a cross-site form can send neither. */
export const csrfHeader = 'x-eks-upgrade-console';

const decisionBody = z
  .object({ decision: z.enum(['approve', 'reject']), comment: z.string().max(1000).optional() })
  .strict();

async function decide(
  deps: ApprovalDeps & { stateMachineArn: string },
  request: { executionName: string; gateId: string; headers: Record<string, string | undefined>; body?: string },
  user: ConsoleUser,
): Promise<HttpResponse> {
  const contentType = request.headers['content-type'] ?? '';
  if (!request.headers[csrfHeader] || !/^application\/json\b/i.test(contentType))
    return json(403, { error: `send the decision as application/json with the ${csrfHeader} header` });
  let body: z.infer<typeof decisionBody>;
  try {
    body = decisionBody.parse(JSON.parse(request.body ?? ''));
  } catch {
    return json(400, { error: 'the body must be {"decision": "approve" | "reject", "comment": "optional"}' });
  }
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(request.executionName)) return json(404, { error: 'no such execution' });
  const gate = await latestGate(deps, `${executionArnPrefix(deps.stateMachineArn)}${request.executionName}`);
  if (!gate || gate.gateId !== request.gateId) return json(404, { error: 'no such approval gate' });
  if (!gate.open) return json(409, { error: 'this gate was already decided, timed out, or its upgrade ended' });
  const allowed = gate.request.policy.approvals.approvers.console;
  if (allowed && !user.identities.some((id) => allowed.includes(id)))
    return json(403, { error: `${user.name} is not on this cluster's approver list` });
  const result = await decideGate(deps, gate, {
    approved: body.decision === 'approve',
    approver: user.name,
    channel: request.headers['x-eks-upgrade-client'] === 'cli' ? 'cli' : 'console',
    ...(body.comment ? { comment: body.comment } : {}),
  });
  if (result.outcome === 'already-closed')
    return json(409, { error: 'this gate was already decided, timed out, or its upgrade ended' });
  return json(200, { decision: result.decision, execution: gate.executionArn });
}

/**
 * The console's HTTP API behind the JWT authorizer: the executions page and list, the pending approval gates,
 * and decisions on them (recorded as the signed-in user).
 */
export async function handleConsoleRequest(
  deps: ApprovalDeps & { stateMachineArn: string },
  request: {
    method: string;
    path: string;
    query: Record<string, string>;
    headers: Record<string, string | undefined>;
    body?: string;
    user: ConsoleUser;
  },
): Promise<HttpResponse> {
  const { method, path } = request;
  const decision = /^\/api\/approvals\/([^/]+)\/([^/]+)$/.exec(path);
  if (decision) {
    if (method !== 'POST') return { statusCode: 405, headers: { allow: 'POST' }, body: 'Method not allowed' };
    return decide(
      deps,
      {
        executionName: decodeURIComponent(decision[1] ?? ''),
        gateId: decision[2] ?? '',
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
      },
      request.user,
    );
  }
  if (method !== 'GET') return { statusCode: 405, headers: { allow: 'GET' }, body: 'Method not allowed' };
  if (path === '/api/approvals') {
    const gates = await pendingGates(deps, deps.stateMachineArn);
    return json(200, { approvals: gates.map(pendingGateView) });
  }
  if (path !== '/' && path !== '/api/executions') return json(404, { error: `no such resource: ${path}` });
  const status = request.query.status;
  const page = await listUpgradeExecutions(deps, {
    stateMachineArn: deps.stateMachineArn,
    ...(isStatusFilter(status) ? { status } : {}),
    ...(request.query.next ? { nextToken: request.query.next } : {}),
  });
  if (path === '/api/executions') return json(200, page);
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: renderExecutionsPage(page.executions, request.user.name),
  };
}
