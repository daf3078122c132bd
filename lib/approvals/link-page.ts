import { announceInSlack, recordDecision } from './decide.js';
import type { ApprovalDeps } from './deps.js';
import { gateIdFor } from './gate.js';
import { closingLine, gateById, latestGate } from './gates.js';
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

/** How the link's gate closed, when it has; undefined while it waits (or when its history cannot be read). */
async function closedLine(deps: ApprovalDeps, link: ApprovalLinkPayload): Promise<string | undefined> {
  try {
    const found = await gateById(deps, link.executionArn, gateIdFor(link.taskToken));
    return found?.closing ? closingLine(found.closing) : undefined;
  } catch (error) {
    deps.log.warn('could not read the gate of an approval link', { error: (error as Error).message });
    return undefined;
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
  if (request.method === 'GET') {
    // A link opened again after its gate closed says how it closed, not that nothing was decided.
    const closed = await closedLine(deps, link);
    if (closed) return html(410, messagePage('Already decided', `This gate was ${closed}. Nothing to do.`));
    return html(200, confirmationPage(link, request.path));
  }
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
  if (result.outcome === 'already-closed') {
    const closed = (await closedLine(deps, link)) ?? 'already decided, timed out, or its upgrade has ended';
    return html(410, messagePage('Already decided', `This gate was ${closed}. Nothing changed.`));
  }
  await tellSlack(deps, link, slackOutcome(result.decision));
  return html(
    200,
    messagePage(
      choice === 'approve' ? 'Approved' : 'Rejected',
      `Recorded at ${result.decision.decidedAt}. The upgrade of ${link.cluster} ${choice === 'approve' ? 'continues' : 'stops'}.`,
    ),
  );
}
