import { z } from 'zod';
import { approvalDeps, approvalNeeds, handleSlackInteraction } from '../lib/approvals/index.js';
import { defineHandler } from '../lib/runtime/index.js';

// API Gateway HTTP API (payload 2.0), no authorizer: every request is verified with Slack's signing secret.
const event = z.object({
  headers: z.record(z.string()).default({}),
  body: z.string().default(''),
  isBase64Encoded: z.boolean().default(false),
});

/** Slack's interactivity endpoint: Approve and Reject buttons on approval messages. */
export const handler = defineHandler('slackInteractivity', event, approvalNeeds, async (input, deps) => {
  // The raw bytes Slack signed: verify before anything reads or parses them.
  const rawBody = Buffer.from(input.body, input.isBase64Encoded ? 'base64' : 'utf8');
  const headers = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const result = await handleSlackInteraction(approvalDeps(deps), { headers, rawBody });
  if (result.status === 'unauthorized') return { statusCode: 401, body: 'invalid request signature' };
  // Slack shows an error to the user for anything but 200; what happened is posted back to them in Slack.
  return { statusCode: 200, body: '' };
});
