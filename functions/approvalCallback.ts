import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import {
  ApprovalLinkInvalid,
  confirmationPage,
  messagePage,
  openApprovalLink,
  recordDecision,
} from '../lib/approvals/index.js';
import { InvalidInput } from '../lib/errors.js';
import { defineHandler } from '../lib/runtime/index.js';

const event = z.object({
  rawPath: z.string(),
  pathParameters: z.object({ token: z.string().min(1) }),
  requestContext: z.object({ http: z.object({ method: z.enum(['GET', 'POST']) }) }),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

const html = (statusCode: number, body: string) => ({
  statusCode,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  body,
});
let cachedKey: string | undefined;

/** Signed approval links: GET shows a confirmation page, only the POST from it decides. */
export const handler = defineHandler('approvalCallback', event, async (input, deps) => {
  const parameter = process.env.APPROVAL_LINK_KEY_PARAMETER;
  if (!parameter) throw new InvalidInput('APPROVAL_LINK_KEY_PARAMETER is not set on the approvalCallback function');
  cachedKey ??= (
    await deps.aws(deps.settings.region).ssm.send(new GetParameterCommand({ Name: parameter, WithDecryption: true }))
  ).Parameter?.Value;
  if (!cachedKey) throw new InvalidInput(`SSM parameter ${parameter} holds no approval link key`);
  let link: ReturnType<typeof openApprovalLink>;
  try {
    link = openApprovalLink(input.pathParameters.token, cachedKey, deps.clock.now());
  } catch (e) {
    if (!(e instanceof ApprovalLinkInvalid)) throw e;
    return html(e.reason === 'expired' ? 410 : 403, messagePage('This link cannot be used', e.message));
  }
  if (input.requestContext.http.method === 'GET') return html(200, confirmationPage(link, input.rawPath));
  const form = new URLSearchParams(
    input.isBase64Encoded ? Buffer.from(input.body ?? '', 'base64').toString('utf8') : (input.body ?? ''),
  );
  const choice = form.get('decision');
  if (choice !== 'approve' && choice !== 'reject')
    return html(400, messagePage('Choose Approve or Reject', 'The form did not say approve or reject.'));
  const result = await recordDecision(
    { sfn: deps.aws(deps.settings.region).sfn, log: deps.log, now: () => deps.clock.now() },
    {
      taskToken: link.taskToken,
      gate: link.gate,
      approved: choice === 'approve',
      approver: 'email link holder',
      channel: 'email',
      ...(form.get('comment') ? { comment: form.get('comment') as string } : {}),
    },
  );
  if (result.outcome === 'already-closed')
    return html(
      410,
      messagePage(
        'Already decided',
        'This gate was already decided, timed out, or its upgrade has ended. Nothing changed.',
      ),
    );
  return html(
    200,
    messagePage(
      choice === 'approve' ? 'Approved' : 'Rejected',
      `Recorded at ${result.decision.decidedAt}. The upgrade of ${link.cluster} ${choice === 'approve' ? 'continues' : 'stops'}.`,
    ),
  );
});
