import { z } from 'zod';
import { answerApprovalLink, approvalDeps, approvalNeeds } from '../lib/approvals/index.js';
import { defineHandler } from '../lib/runtime/index.js';

// API Gateway HTTP API (payload 2.0), no authorizer: the sealed link in the path is the credential.
const event = z.object({
  rawPath: z.string(),
  pathParameters: z.object({ token: z.string().min(1) }),
  requestContext: z.object({ http: z.object({ method: z.enum(['GET', 'POST']) }) }),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

/** Signed approval links: GET shows a confirmation page, only the POST from it decides. */
export const handler = defineHandler('approvalCallback', event, approvalNeeds, async (input, deps) => {
  const body = input.isBase64Encoded ? Buffer.from(input.body ?? '', 'base64').toString('utf8') : (input.body ?? '');
  return answerApprovalLink(approvalDeps(deps), {
    method: input.requestContext.http.method,
    path: input.rawPath,
    sealed: input.pathParameters.token,
    ...(input.requestContext.http.method === 'POST' ? { form: new URLSearchParams(body) } : {}),
  });
});
