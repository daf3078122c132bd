// The approvals page (#/approvals): every gate waiting for a decision, with what it asks and what readiness
// found; Approve, or Reject after a confirmation, with an optional comment, recorded as the signed-in user.
import { href } from './router.js';
import { confirmDialog, el, emptyState, errorBox, formatTime, relativeTime } from './ui.js';

const gateNames = {
  'before-hop': 'Before the hop',
  'before-nodes': 'Before node rotation',
  'override-readiness': 'Override readiness blockers',
};

function readiness(gate) {
  const r = gate.readiness;
  if (!r) return el('p', { class: 'muted' }, 'Readiness was not checked for this step.');
  const order = { blocker: 0, error: 1, warning: 2 };
  const findings = [...(r.findings ?? [])]
    .filter((f) => f.severity !== 'info')
    .sort((a, b) => (order[a.severity] ?? 3) - (order[b.severity] ?? 3));
  return el(
    'div',
    {},
    el(
      'p',
      {},
      `${r.blockers} blocker${r.blockers === 1 ? '' : 's'}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}.`,
    ),
    findings.length
      ? el(
          'ul',
          {},
          findings
            .slice(0, 10)
            .map((f) =>
              el(
                'li',
                {},
                el(
                  'strong',
                  { class: f.severity === 'blocker' ? 'status status-failed' : 'status status-waiting' },
                  f.severity,
                ),
                f.hard ? ' (cannot be overridden)' : '',
                ' ',
                f.message ?? f.id ?? '',
                f.fix ? el('div', { class: 'muted' }, `Fix: ${f.fix}`) : null,
              ),
            ),
        )
      : null,
  );
}

function confirmReject(gate) {
  return confirmDialog({
    id: `reject-${gate.id}`,
    title: 'Reject this gate?',
    lines: [
      `The upgrade of ${gate.cluster} stops cleanly at this point and everyone is notified. It does not resume by itself.`,
    ],
    confirm: 'Reject',
  });
}

function gateCard(gate, ctx, onDecided) {
  const commentId = `comment-${gate.id}`;
  const comment = el('textarea', { id: commentId, name: 'comment', maxlength: 1000, rows: 3 });
  const result = el('div', { role: 'status' });
  const approve = el('button', { type: 'button', class: 'primary' }, 'Approve');
  const reject = el('button', { type: 'button', class: 'danger' }, 'Reject…');
  const decide = async (decision) => {
    if (decision === 'reject' && !(await confirmReject(gate))) return;
    approve.disabled = true;
    reject.disabled = true;
    result.replaceChildren(el('p', { class: 'muted' }, 'Sending your decision…'));
    try {
      await ctx.api.post(gate.decide, { decision, ...(comment.value.trim() ? { comment: comment.value.trim() } : {}) });
      const words =
        decision === 'approve'
          ? `Approved. The upgrade of ${gate.cluster} continues.`
          : `Rejected. The upgrade of ${gate.cluster} stops.`;
      result.replaceChildren(
        el(
          'p',
          { class: 'result-ok' },
          words,
          ' ',
          el('a', { href: href('execution', { name: gate.executionName }) }, 'Follow the execution'),
        ),
      );
      ctx.announce(words);
      onDecided(gate.id);
    } catch (error) {
      const message =
        error.status === 409
          ? 'Nothing was changed: this gate was already decided (by someone else or another channel), timed out, or its upgrade ended.'
          : error.message;
      result.replaceChildren(errorBox(message));
      ctx.announce(message);
      if (error.status !== 409) {
        approve.disabled = false;
        reject.disabled = false;
      } else onDecided(gate.id);
    }
  };
  approve.addEventListener('click', () => decide('approve'));
  reject.addEventListener('click', () => decide('reject'));
  const title = `title-${gate.id}`;
  return el(
    'article',
    { class: 'card', 'aria-labelledby': title, 'data-gate': gate.id },
    el('h2', { id: title }, gate.content?.title ?? `${gateNames[gate.gate] ?? gate.gate} on ${gate.cluster}`),
    el('p', {}, gate.content?.asks ?? ''),
    el(
      'dl',
      { class: 'facts' },
      el('dt', {}, 'Cluster'),
      el('dd', {}, `${gate.cluster} (${gate.region})`),
      el('dt', {}, 'Hop'),
      el('dd', {}, `${gate.hop.index}: ${gate.hop.from} → ${gate.hop.to}`),
      el('dt', {}, 'Gate'),
      el('dd', {}, gateNames[gate.gate] ?? gate.gate),
      el('dt', {}, 'Execution'),
      el('dd', {}, el('a', { href: href('execution', { name: gate.executionName }) }, gate.executionName)),
      el('dt', {}, 'Requested'),
      el('dd', {}, formatTime(gate.requestedAt), ` (${relativeTime(gate.requestedAt)})`),
      el('dt', {}, 'Expires'),
      el('dd', {}, formatTime(gate.expiresAt), ` (${relativeTime(gate.expiresAt)})`),
    ),
    el('h3', {}, 'What happens when you approve'),
    el(
      'ol',
      {},
      (gate.content?.plan ?? []).map((step) => el('li', {}, step)),
    ),
    el('h3', {}, 'Readiness'),
    readiness(gate),
    gate.content?.onTimeout ? el('p', { class: 'muted' }, gate.content.onTimeout) : null,
    el('label', { for: commentId }, 'Comment (optional, recorded with your decision)'),
    comment,
    el('div', { class: 'actions' }, approve, reject),
    result,
  );
}

export async function renderApprovals(root, ctx) {
  ctx.setTitle('Approvals');
  const intro = el(
    'p',
    { class: 'muted' },
    'Gates waiting for a decision, oldest first. Your decision is recorded with your name.',
  );
  const list = el('div', { class: 'cards' });
  const empty = emptyState(
    'Nothing waits for a decision',
    'Gates appear here when an upgrade asks before a hop or before node rotation.',
  );
  root.append(intro, list);
  const cards = new Map();
  const decided = new Set();
  const refresh = async () => {
    const { approvals } = await ctx.api.get('/api/approvals');
    const ids = new Set(approvals.map((g) => g.id));
    let changed = false;
    for (const [id, card] of cards) {
      // A decided card stays with its result until the next visit; others leave when their gate closes.
      if (!ids.has(id) && !decided.has(id)) {
        card.remove();
        cards.delete(id);
        changed = true;
      }
    }
    for (const gate of approvals) {
      if (cards.has(gate.id) || decided.has(gate.id)) continue;
      const card = gateCard(gate, ctx, (id) => {
        decided.add(id);
        ctx.refreshBadge?.();
      });
      cards.set(gate.id, card);
      list.append(card);
      changed = true;
    }
    if (cards.size === 0) {
      if (!root.contains(empty)) root.append(empty);
    } else empty.remove();
    if (changed && approvals.length)
      ctx.announce(`${approvals.length} gate${approvals.length === 1 ? '' : 's'} waiting.`);
  };
  ctx.poll(refresh);
}
