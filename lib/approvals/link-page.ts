import { announceInSlack, recordDecision } from './decide.js';
import type { ApprovalDeps } from './deps.js';
import { latestGate } from './gates.js';
import { ApprovalLinkInvalid, type ApprovalLinkPayload, openApprovalLink } from './links.js';
import { confirmationPage, messagePage } from './page.js';
import { type SlackOutcome, slackOutcome } from './slack.js';

export interface PageResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

// The link is a capability: no caching, no framing, and no Referer that would carry it to another site.
const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};
const html = (statusCode: number, body: string): PageResponse => ({ statusCode, headers: pageHeaders, body });

/** Updates the gate's Slack message, if it has one, after a decision through the link. */
async function tellSlack(deps: ApprovalDeps, link: ApprovalLinkPayload, outcome: SlackOutcome): Promise<void> {
  try {
    const gate = await latestGate(deps, link.executionArn);
    if (gate && gate.taskToken === link.taskToken) await announceInSlack(deps, gate, outcome);
  } catch (error) {
    deps.log.warn('could not find the gate to update its Slack message', { error: (error as Error).message });
  }
}

/**
 * Answers a signed approval link. GET (and so every link scanner and preview) only shows a confirmation page;
 * the POST from that page decides. A forged, altered or expired link, and a gate that is already closed, get a
 * page saying so, never an error.
 */
export async function answerApprovalLink(
  deps: ApprovalDeps,
  request: { method: 'GET' | 'POST'; path: string; sealed: string; form?: URLSearchParams },
): Promise<PageResponse> {
  let link: ApprovalLinkPayload;
  try {
    link = openApprovalLink(request.sealed, await deps.linkKey(), deps.now());
  } catch (e) {
    if (!(e instanceof ApprovalLinkInvalid)) throw e;
    return html(e.reason === 'expired' ? 410 : 403, messagePage('This link cannot be used', e.message));
  }
  if (request.method === 'GET') return html(200, confirmationPage(link, request.path));
  const choice = request.form?.get('decision');
  if (choice !== 'approve' && choice !== 'reject')
    return html(400, messagePage('Choose Approve or Reject', 'The form did not say approve or reject.'));
  const comment = request.form?.get('comment') ?? '';
  const result = await recordDecision(deps, {
    taskToken: link.taskToken,
    gate: link.gate,
    approved: choice === 'approve',
    approver: 'email link holder',
    channel: 'email',
    ...(comment ? { comment } : {}),
  });
  if (result.outcome === 'already-closed')
    return html(
      410,
      messagePage(
        'Already decided',
        'This gate was already decided, timed out, or its upgrade has ended. Nothing changed.',
      ),
    );
  await tellSlack(deps, link, slackOutcome(result.decision));
  return html(
    200,
    messagePage(
      choice === 'approve' ? 'Approved' : 'Rejected',
      `Recorded at ${result.decision.decidedAt}. The upgrade of ${link.cluster} ${choice === 'approve' ? 'continues' : 'stops'}.`,
    ),
  );
}
