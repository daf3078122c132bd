import { fileURLToPath } from 'node:url';
import { handler as approvalCallback } from '../../functions/approvalCallback.js';
import { handler as consoleApi } from '../../functions/console.js';
import { handler as slackInteractivity } from '../../functions/slackInteractivity.js';
import { approvalPolicySchema, upgradePolicySchema } from '../../lib/planning/index.js';
import { createLocalEnvironment, type LocalEnvironment } from '../../local/environment.js';
import type { LocalExecution } from '../../local/stepfunctions.js';
import { loadScenario, type Scenario } from '../../sim/scenario.js';

export interface HttpResult {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

/** The approvals scenario (one hop, 1.33 → 1.34) in a local environment. */
export async function withGates<T>(
  work: (env: LocalEnvironment) => Promise<T>,
  options: Parameters<typeof createLocalEnvironment>[1] = {},
  edit: (scenario: Scenario) => void = () => undefined,
): Promise<T> {
  const scenario = loadScenario(fileURLToPath(new URL('../../scenarios/approvals.yaml', import.meta.url)));
  edit(scenario);
  const env = await createLocalEnvironment(scenario, options);
  try {
    return await work(env);
  } finally {
    await env.close();
  }
}

/** Starts the upgrade of `payments` with the given approval policy (people decide unless it says otherwise). */
export function startUpgrade(
  env: LocalEnvironment,
  approvals: Record<string, unknown> | 'auto',
  name = 'payments-run',
): LocalExecution {
  const policy = upgradePolicySchema.parse({ target: '1.34', approvals: approvalPolicySchema.parse(approvals) });
  return env.stepFunctions.startExecution({ name, input: { cluster: 'payments', region: 'eu-west-1', policy } });
}

/** Drives simulated time until the execution waits at a gate whose request went out (or the execution ends). */
export async function untilGate(env: LocalEnvironment, execution: LocalExecution): Promise<void> {
  const submitted = () => execution.history.filter((e) => e.type === 'TaskSubmitted').length;
  const before = submitted();
  await env.clock.runUntil(
    () => execution.status !== 'RUNNING' || (submitted() > before && env.stepFunctions.pendingTasks().length > 0),
  );
}

export async function untilDone(env: LocalEnvironment, execution: LocalExecution): Promise<void> {
  let done = false;
  void execution.done.then(() => {
    done = true;
  });
  await env.clock.runUntil(() => done);
}

/** Names of the states the execution entered, in order. */
export function statesEntered(execution: LocalExecution): string[] {
  return execution.history.filter((e) => e.type.endsWith('StateEntered')).map((e) => e.stateName ?? '');
}

/** The last approval email and its two links' sealed tokens. */
export function lastApprovalEmail(env: LocalEnvironment) {
  const email = env.world.account.published.findLast((m) => m.attributes.kind?.StringValue === 'approval-requested');
  if (!email) throw new Error('no approval email was sent');
  const link = (label: string) => {
    const url = new RegExp(`^${label}:\\s+(\\S+)$`, 'm').exec(email.message)?.[1];
    if (!url) throw new Error(`the email has no ${label} link`);
    return url.split('/approvals/')[1] as string;
  };
  return { email, approve: link('Approve'), reject: link('Reject') };
}

/** An HTTP API request to the approval link route, as API Gateway sends it (payload 2.0). */
export function openLink(method: 'GET' | 'POST', sealed: string, form?: Record<string, string>): Promise<HttpResult> {
  return approvalCallback({
    rawPath: `/approvals/${sealed}`,
    pathParameters: { token: sealed },
    requestContext: { http: { method } },
    ...(form ? { body: new URLSearchParams(form).toString(), isBase64Encoded: false } : {}),
  }) as Promise<HttpResult>;
}

/** A console API request behind the JWT authorizer, signed in as `user`. */
export function consoleRequest(
  method: 'GET' | 'POST',
  path: string,
  options: { user?: string; body?: unknown; headers?: Record<string, string>; query?: Record<string, string> } = {},
): Promise<HttpResult> {
  const user = options.user ?? 'alice@example.com';
  return consoleApi({
    rawPath: path,
    requestContext: { http: { method }, authorizer: { jwt: { claims: { sub: `sub-${user}`, email: user } } } },
    headers: options.headers ?? {},
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  }) as Promise<HttpResult>;
}

/** Slack's POST to the interactivity endpoint. */
export function slackRequest(request: { headers: Record<string, string>; body: string }): Promise<HttpResult> {
  return slackInteractivity({
    headers: request.headers,
    body: request.body,
    isBase64Encoded: false,
  }) as Promise<HttpResult>;
}

export const jsonHeaders = { 'content-type': 'application/json', 'x-eks-upgrade-console': '1' };
