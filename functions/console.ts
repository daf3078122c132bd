import { z } from 'zod';
import { isStatusFilter, listUpgradeExecutions, renderExecutionsPage } from '../lib/console/index.js';
import { InvalidInput } from '../lib/errors.js';
import { defineHandler } from '../lib/runtime/index.js';

// API Gateway HTTP API (payload 2.0) behind a JWT authorizer: the claims are already verified.
const event = z.object({
  rawPath: z.string(),
  requestContext: z.object({
    http: z.object({ method: z.string() }),
    authorizer: z.object({ jwt: z.object({ claims: z.record(z.unknown()) }) }).optional(),
  }),
  queryStringParameters: z.record(z.string()).optional(),
});

/** Serves the console: the executions page and its JSON API. Read-only in this version. */
export const handler = defineHandler('console', event, async (input, deps) => {
  const stateMachineArn = deps.settings.stateMachineArn;
  if (!stateMachineArn) throw new InvalidInput('STATE_MACHINE_ARN is not set on the console function');
  const claims = input.requestContext.authorizer?.jwt.claims;
  if (!claims) return { statusCode: 401, body: 'Sign in through the console authorizer.' };
  if (input.requestContext.http.method !== 'GET')
    return { statusCode: 405, headers: { allow: 'GET' }, body: 'Method not allowed' };
  const status = input.queryStringParameters?.status;
  const page = await listUpgradeExecutions(
    { sfn: deps.aws(deps.settings.region).sfn },
    {
      stateMachineArn,
      ...(isStatusFilter(status) ? { status } : {}),
      ...(input.queryStringParameters?.next ? { nextToken: input.queryStringParameters.next } : {}),
    },
  );
  if (input.rawPath.startsWith('/api/')) {
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(page) };
  }
  const viewer = String(claims.email ?? claims.sub ?? 'unknown');
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: renderExecutionsPage(page.executions, viewer),
  };
});
