import { ExecutionDoesNotExist } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import {
  type ApprovalDeps,
  closingLine,
  decideGate,
  executionArnPrefix,
  type GateContent,
  type GateRecord,
  gateById,
  gateContent,
  pendingGates,
  type ReadinessSummary,
} from '../approvals/index.js';
import { InvalidInput } from '../errors.js';
import type { FleetStore } from '../fleet/types.js';
import { retryUpgrade, stopUpgrade } from './execution-actions.js';
import { executionDetail } from './execution-detail.js';
import { executionEvents } from './execution-events.js';
import { isStatusFilter, listUpgradeExecutions } from './executions.js';
import { fleetView } from './fleet.js';
import { type ConsoleSettings, serveConsoleStatic } from './static.js';

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

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

/** Every API answer says what time it is on the orchestrator's clock. */
export const serverTimeHeader = 'x-eks-upgrade-now';

/** Requests that change state must carry this header and a JSON body: a cross-site form can send neither. */
export const csrfHeader = 'x-eks-upgrade-console';

/** A decision is a verdict and a comment of at most 1000 characters: anything much larger is not one. */
const maxDecisionBodyBytes = 16 * 1024;

const decisionBody = z
  .object({ decision: z.enum(['approve', 'reject']), comment: z.string().max(1000).optional() })
  .strict();

/** What the console needs: the approval dependencies, the state machine, the fleet store and its own settings. */
export type ConsoleDeps = ApprovalDeps & { stateMachineArn: string; fleet?: FleetStore; settings: ConsoleSettings };

export interface ConsoleRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body?: string;
  /** The signed-in user; undefined when the request carried no verified token. */
  user?: ConsoleUser;
}

/**
 * The JSON body of a request that changes state: refused unless it is application/json with the console's header
 * (a cross-site form can send neither), at most 16 KiB, and of the expected shape.
 */
function stateChangingBody<T>(
  request: { headers: Record<string, string | undefined>; body?: string },
  schema: z.ZodType<T>,
  what: { name: string; shape: string },
): { body: T } | { refused: HttpResponse } {
  const contentType = request.headers['content-type'] ?? '';
  if (!request.headers[csrfHeader] || !/^application\/json\b/i.test(contentType))
    return { refused: json(403, { error: `send the ${what.name} as application/json with the ${csrfHeader} header` }) };
  if ((request.body?.length ?? 0) > maxDecisionBodyBytes)
    return {
      refused: json(413, {
        error: `a ${what.name} is at most ${maxDecisionBodyBytes} bytes: a comment of up to 1000 characters`,
      }),
    };
  try {
    return { body: schema.parse(JSON.parse(request.body ?? '')) };
  } catch {
    return { refused: json(400, { error: `the body must be ${what.shape}` }) };
  }
}

async function decide(
  deps: ConsoleDeps,
  request: { executionName: string; gateId: string; headers: Record<string, string | undefined>; body?: string },
  user: ConsoleUser,
): Promise<HttpResponse> {
  const parsed = stateChangingBody(request, decisionBody, {
    name: 'decision',
    shape: '{"decision": "approve" | "reject", "comment": "optional"}',
  });
  if ('refused' in parsed) return parsed.refused;
  const { body } = parsed;
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(request.executionName)) return json(404, { error: 'no such execution' });
  const executionArn = `${executionArnPrefix(deps.stateMachineArn)}${request.executionName}`;
  let found: Awaited<ReturnType<typeof gateById>>;
  try {
    found = await gateById(deps, executionArn, request.gateId);
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return json(404, { error: `no execution ${request.executionName}` });
    throw error;
  }
  if (!found) return json(404, { error: `execution ${request.executionName} has no approval gate ${request.gateId}` });
  const { gate, closing } = found;
  // A gate decided meanwhile (here, by link, in Slack) or closed otherwise: 409, saying by whom and when.
  if (closing) return json(409, { error: `this gate was ${closingLine(closing)}`, closed: closing });
  const allowed = gate.request.policy.approvals.approvers.console;
  if (allowed && !user.identities.some((id) => allowed.includes(id)))
    return json(403, { error: `${user.name} is not on this cluster's approver list` });
  const result = await decideGate(deps, gate, {
    approved: body.decision === 'approve',
    approver: user.name,
    channel: request.headers['x-eks-upgrade-client'] === 'cli' ? 'cli' : 'console',
    ...(body.comment ? { comment: body.comment } : {}),
  });
  if (result.outcome === 'already-closed') {
    const now = await gateById(deps, executionArn, request.gateId);
    const line = now?.closing ? closingLine(now.closing) : 'already decided, timed out, or its upgrade ended';
    return json(409, { error: `this gate was ${line}`, ...(now?.closing ? { closed: now.closing } : {}) });
  }
  return json(200, { decision: result.decision, execution: gate.executionArn });
}

const actionBody = z.object({ comment: z.string().max(1000).optional() }).strict();

/** Stop (a running upgrade) or retry (one that failed, stopped or timed out), as the signed-in user. */
async function act(
  deps: ConsoleDeps,
  request: ConsoleRequest & { user: ConsoleUser },
  executionName: string,
  action: 'stop' | 'retry',
): Promise<HttpResponse> {
  const parsed = stateChangingBody(request, actionBody, {
    name: `${action} request`,
    shape: '{"comment": "optional"}',
  });
  if ('refused' in parsed) return parsed.refused;
  const common = { stateMachineArn: deps.stateMachineArn, executionName, user: request.user };
  const result =
    action === 'stop'
      ? await stopUpgrade(deps, { ...common, ...(parsed.body.comment ? { comment: parsed.body.comment } : {}) })
      : await retryUpgrade(deps, common);
  switch (result.outcome) {
    case 'not-found':
      return json(404, { error: `no upgrade execution named "${executionName.slice(0, 100)}"` });
    case 'forbidden':
      return json(403, { error: result.reason });
    case 'conflict':
      return json(409, { error: result.reason, ...(result.execution ? { running: result.execution } : {}) });
    default:
      return json(200, result);
  }
}

const statusNames = 'RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED';

async function executions(deps: ConsoleDeps, request: ConsoleRequest): Promise<HttpResponse> {
  const { status, cluster, next, limit } = request.query;
  if (status && !isStatusFilter(status)) return json(400, { error: `status must be one of ${statusNames}` });
  if (cluster && !/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(cluster))
    return json(400, { error: 'cluster must be an EKS cluster name (letters, digits, hyphens, underscores)' });
  const pageSize = limit ? Number(limit) : 50;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
    return json(400, { error: 'limit must be a whole number from 1 to 100' });
  try {
    const page = await listUpgradeExecutions(deps, {
      stateMachineArn: deps.stateMachineArn,
      pageSize,
      ...(isStatusFilter(status) ? { status } : {}),
      ...(cluster ? { cluster } : {}),
      ...(next ? { next } : {}),
    });
    return json(200, page);
  } catch (error) {
    if (error instanceof InvalidInput) return json(400, { error: error.message });
    throw error;
  }
}

interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  answer(
    deps: ConsoleDeps,
    request: ConsoleRequest & { user: ConsoleUser },
    match: RegExpExecArray,
  ): Promise<HttpResponse>;
}

const routes: Route[] = [
  {
    method: 'GET',
    path: /^\/api\/fleet$/,
    answer: async (deps) => json(200, await fleetView(deps, { stateMachineArn: deps.stateMachineArn })),
  },
  { method: 'GET', path: /^\/api\/executions$/, answer: executions },
  {
    method: 'GET',
    path: /^\/api\/executions\/([^/]+)$/,
    answer: async (deps, _request, match) => {
      const name = /^[A-Za-z0-9_-]{1,80}$/.test(match[1] ?? '') ? (match[1] as string) : '';
      const detail = await executionDetail(deps, { stateMachineArn: deps.stateMachineArn, executionName: name });
      return detail
        ? json(200, detail)
        : json(404, {
            error: `no upgrade execution named "${(match[1] ?? '').slice(0, 100)}": pick one from the executions list`,
          });
    },
  },
  {
    method: 'GET',
    path: /^\/api\/executions\/([^/]+)\/events$/,
    answer: async (deps, request, match) => {
      const name = /^[A-Za-z0-9_-]{1,80}$/.test(match[1] ?? '') ? (match[1] as string) : '';
      const limit = request.query.limit ? Number(request.query.limit) : 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > 500)
        return json(400, { error: 'limit must be a whole number from 1 to 500' });
      try {
        const page = await executionEvents(deps, {
          stateMachineArn: deps.stateMachineArn,
          executionName: name,
          limit,
          ...(request.query.next ? { next: request.query.next } : {}),
        });
        return page
          ? json(200, page)
          : json(404, { error: `no upgrade execution named "${(match[1] ?? '').slice(0, 100)}"` });
      } catch (error) {
        if (error instanceof InvalidInput) return json(400, { error: error.message });
        throw error;
      }
    },
  },
  {
    method: 'POST',
    path: /^\/api\/executions\/([^/]+)\/(stop|retry)$/,
    answer: (deps, request, match) =>
      act(deps, request, decodedSegment(match[1] ?? '') ?? '', match[2] === 'stop' ? 'stop' : 'retry'),
  },
  {
    method: 'GET',
    path: /^\/api\/approvals$/,
    answer: async (deps) => {
      const gates = await pendingGates(deps, deps.stateMachineArn);
      return json(200, { approvals: gates.map(pendingGateView) });
    },
  },
  {
    method: 'POST',
    path: /^\/api\/approvals\/([^/]+)\/([^/]+)$/,
    answer: (deps, request, match) => {
      const executionName = decodedSegment(match[1] ?? '');
      if (executionName === undefined) {
        return Promise.resolve(json(400, { error: 'the execution name in the path is not valid percent-encoding' }));
      }
      return decide(
        deps,
        {
          executionName,
          gateId: match[2] ?? '',
          headers: request.headers,
          ...(request.body !== undefined ? { body: request.body } : {}),
        },
        request.user,
      );
    },
  },
];

/** A percent-encoded path segment, decoded; undefined when it is not valid percent-encoding (`%ZZ`). */
function decodedSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * The console: its shell and assets (no sign-in, no data), and its HTTP API behind the JWT authorizer: the fleet,
 * executions, pending approval gates, and decisions on them (recorded as the signed-in user).
 */
export async function handleConsoleRequest(deps: ConsoleDeps, request: ConsoleRequest): Promise<HttpResponse> {
  const shell = serveConsoleStatic(deps.settings, request);
  if (shell) return shell;
  const { method, path, user } = request;
  if (!path.startsWith('/api/')) return json(404, { error: `no such resource: ${path}` });
  if (!user)
    return json(
      401,
      { error: 'sign in: send the token as "Authorization: Bearer <token>"' },
      { 'www-authenticate': 'Bearer' },
    );
  const matching = routes.map((r) => ({ route: r, match: r.path.exec(path) })).filter((m) => m.match);
  const route = matching.find((m) => m.route.method === method);
  if (!route?.match) {
    if (matching.length)
      return json(
        405,
        { error: `use ${matching.map((m) => m.route.method).join(' or ')} here` },
        { allow: matching.map((m) => m.route.method).join(', ') },
      );
    return json(404, { error: `no such resource: ${path}` });
  }
  const response = await route.route.answer(deps, { ...request, user }, route.match);
  // The pages show times relative to the orchestrator's clock (simulated time in a local run), not the browser's.
  return { ...response, headers: { ...response.headers, [serverTimeHeader]: deps.now().toISOString() } };
}
