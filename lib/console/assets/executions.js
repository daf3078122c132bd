// The executions page (#/executions?cluster=&status=&next=): newest first, filtered by cluster and status, 50 a
// page. With a cluster filter the server scans a bounded number of executions per request and says so.
import { href } from './router.js';
import {
  el,
  emptyState,
  formatDuration,
  formatTime,
  matchesSearch,
  replaceKeepingFocus,
  serverNow,
  sortableHeader,
  sortRows,
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

const columns = [
  { key: 'name', label: 'Execution', value: (r) => r.name },
  { key: 'cluster', label: 'Cluster', value: (r) => r.cluster ?? '' },
  { key: 'target', label: 'Target', value: (r) => r.target ?? '' },
  { key: 'status', label: 'Status', value: (r) => statusLabel(r.status) },
  { key: 'started', label: 'Started', value: (r) => Date.parse(r.startDate) },
  {
    key: 'duration',
    label: 'Duration',
    value: (r, now) => (r.stopDate ? Date.parse(r.stopDate) : now) - Date.parse(r.startDate),
  },
];
const sortWords = {
  name: 'execution',
  cluster: 'cluster',
  target: 'target',
  status: 'status',
  started: 'start',
  duration: 'duration',
};

function table(rows, sort, onSort) {
  const now = serverNow();
  const column = columns.find((c) => c.key === sort.key) ?? columns[4];
  const order =
    sort.key === 'started' && sort.dir === -1
      ? 'newest first'
      : `by ${sortWords[sort.key]} (${sort.dir === 1 ? 'ascending' : 'descending'})`;
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      {},
      el('caption', {}, `Upgrade executions, ${order}`),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          columns.map((c) =>
            sortableHeader(c.label, c.key, sort, onSort, c.key === 'duration' ? { class: 'num' } : {}),
          ),
        ),
      ),
      el(
        'tbody',
        {},
        sortRows(rows, sort, (r) => column.value(r, now)).map((r) => {
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

/** Searches the executions of the page shown (the server filters by cluster and status; this narrows further). */
function searchBox(state, onChange) {
  const input = el('input', { id: 'executions-search', type: 'search', autocomplete: 'off', spellcheck: 'false' });
  input.addEventListener('input', () => {
    state.search = input.value.trim();
    onChange();
  });
  return el(
    'div',
    { class: 'toolbar', role: 'search', 'aria-label': 'Search this page' },
    el('label', { for: 'executions-search' }, 'Search this page (name, cluster, target, status)', input),
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
  const state = { search: '', sort: { key: 'started', dir: -1 } };
  let page;
  const request = {
    cluster: query.get('cluster') ?? '',
    status: query.get('status') ?? '',
    next: query.get('next') ?? '',
  };
  const draw = () => {
    if (!page) return;
    const what = [
      request.status && statusLabel(request.status).toLowerCase(),
      request.cluster && `for ${request.cluster}`,
    ]
      .filter(Boolean)
      .join(' ');
    const rows = page.executions.filter((r) =>
      matchesSearch(state.search, [r.name, r.cluster, r.target, statusLabel(r.status)]),
    );
    replaceKeepingFocus(
      content,
      page.executions.length && state.search
        ? el(
            'p',
            { class: 'muted result-count', role: 'status' },
            `${rows.length} of ${page.executions.length} executions on this page match “${state.search}”.`,
          )
        : null,
      rows.length
        ? table(rows, state.sort, (next) => {
            state.sort = next;
            draw();
          })
        : emptyState(
            page.partial ? 'None found yet' : 'No executions',
            state.search && page.executions.length
              ? `None of the ${page.executions.length} executions on this page match “${state.search}”.`
              : what
                ? `No ${what} executions${request.next ? ' on this page' : ''}.`
                : 'Dispatch has not started any upgrade yet.',
          ),
      pager(query, page),
    );
  };
  root.append(filters(query), searchBox(state, draw), content);
  let last = '';
  const refresh = async () => {
    const next = await ctx.api.get('/api/executions', request);
    const text = JSON.stringify(next);
    if (text === last) return;
    const first = last === '';
    last = text;
    page = next;
    draw();
    if (!first) ctx.announce('Executions updated.');
  };
  // Later pages hold older executions, which no longer change; only the first page is kept current.
  if (request.next) await refresh();
  else ctx.poll(refresh);
}
