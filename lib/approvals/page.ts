import type { ApprovalLinkPayload } from './links.js';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;color:#111}button{font-size:1rem;padding:.5rem 1rem;margin-right:.5rem}textarea{width:100%}</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

const asks: Record<ApprovalLinkPayload['gate'], string> = {
  'before-hop': 'start this hop',
  'before-nodes': 'rotate the nodes of this hop',
  'override-readiness': 'override the readiness blockers and start this hop',
};

/** The confirmation page a link opens: details and a form; opening it decides nothing. */
export function confirmationPage(link: ApprovalLinkPayload, action: string): string {
  const approve = '<button type="submit" name="decision" value="approve">Approve</button>';
  const reject = '<button type="submit" name="decision" value="reject">Reject</button>';
  const verb = link.intent === 'reject' ? 'Reject' : 'Approve';
  return page(
    `${verb} the upgrade step on ${link.cluster}?`,
    `<p>The orchestrator asks to <strong>${escapeHtml(asks[link.gate])}</strong> on cluster <strong>${escapeHtml(link.cluster)}</strong> (${escapeHtml(link.hop)}).</p>
<p>Nothing has been decided yet: your choice is recorded when you press a button. This link expires at ${escapeHtml(new Date(link.expiresAt).toISOString())}.</p>
<form method="post" action="${escapeHtml(action)}"><label for="comment">Comment (optional, kept in the audit trail)</label><textarea id="comment" name="comment" rows="3" maxlength="1000"></textarea>
<p>${link.intent === 'reject' ? reject + approve : approve + reject}</p></form>`,
  );
}

/** A page that tells the person what happened, without internals. */
export function messagePage(title: string, message: string): string {
  return page(title, `<p>${escapeHtml(message)}</p>`);
}
