import { z } from 'zod';
import { approvalDeps, approvalNeeds } from '../lib/approvals/index.js';
import { consoleNeeds, consoleSettingsFromEnv, consoleUser, handleConsoleRequest } from '../lib/console/index.js';
import { InvalidInput } from '../lib/errors.js';
import { fleetStoreNeeds, s3FleetStore } from '../lib/fleet/index.js';
import { defineHandler } from '../lib/runtime/index.js';

// API Gateway HTTP API (payload 2.0). The JWT authorizer guards /api/*, so claims there are already verified; the
// shell's routes have no authorizer and serve no data.
const event = z.object({
  rawPath: z.string(),
  requestContext: z.object({
    http: z.object({ method: z.string() }),
    authorizer: z.object({ jwt: z.object({ claims: z.record(z.unknown()) }) }).optional(),
  }),
  headers: z.record(z.string()).optional(),
  queryStringParameters: z.record(z.string()).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

/** Serves the console: its shell, and its API (fleet, executions, approval gates) as the signed-in user. */
export const handler = defineHandler(
  'console',
  event,
  [consoleNeeds, approvalNeeds, fleetStoreNeeds],
  async (input, deps) => {
    const stateMachineArn = deps.settings.stateMachineArn;
    if (!stateMachineArn) throw new InvalidInput('STATE_MACHINE_ARN is not set on the console function');
    const bucket = deps.settings.fleetBucket;
    const fleet = bucket ? s3FleetStore({ s3: deps.aws(deps.settings.region).s3, bucket }) : undefined;
    const claims = input.requestContext.authorizer?.jwt.claims;
    const headers = Object.fromEntries(Object.entries(input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const body =
      input.body !== undefined && input.isBase64Encoded
        ? Buffer.from(input.body, 'base64').toString('utf8')
        : input.body;
    return handleConsoleRequest(
      {
        ...approvalDeps(deps),
        stateMachineArn,
        settings: consoleSettingsFromEnv(process.env),
        ...(fleet ? { fleet } : {}),
      },
      {
        method: input.requestContext.http.method,
        path: input.rawPath,
        query: input.queryStringParameters ?? {},
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(claims ? { user: consoleUser(claims) } : {}),
      },
    );
  },
);
