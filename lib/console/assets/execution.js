// The execution page (#/executions/<name>): one upgrade in the words of the job. Why it stopped (when it did),
// the stage timeline per hop as a picture and as a table, node rotation progress, the readiness report and the
// approvals. Refreshes while the upgrade runs; stops refreshing once it has ended or the page changes.
import { href } from './router.js';
import {
  confirmDialog,
  el,
  emptyState,
  errorBox,
  formatDuration,
  formatTime,
  matchesSearch,
  replaceKeepingFocus,
  statusBadge,
  statusLabel,
  svg,
} from './ui.js';

const stylesheet = new URL('./execution.css', import.meta.url).href;

function ensureStylesheet() {
  if ([...document.querySelectorAll('link[rel="stylesheet"]')].some((l) => l.href === stylesheet)) return;
  document.head.append(el('link', { rel: 'stylesheet', href: stylesheet }));
}

const seconds = (s) => formatDuration((s ?? 0) * 1000);
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

const approvalWords = {
  waiting: 'Waiting for a decision',
  approved: 'Approved',
  rejected: 'Rejected',
  'timed-out': 'Timed out',
  'not-offered': 'Not offered: blockers cannot be overridden',
  closed: 'Closed without a decision',
};
const approvalClass = {
  waiting: 'waiting',
  approved: 'succeeded',
  rejected: 'failed',
  'timed-out': 'timed_out',
  'not-offered': 'failed',
  closed: 'skipped',
};

/** The stage the upgrade is at: every running stage, the most recent first. */
function runningStages(detail) {
  return detail.hops.flatMap((hop) =>
    hop.stages.filter((s) => s.status === 'running').map((stage) => ({ hop, stage })),
  );
}

function header(detail) {
  const versions = detail.from && detail.to ? `${detail.from} → ${detail.to}` : (detail.to ?? '—');
  const where = [detail.cluster, detail.region, detail.accountId].filter(Boolean).join(' · ');
  const current = detail.current;
  return el(
    'section',
    { 'aria-label': 'Summary' },
    el(
      'dl',
      { class: 'facts' },
      el('dt', {}, 'Status'),
      el('dd', { 'data-testid': 'execution-status' }, statusBadge(detail.status)),
      el('dt', {}, 'Cluster'),
      el('dd', {}, where || '—'),
      el('dt', {}, 'Versions'),
      el('dd', {}, versions),
      el('dt', {}, 'Execution'),
      el('dd', {}, el('code', {}, detail.name)),
      el('dt', {}, 'Execution ARN'),
      el('dd', {}, el('code', { class: 'break-anywhere', 'data-testid': 'execution-arn' }, detail.executionArn)),
      detail.links?.length
        ? [
            el('dt', {}, 'In AWS'),
            el(
              'dd',
              {},
              el(
                'ul',
                { class: 'links', 'data-testid': 'aws-links' },
                detail.links.map((l) =>
                  el('li', {}, el('a', { href: l.url, target: '_blank', rel: 'noopener noreferrer' }, l.label)),
                ),
              ),
            ),
          ]
        : null,
      el('dt', {}, 'Started'),
      el('dd', {}, formatTime(detail.startedAt)),
      detail.stoppedAt ? [el('dt', {}, 'Ended'), el('dd', {}, formatTime(detail.stoppedAt))] : null,
      el('dt', {}, detail.stoppedAt ? 'Took' : 'Running for'),
      el('dd', {}, seconds(detail.durationSeconds)),
      current
        ? [
            el('dt', {}, 'Now'),
            el(
              'dd',
              { 'data-testid': 'current-step' },
              el('strong', {}, current.step),
              current.stage ? ` (${current.stage}${current.hop ? `, hop ${current.hop}` : ''})` : '',
            ),
          ]
        : null,
    ),
    detail.truncated
      ? el('p', { class: 'notice' }, 'This upgrade’s history is very long; the page shows its beginning.')
      : null,
  );
}

function failurePanel(detail, approvals) {
  const f = detail.failure;
  if (!f) return null;
  const rejected = f.error === 'ApprovalRejected' ? approvals.findLast((a) => a.status === 'rejected') : undefined;
  return el(
    'section',
    { class: 'failure', 'aria-labelledby': 'failure-title', 'data-testid': 'failure' },
    el('h2', { id: 'failure-title' }, detail.status === 'ABORTED' ? 'Why it was stopped' : 'Why it stopped'),
    el('p', { class: 'failure-summary' }, f.summary),
    el(
      'dl',
      { class: 'facts' },
      el('dt', {}, 'Error'),
      el('dd', {}, el('code', {}, f.error)),
      f.hop
        ? [
            el('dt', {}, 'Where'),
            el('dd', {}, `Hop ${f.hop.index} (${f.hop.from} → ${f.hop.to})${f.stage ? `, ${f.stage}` : ''}`),
          ]
        : null,
      rejected
        ? [
            el('dt', {}, 'Decided by'),
            el('dd', {}, `${rejected.approver} via ${rejected.channel}, `, formatTime(rejected.decidedAt)),
          ]
        : null,
      f.cause ? [el('dt', {}, 'Cause'), el('dd', { class: 'cause' }, f.cause)] : null,
    ),
    el('h3', {}, 'What to do next'),
    el('p', { 'data-testid': 'next-step' }, f.nextStep),
  );
}

// Timeline geometry, in SVG user units (the picture scales to its container).
const W = 1000;
const labelW = 300;
const statusW = 90;
const rowH = 24;
const hopH = 28;
const axisH = 26;

/** The stage timeline as a Gantt-like picture; the table after it says the same in words. */
function timelinePicture(detail) {
  const startMs = Date.parse(detail.startedAt ?? detail.now);
  const endMs = Math.max(Date.parse(detail.stoppedAt ?? detail.now), startMs + 1000);
  const x0 = labelW + statusW;
  const plotW = W - x0 - 10;
  const x = (iso) => x0 + ((Date.parse(iso) - startMs) / (endMs - startMs)) * plotW;
  const rows = [];
  let y = axisH;
  const running = runningStages(detail);
  const lines = [];
  for (const hop of detail.hops) {
    rows.push(
      svg(
        'text',
        { x: 4, y: y + 18, class: 'hop-label' },
        `Hop ${hop.index}: ${hop.from} → ${hop.to} · ${statusLabel(hop.status)}`,
      ),
    );
    y += hopH;
    for (const stage of hop.stages) {
      const isCurrent = running.some((r) => r.stage === stage && r.hop === hop);
      const group = svg('g', { class: ['stage', `stage-${stage.status}`, isCurrent && 'stage-current'] });
      if (isCurrent) group.append(svg('rect', { x: 0, y, width: W, height: rowH, class: 'current-row' }));
      group.append(svg('text', { x: 16, y: y + 16 }, `${isCurrent ? '▶ ' : ''}${stage.label}`));
      group.append(
        svg('text', { x: labelW, y: y + 16, class: `status-text status-${stage.status}` }, statusLabel(stage.status)),
      );
      if (stage.startedAt) {
        const bx = x(stage.startedAt);
        const ex = stage.endedAt ? x(stage.endedAt) : x(detail.stoppedAt ?? detail.now);
        group.append(
          svg('rect', {
            x: bx.toFixed(1),
            y: y + 5,
            width: Math.max(3, ex - bx).toFixed(1),
            height: rowH - 10,
            rx: 2,
            class: `bar bar-${stage.status}`,
          }),
        );
      }
      rows.push(group);
      const took = stage.durationSeconds !== undefined ? `, ${seconds(stage.durationSeconds)}` : '';
      lines.push(
        `Hop ${hop.index}, ${stage.label}: ${statusLabel(stage.status)}${took}${isCurrent ? ' (current)' : ''}.`,
      );
      y += rowH;
    }
  }
  const height = y + 6;
  const ticks = [];
  for (let i = 0; i <= 4; i++) {
    const tx = x0 + (plotW * i) / 4;
    const at = startMs + ((endMs - startMs) * i) / 4;
    ticks.push(
      svg('line', { x1: tx, x2: tx, y1: axisH - 4, y2: height, class: 'axis' }),
      svg(
        'text',
        { x: tx, y: 14, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' },
        `+${formatDuration(at - startMs) || '0 s'}`,
      ),
    );
  }
  const summary =
    detail.hops.length === 0
      ? 'No stages yet: the upgrade is being planned, or there was nothing to upgrade.'
      : `Stage timeline of ${plural(detail.hops.length, 'hop')} over ${formatDuration(endMs - startMs)}. ${lines.join(' ')}`;
  return el(
    'figure',
    { class: 'chart timeline' },
    svg(
      'svg',
      {
        viewBox: `0 0 ${W} ${height}`,
        role: 'img',
        'aria-labelledby': 'timeline-title timeline-desc',
        preserveAspectRatio: 'xMinYMin meet',
      },
      svg('title', { id: 'timeline-title' }, 'Stage timeline'),
      svg('desc', { id: 'timeline-desc' }, summary),
      ticks,
      rows,
    ),
    el(
      'figcaption',
      { class: 'muted' },
      'Bars run from each stage’s start to its end; ▶ marks where the upgrade is now. The table below says the same in words.',
    ),
  );
}

function stageTable(hop, detail) {
  const running = runningStages(detail);
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      { 'data-hop': hop.index },
      el('caption', {}, `Hop ${hop.index}: ${hop.from} → ${hop.to} · ${statusLabel(hop.status)}`),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, 'Stage'),
          el('th', { scope: 'col' }, 'Status'),
          el('th', { scope: 'col' }, 'Started'),
          el('th', { scope: 'col', class: 'num' }, 'Duration'),
          el('th', { scope: 'col' }, 'Step and detail'),
        ),
      ),
      el(
        'tbody',
        {},
        hop.stages.map((stage) => {
          const isCurrent = running.some((r) => r.stage === stage && r.hop === hop);
          return el(
            'tr',
            {
              'data-stage': stage.id,
              'data-status': stage.status,
              class: isCurrent ? 'current-row' : null,
              'aria-current': isCurrent ? 'step' : null,
            },
            el('th', { scope: 'row' }, stage.label),
            el('td', {}, statusBadge(stage.status)),
            el('td', {}, stage.startedAt ? formatTime(stage.startedAt) : el('span', { class: 'muted' }, '—')),
            el('td', { class: 'num' }, stage.durationSeconds !== undefined ? seconds(stage.durationSeconds) : '—'),
            el(
              'td',
              {},
              stage.step ? el('strong', {}, stage.step) : null,
              stage.step && stage.detail ? ': ' : null,
              stage.detail ?? null,
            ),
          );
        }),
      ),
    ),
  );
}

function rotation(detail) {
  const groups = detail.hops.flatMap((hop) =>
    hop.stages.filter((s) => s.kind === 'nodegroup' && s.progress && s.startedAt).map((stage) => ({ hop, stage })),
  );
  if (!groups.length) return null;
  return el(
    'section',
    { 'aria-labelledby': 'rotation-title' },
    el('h2', { id: 'rotation-title' }, 'Node rotation'),
    el(
      'ul',
      { class: 'rotation' },
      groups.map(({ hop, stage }) => {
        const id = `rotation-${hop.index}-${stage.id.replace(/[^a-z0-9-]/gi, '-')}`;
        const { done, total } = stage.progress;
        return el(
          'li',
          { class: 'progress', 'data-nodegroup': stage.id.slice('nodegroup:'.length), 'data-hop': hop.index },
          el('label', { for: id }, `${stage.label} (hop ${hop.index}, ${hop.to})`),
          el('progress', { id, max: Math.max(total, 1), value: Math.min(done, total) }, `${done} of ${total}`),
          el('span', {}, `${done} of ${plural(total, 'node')} on ${hop.to} · ${statusLabel(stage.status)}`),
          draining(stage),
        );
      }),
    ),
  );
}

/** The old nodes a running rotation is emptying, what is left on each, and the pods a budget holds there. */
function draining(stage) {
  if (!stage.draining?.length) return null;
  return el(
    'ul',
    { class: 'draining', 'aria-label': `Nodes being drained in ${stage.label}` },
    stage.draining.map((d) =>
      el(
        'li',
        { 'data-node': d.node },
        el('strong', {}, d.node),
        `: ${plural(d.podsLeft, 'pod')} to move${d.cordoned ? ', cordoned' : ''}`,
        d.heldBy.length
          ? el(
              'ul',
              {},
              d.heldBy.map((h) =>
                el(
                  'li',
                  { class: 'held' },
                  'pod ',
                  el('code', {}, h.pod),
                  ' is held by PodDisruptionBudget ',
                  el('code', {}, h.budget),
                  h.budgetDetail ? ` (${h.budgetDetail})` : '',
                ),
              ),
            )
          : null,
      ),
    ),
  );
}

const severityWords = { blocker: 'Blocker', warning: 'Warning', info: 'Info' };
const severityClass = { blocker: 'failed', warning: 'waiting', info: 'skipped' };

function finding(f) {
  return el(
    'li',
    { class: 'finding', 'data-severity': f.severity },
    el(
      'span',
      { class: `status status-${severityClass[f.severity] ?? 'skipped'}` },
      severityWords[f.severity] ?? f.severity,
    ),
    f.hard ? el('span', { class: 'muted' }, ' (cannot be overridden)') : null,
    ' ',
    el('strong', {}, f.message ?? f.id ?? ''),
    f.objects.length
      ? el(
          'ul',
          { class: 'objects' },
          f.objects.map((o) => el('li', {}, el('code', {}, o))),
          f.moreObjects > 0 ? el('li', { class: 'muted' }, `and ${f.moreObjects} more`) : null,
        )
      : null,
    f.fix ? el('p', { class: 'fix' }, el('strong', {}, 'Fix: '), f.fix) : null,
  );
}

function readinessReports(detail, opened) {
  const hops = detail.hops.filter((h) => h.readiness);
  if (!hops.length) return null;
  const focus = hops.find((h) => h.status === 'failed') ?? hops.at(-1);
  const details = (hop, ...children) => {
    const node = el('details', { open: opened.get(hop.index) ?? hop === focus, 'data-hop': hop.index }, ...children);
    // A person's choice to open or close a report outlives the refreshes.
    node.addEventListener('toggle', () => opened.set(hop.index, node.open));
    return node;
  };
  return el(
    'section',
    { 'aria-labelledby': 'readiness-title' },
    el('h2', { id: 'readiness-title' }, 'Readiness'),
    hops.map((hop) => {
      const r = hop.readiness;
      return details(
        hop,
        el(
          'summary',
          { 'data-focus-key': `readiness-${hop.index}` },
          `Hop ${hop.index} (${hop.from} → ${hop.to}): ${plural(r.blockers, 'blocker')}, ${plural(r.warnings, 'warning')}`,
        ),
        r.findings.length
          ? el('ul', { class: 'findings' }, r.findings.map(finding))
          : el('p', { class: 'muted' }, 'Nothing found.'),
      );
    }),
  );
}

function approvalsTable(approvals) {
  if (!approvals.length) return null;
  return el(
    'section',
    { 'aria-labelledby': 'approvals-title' },
    el('h2', { id: 'approvals-title' }, 'Approvals'),
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        { 'data-testid': 'approvals' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { scope: 'col' }, 'Hop'),
            el('th', { scope: 'col' }, 'Gate'),
            el('th', { scope: 'col' }, 'Decision'),
            el('th', { scope: 'col' }, 'Who'),
            el('th', { scope: 'col' }, 'When'),
            el('th', { scope: 'col' }, 'Channel'),
            el('th', { scope: 'col' }, 'Comment'),
          ),
        ),
        el(
          'tbody',
          {},
          approvals.map((a) =>
            el(
              'tr',
              { 'data-gate': a.gate, 'data-status': a.status },
              el('td', {}, `${a.hop.index} (${a.hop.from} → ${a.hop.to})`),
              el('th', { scope: 'row' }, a.label),
              el(
                'td',
                {},
                el(
                  'span',
                  { class: `status status-${approvalClass[a.status] ?? 'skipped'}` },
                  approvalWords[a.status] ?? a.status,
                ),
                a.status === 'waiting'
                  ? el(
                      'div',
                      {},
                      'until ',
                      formatTime(a.expiresAt),
                      ' · ',
                      el(
                        'a',
                        { href: href('approvals'), 'data-focus-key': `decide-${a.id}` },
                        'Decide on the Approvals page',
                      ),
                    )
                  : null,
              ),
              el('td', {}, a.approver ?? '—'),
              el('td', {}, a.decidedAt ? formatTime(a.decidedAt) : '—'),
              el('td', {}, a.channel ?? '—'),
              el('td', {}, a.comment ?? ''),
            ),
          ),
        ),
      ),
    ),
  );
}

const stopLines = (detail) => [
  `The upgrade of ${detail.cluster ?? detail.name} stops after the step it is at now, and your name and comment are recorded as the cause.`,
  'An update already handed to EKS (control plane, add-on or managed node group) finishes on EKS’s side. A self-managed group or Karpenter pool being rotated keeps its cordoned nodes, and cluster-autoscaler stays paused, until a run resumes the rotation.',
  'Retry, or the next dispatch run, plans from the cluster’s real versions and resumes where this one stopped.',
];

const retryLines = (detail) => [
  `A new execution upgrades ${detail.cluster ?? 'the cluster'}${detail.to ? ` to ${detail.to}` : ''} with this one’s input.`,
  'It plans from the cluster’s real versions and checks readiness again as of now, so finished work is not repeated, and its gates ask again.',
];

/** Stop (running) or Retry (failed, stopped, timed out), after a confirmation that says what it does. */
function actions(detail, ctx, state) {
  const buttons = (detail.actions ?? []).map((action) => {
    const label = action === 'stop' ? 'Stop upgrade…' : 'Retry…';
    const button = el(
      'button',
      { type: 'button', class: action === 'stop' ? 'danger' : 'primary', 'data-focus-key': `action-${action}` },
      label,
    );
    button.addEventListener('click', async () => {
      const answer = await confirmDialog(
        action === 'stop'
          ? {
              id: 'stop',
              title: 'Stop this upgrade?',
              lines: stopLines(detail),
              confirm: 'Stop upgrade',
              comment: 'Why (optional, recorded as the cause)',
            }
          : { id: 'retry', title: 'Retry this upgrade?', lines: retryLines(detail), confirm: 'Retry', danger: false },
      );
      if (!answer) return;
      button.disabled = true;
      try {
        const result = await ctx.api.post(
          `/api/executions/${encodeURIComponent(detail.name)}/${action}`,
          action === 'stop' && answer.comment ? { comment: answer.comment } : {},
        );
        state.note =
          action === 'stop'
            ? { ok: true, text: 'Stopped. The upgrade ends after the step it was at.' }
            : { ok: true, text: 'Retrying as a new execution: ', link: result.retry };
      } catch (error) {
        state.note = { ok: false, text: error.message };
      }
      ctx.announce(`${state.note.text}${state.note.link ?? ''}`);
      state.refresh();
    });
    return button;
  });
  const note = state.note
    ? el(
        'p',
        { class: state.note.ok ? 'result-ok' : 'error', role: 'status', 'data-testid': 'action-result' },
        state.note.text,
        state.note.link ? el('a', { href: href('execution', { name: state.note.link }) }, state.note.link) : null,
      )
    : null;
  if (!buttons.length && !note) return null;
  return el('section', { class: 'actions', 'aria-label': 'Actions' }, buttons, note);
}

function content(detail, opened, ctx, state) {
  return [
    failurePanel(detail, detail.approvals),
    header(detail),
    actions(detail, ctx, state),
    rotation(detail),
    el(
      'section',
      { 'aria-labelledby': 'timeline-heading' },
      el('h2', { id: 'timeline-heading' }, 'Stages'),
      detail.hops.length
        ? [timelinePicture(detail), detail.hops.map((hop) => stageTable(hop, detail))]
        : el('p', { class: 'muted' }, detail.status === 'RUNNING' ? 'Planning the upgrade…' : 'No hop was planned.'),
    ),
    readinessReports(detail, opened),
    approvalsTable(detail.approvals),
  ];
}

/** Renders the execution `ctx.name` into `root` and keeps it current while the upgrade runs. */
export async function renderExecution(root, ctx) {
  ensureStylesheet();
  ctx.setTitle(`Execution ${ctx.name}`);
  const back = el('p', {}, el('a', { href: href('executions') }, '← All executions'));
  const body = el('div', { class: 'execution', 'data-testid': 'execution' });
  // The event history keeps its own state (pages read, filter, rows opened) across the refreshes of the rest.
  const events = eventHistory(ctx);
  root.append(back, body, events.section);
  let last;
  const opened = new Map();
  const state = { note: undefined, refresh: () => undefined };
  let stop = () => undefined;
  let finished = false;
  const refresh = async () => {
    let detail;
    try {
      detail = await ctx.api.get(`/api/executions/${encodeURIComponent(ctx.name)}`);
    } catch (error) {
      if (error.status === 404) {
        finished = true;
        stop();
        replaceKeepingFocus(
          body,
          emptyState(
            'No such execution',
            `There is no upgrade execution named ${ctx.name}.`,
            'Pick one from the list of executions.',
          ),
        );
        return;
      }
      if (!last) replaceKeepingFocus(body, errorBox(error));
      throw error;
    }
    if (ctx.signal.aborted) return;
    const title = detail.cluster
      ? `Upgrade of ${detail.cluster}${detail.to ? ` to ${detail.to}` : ''}`
      : `Execution ${detail.name}`;
    ctx.setTitle(title);
    replaceKeepingFocus(body, content(detail, opened, ctx, state));
    events.update(detail);
    const step = detail.current?.step;
    if (last && last.status !== detail.status) {
      ctx.announce(
        detail.failure
          ? `The upgrade ${statusLabel(detail.status).toLowerCase()}: ${detail.failure.summary}`
          : `The upgrade ${statusLabel(detail.status).toLowerCase()}.`,
      );
    } else if (last && step && step !== last.current?.step) {
      ctx.announce(`Now: ${step}${detail.current?.stage ? `, ${detail.current.stage}` : ''}.`);
    }
    last = detail;
    if (detail.status !== 'RUNNING') {
      finished = true;
      stop();
    }
  };
  state.refresh = () => {
    if (finished) {
      // An ended execution's page no longer polls; a retry or stop refreshes it once.
      refresh().catch(() => undefined);
    }
  };
  stop = ctx.poll(refresh);
  if (finished) stop();
}

const eventPage = 100;

/**
 * The execution's event history, as the Step Functions console lists it: every event with its type, state and
 * time, and each state's input and output (or the error and cause) under a disclosure. Read a page at a time
 * when opened, filtered by state, type or text.
 */
function eventHistory(ctx) {
  const rows = [];
  let next;
  // The token of the last page read: a running execution's last page grows, and is read again from there.
  let lastPage;
  let loaded = false;
  let loading = false;
  let running = true;
  const filter = el('input', { id: 'events-filter', type: 'search', autocomplete: 'off', spellcheck: 'false' });
  const tbody = el('tbody');
  const count = el('p', { class: 'muted', role: 'status', 'data-testid': 'events-count' });
  const more = el('button', { type: 'button', 'data-testid': 'events-more' }, 'Load more events');
  const table = el(
    'table',
    { 'data-testid': 'events' },
    el('caption', {}, 'Event history, oldest first'),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ['ID', 'Type', 'State', 'Time', 'Since start', 'Details'].map((h) => el('th', { scope: 'col' }, h)),
      ),
    ),
    tbody,
  );
  const panel = el(
    'details',
    { 'data-testid': 'events-panel' },
    el('summary', {}, 'Event history (each state’s input and output)'),
    el(
      'div',
      { class: 'toolbar', role: 'search', 'aria-label': 'Filter events' },
      el('label', { for: 'events-filter' }, 'Filter by state, type or text', filter),
    ),
    count,
    el('div', { class: 'table-wrap' }, table),
    more,
  );
  const section = el(
    'section',
    { 'aria-labelledby': 'events-title' },
    el('h2', { id: 'events-title' }, 'Events'),
    panel,
  );
  const payload = (label, text) =>
    text ? el('div', {}, el('strong', {}, label), el('pre', { class: 'payload' }, el('code', {}, text))) : null;
  const row = (e) => {
    const details = [
      payload('Input', e.input),
      payload('Parameters', e.parameters),
      payload('Output', e.output),
      e.error ? payload('Error', e.error) : null,
      payload('Cause', e.cause),
      e.truncated ? el('p', { class: 'muted' }, 'Longer than shown: the first 32 KiB of each payload.') : null,
    ].filter(Boolean);
    return el(
      'tr',
      { 'data-event': e.id, 'data-type': e.type },
      el('td', { class: 'num' }, String(e.id)),
      el('td', {}, e.type),
      el('td', {}, e.state ?? '', e.index !== undefined ? ` [${e.index}]` : ''),
      el('td', {}, formatTime(e.timestamp)),
      el('td', { class: 'num' }, formatDuration(e.elapsedSeconds * 1000) || '0 s'),
      el(
        'td',
        {},
        details.length
          ? el(
              'details',
              {},
              el('summary', {}, e.input ? 'Input' : e.output ? 'Output' : e.cause ? 'Cause' : 'Details'),
              details,
            )
          : el('span', { class: 'muted' }, '—'),
      ),
    );
  };
  const show = () => {
    const text = filter.value.trim();
    const shown = rows.filter((e) =>
      matchesSearch(text, [e.type, e.state, e.error, e.cause, e.input, e.output, e.resource]),
    );
    tbody.replaceChildren(...shown.map(row));
    count.textContent = `${shown.length} of ${rows.length} events read${next ? ' (more to read)' : ''}${text ? `, matching “${text}”` : ''}.`;
    more.hidden = !next && !running;
  };
  const load = async () => {
    if (loading) return;
    loading = true;
    more.disabled = true;
    try {
      const from = next ?? lastPage;
      const page = await ctx.api.get(`/api/executions/${encodeURIComponent(ctx.name)}/events`, {
        limit: eventPage,
        ...(from ? { next: from } : {}),
      });
      const known = new Set(rows.map((e) => e.id));
      for (const e of page.events) if (!known.has(e.id)) rows.push(e);
      lastPage = from;
      next = page.next;
      loaded = true;
      show();
    } catch (error) {
      count.textContent = error.message;
    } finally {
      loading = false;
      more.disabled = false;
    }
  };
  panel.addEventListener('toggle', () => {
    if (panel.open && !loaded) load();
  });
  more.addEventListener('click', () => load());
  filter.addEventListener('input', show);
  return {
    section,
    update(detail) {
      running = detail.status === 'RUNNING';
      if (loaded) show();
    },
  };
}
