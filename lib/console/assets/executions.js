// The executions page (#/executions?cluster=&status=&next=): newest first, filtered by cluster and status, 50 a
// page. With a cluster filter the server scans a bounded number of executions per request and says so.
import { href } from './router.js';
import {
  el,
  emptyState,
  formatDuration,
  formatTime,
  replaceKeepingFocus,
  serverNow,
  statusBadge,
  statusLabel,
} from './ui.js';

const statuses = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

function filters(query) {
  const cluster = el('input', {
    id: 'filter-cluster',
    name: 'cluster',
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    value: query.get('cluster') ?? '',
  });
  const status = el(
    'select',
    { id: 'filter-status', name: 'status' },
    el('option', { value: '' }, 'Any status'),
    statuses.map((s) => el('option', { value: s, selected: query.get('status') === s }, statusLabel(s))),
  );
  const form = el(
    'form',
    { class: 'toolbar', role: 'search', 'aria-label': 'Filter executions' },
    el('label', { for: 'filter-cluster' }, 'Cluster', cluster),
    el('label', { for: 'filter-status' }, 'Status', status),
    el('button', { type: 'submit', class: 'primary' }, 'Filter'),
    query.get('cluster') || query.get('status')
      ? el('a', { href: href('executions'), class: 'button' }, 'Clear filters')
      : null,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = href('executions', { cluster: cluster.value.trim(), status: status.value });
  });
  return form;
}

function table(rows) {
  const now = serverNow();
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      {},
      el('caption', {}, 'Upgrade executions, newest first'),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ['Execution', 'Cluster', 'Target', 'Status', 'Started', 'Duration'].map((h) =>
            el('th', { scope: 'col', class: h === 'Duration' ? 'num' : undefined }, h),
          ),
        ),
      ),
      el(
        'tbody',
        {},
        rows.map((r) => {
          const start = Date.parse(r.startDate);
          const stop = r.stopDate ? Date.parse(r.stopDate) : now;
          return el(
            'tr',
            {},
            el(
              'th',
              { scope: 'row' },
              el('a', { href: href('execution', { name: r.name }), 'data-focus-key': r.name }, r.name),
            ),
            el('td', {}, r.cluster ?? el('span', { class: 'muted' }, 'unknown')),
            el('td', {}, r.target ?? el('span', { class: 'muted' }, '—')),
            el('td', {}, statusBadge(r.status)),
            el('td', {}, formatTime(r.startDate)),
            el('td', { class: 'num' }, (Number.isFinite(start) && formatDuration(stop - start)) || '—'),
          );
        }),
      ),
    ),
  );
}

function pager(query, page) {
  const base = { cluster: query.get('cluster') ?? '', status: query.get('status') ?? '' };
  const links = [];
  if (query.get('next')) links.push(el('a', { href: href('executions', base) }, 'First page'));
  if (page.partial) {
    links.push(
      el(
        'p',
        { class: 'notice' },
        `Scanned ${page.scanned.toLocaleString()} executions and found ${page.executions.length} for ${query.get('cluster')} so far. `,
        el('a', { href: href('executions', { ...base, next: page.next }) }, 'Continue scanning'),
      ),
    );
  } else if (page.next) {
    links.push(el('a', { href: href('executions', { ...base, next: page.next }), rel: 'next' }, 'Next page'));
  }
  return links.length ? el('nav', { class: 'pager', 'aria-label': 'Pages' }, links) : null;
}

export async function renderExecutions(root, ctx) {
  ctx.setTitle('Executions');
  const query = ctx.query;
  const content = el('div');
  root.append(filters(query), content);
  const request = {
    cluster: query.get('cluster') ?? '',
    status: query.get('status') ?? '',
    next: query.get('next') ?? '',
  };
  let last = '';
  const refresh = async () => {
    const page = await ctx.api.get('/api/executions', request);
    const text = JSON.stringify(page);
    if (text === last) return;
    const first = last === '';
    last = text;
    const what = [
      request.status && statusLabel(request.status).toLowerCase(),
      request.cluster && `for ${request.cluster}`,
    ]
      .filter(Boolean)
      .join(' ');
    replaceKeepingFocus(
      content,
      page.executions.length
        ? table(page.executions)
        : emptyState(
            page.partial ? 'None found yet' : 'No executions',
            what
              ? `No ${what} executions${request.next ? ' on this page' : ''}.`
              : 'Dispatch has not started any upgrade yet.',
          ),
      pager(query, page),
    );
    if (!first) ctx.announce('Executions updated.');
  };
  // Later pages hold older executions, which no longer change; only the first page is kept current.
  if (request.next) await refresh();
  else ctx.poll(refresh);
}
