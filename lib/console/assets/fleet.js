// The fleet page (#/fleet): every enrolled cluster with its version, target, deadline and upgrade state, and a
// version/deadline chart with a table equivalent.
import { href } from './router.js';
import {
  el,
  emptyState,
  formatTime,
  matchesSearch,
  relativeTime,
  replaceKeepingFocus,
  serverNow,
  sortableHeader,
  sortRows,
  statusBadge,
  svg,
} from './ui.js';

const bandWords = {
  ok: (days) => `${days} days`,
  soon: (days) => `${days} days (soon)`,
  extended: (days) => `${-days} days past (extended support)`,
  unknown: () => 'unknown',
};

function bandBadge(row) {
  return el('span', { class: `band band-${row.band}` }, bandWords[row.band](row.daysLeft));
}

const where = (c) => `${c.cluster.accountId} · ${c.cluster.region}`;
const dayMs = 86_400_000;

/** One chart row per cluster, or per version when the fleet is large. */
function chartRows(clusters) {
  if (clusters.length <= 50) {
    return clusters
      .map((c) => ({
        label: c.cluster.name,
        detail: `${c.version ?? '?'} → ${c.target ?? '?'}`,
        end: c.endOfStandardSupport,
        planned: c.plannedStart,
        band: c.band,
        atRisk: Boolean(c.atRisk),
        count: 1,
      }))
      .sort((a, b) => (Date.parse(a.end) || Infinity) - (Date.parse(b.end) || Infinity));
  }
  const worst = { extended: 3, soon: 2, ok: 1, unknown: 0 };
  const groups = new Map();
  for (const c of clusters) {
    const g = groups.get(c.version ?? '?') ?? { label: `${c.version ?? '?'}`, clusters: [] };
    g.clusters.push(c);
    groups.set(c.version ?? '?', g);
  }
  return [...groups.values()]
    .map((g) => {
      const ends = g.clusters.map((c) => Date.parse(c.endOfStandardSupport)).filter(Number.isFinite);
      const planned = g.clusters.map((c) => Date.parse(c.plannedStart)).filter(Number.isFinite);
      const band = g.clusters.map((c) => c.band).sort((a, b) => worst[b] - worst[a])[0];
      return {
        label: `Kubernetes ${g.label}`,
        detail: `${g.clusters.length} clusters`,
        end: ends.length ? new Date(Math.min(...ends)).toISOString() : undefined,
        planned: planned.length ? new Date(Math.max(...planned)).toISOString() : undefined,
        band,
        atRisk: g.clusters.some((c) => c.atRisk),
        count: g.clusters.length,
      };
    })
    .sort((a, b) => (Date.parse(a.end) || Infinity) - (Date.parse(b.end) || Infinity));
}

function deadlineChart(rows, now) {
  const width = 960;
  const left = 230;
  const right = 900;
  const rowHeight = 26;
  const top = 52;
  const height = top + rows.length * rowHeight + 10;
  const span = 365 * dayMs;
  const x = (t) => left + Math.max(0, Math.min(1, (t - now) / span)) * (right - left);
  const grouped = rows.some((r) => r.count > 1);
  const summary = `${rows.length} ${grouped ? 'versions' : 'clusters'}; ${rows.filter((r) => r.band === 'extended').length} past end of standard support, ${rows.filter((r) => r.band === 'soon').length} within 30 days, ${rows.filter((r) => r.atRisk).length} at risk.`;
  const ticks = [];
  const start = new Date(now);
  for (let m = 0; m <= 12; m++) {
    const t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + m, 1);
    if (t < now || t > now + span) continue;
    const label = new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' }).format(t);
    ticks.push(svg('line', { class: 'axis', x1: x(t), x2: x(t), y1: top - 8, y2: height - 6 }));
    ticks.push(svg('text', { x: x(t) + 3, y: top - 12 }, label));
    // The year stands above its first month on the chart, so the month labels stay short.
    if (ticks.length === 2 || new Date(t).getUTCMonth() === 0)
      ticks.push(svg('text', { class: 'year', x: x(t) + 3, y: top - 30 }, String(new Date(t).getUTCFullYear())));
  }
  const body = rows.map((r, i) => {
    const y = top + i * rowHeight;
    const end = Date.parse(r.end);
    const planned = Date.parse(r.planned);
    const days = Number.isFinite(end) ? Math.floor((end - now) / dayMs) : undefined;
    const barEnd = Number.isFinite(end) ? x(end) : left;
    const words = days === undefined ? 'no date' : days < 0 ? 'past' : days > 365 ? `${days} d →` : `${days} d`;
    const parts = [
      svg('text', { x: 4, y: y + 16 }, `${r.label} (${r.detail})`),
      svg('rect', {
        class: ['bar', `bar-${r.band}`, r.atRisk && 'at-risk'],
        x: left,
        y: y + 4,
        width: Math.max(barEnd - left, 3),
        height: rowHeight - 10,
        rx: 2,
      }),
    ];
    const showPlanned = Number.isFinite(planned) && planned >= now - dayMs && planned <= now + span;
    // The words go right of the bar, and right of the planned-upgrade marker when it sits there.
    const labelAt = Math.max(barEnd, left, showPlanned ? x(planned) + 6 : left) + 6;
    parts.push(svg('text', { x: Math.min(labelAt, right + 4), y: y + 16 }, words));
    if (showPlanned) {
      const px = x(planned);
      const cy = y + rowHeight / 2 - 1;
      parts.push(
        svg(
          'path',
          { class: 'planned', d: `M${px} ${cy - 6} L${px + 6} ${cy} L${px} ${cy + 6} L${px - 6} ${cy} Z` },
          svg('title', {}, `Upgrade planned ${new Date(planned).toDateString()}`),
        ),
      );
    }
    return svg('g', {}, svg('title', {}, `${r.label}: end of standard support ${r.end ?? 'unknown'}, ${words}`), parts);
  });
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'chart-title chart-desc' },
    svg('title', { id: 'chart-title' }, 'End of standard support for the next 12 months'),
    svg('desc', { id: 'chart-desc' }, summary),
    ticks,
    svg('line', { class: 'today', x1: left, x2: left, y1: top - 8, y2: height - 6 }),
    body,
  );
  const legend = el(
    'ul',
    { class: 'chart-legend' },
    el('li', {}, el('span', { class: 'swatch swatch-ok' }), 'more than 30 days'),
    el('li', {}, el('span', { class: 'swatch swatch-soon' }), '30 days or less'),
    el('li', {}, el('span', { class: 'swatch swatch-extended' }), 'past: extended support'),
    el('li', {}, el('span', { class: 'swatch swatch-planned' }), 'planned upgrade'),
    el('li', {}, 'outlined bar: the planned upgrade leaves too little margin'),
  );
  const table = el(
    'details',
    {},
    el('summary', {}, 'The chart as a table'),
    el(
      'table',
      {},
      el('caption', {}, summary),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ['', 'End of standard support', 'Days left', 'Planned upgrade', 'At risk'].map((h, i) =>
            el('th', { scope: 'col' }, i === 0 ? (grouped ? 'Version' : 'Cluster') : h),
          ),
        ),
      ),
      el(
        'tbody',
        {},
        rows.map((r) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row' }, `${r.label} (${r.detail})`),
            el('td', {}, formatTime(r.end, { dateOnly: true })),
            el(
              'td',
              {},
              el(
                'span',
                { class: `band band-${r.band}` },
                Number.isFinite(Date.parse(r.end)) ? String(Math.floor((Date.parse(r.end) - now) / dayMs)) : 'unknown',
              ),
            ),
            el('td', {}, formatTime(r.planned, { dateOnly: true })),
            el('td', {}, r.atRisk ? 'yes' : 'no'),
          ),
        ),
      ),
    ),
  );
  return el(
    'section',
    { 'aria-labelledby': 'chart-heading' },
    el('h2', { id: 'chart-heading' }, 'Versions and deadlines'),
    el('div', { class: 'chart' }, chart),
    legend,
    table,
  );
}

const columns = [
  { key: 'cluster', label: 'Cluster', value: (c) => `${c.cluster.name} ${c.cluster.accountId} ${c.cluster.region}` },
  { key: 'versions', label: 'Version → target', value: (c) => versionRank(c.version) },
  { key: 'end', label: 'End of standard support', value: (c) => c.daysLeft },
  { key: 'days', label: 'Days left', value: (c) => c.daysLeft },
  { key: 'policy', label: 'Policy', value: (c) => c.policyGroup ?? 'default' },
  { key: 'wave', label: 'Wave', value: (c) => (c.wave ? `${c.wave.group} / ${c.wave.name}` : '') },
  { key: 'last', label: 'Last result', value: (c) => c.lastResult?.status ?? '' },
  { key: 'running', label: 'Running', value: (c) => (c.running ? 0 : 1) },
  { key: 'decision', label: 'Decision', value: (c) => c.decision },
];
const sortWords = {
  cluster: 'cluster',
  versions: 'version',
  end: 'end of standard support',
  days: 'days left',
  policy: 'policy',
  wave: 'wave',
  last: 'last result',
  running: 'running first',
  decision: 'decision',
};

/** `1.9` before `1.33`: minor versions compared as numbers. */
function versionRank(version) {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  return m ? Number(m[1]) * 1000 + Number(m[2]) : undefined;
}

function versionsCell(c) {
  const up = c.upgradedSinceDispatch;
  return el(
    'td',
    {},
    `${c.version ?? '?'} → ${c.target ?? '?'}`,
    c.hops?.length > 1 ? el('div', { class: 'muted' }, `${c.hops.length} hops`) : null,
    up
      ? el(
          'div',
          { class: 'muted', 'data-testid': 'upgraded-since' },
          `upgraded${up.from ? ` from ${up.from}` : ''} since dispatch, `,
          formatTime(up.at),
        )
      : null,
  );
}

function fleetTable(clusters, state, onSort) {
  const dir = state.dir === 1 ? 'ascending' : 'descending';
  const column = columns.find((c) => c.key === state.key) ?? columns[2];
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      {},
      el('caption', {}, `Enrolled clusters, sorted by ${sortWords[state.key] ?? state.key} (${dir})`),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          columns.map((c) => sortableHeader(c.label, c.key, state, onSort)),
        ),
      ),
      el(
        'tbody',
        {},
        sortRows(clusters, state, (row) => column.value(row)).map((c) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row' }, c.cluster.name, el('div', { class: 'muted' }, where(c))),
            versionsCell(c),
            el('td', {}, formatTime(c.endOfStandardSupport, { dateOnly: true })),
            el('td', {}, bandBadge(c), c.atRisk ? el('div', { class: 'muted' }, 'at risk: too little margin') : null),
            el('td', {}, c.policyGroup ?? el('span', { class: 'muted' }, 'default')),
            el('td', {}, c.wave ? `${c.wave.group} / ${c.wave.name}` : el('span', { class: 'muted' }, '—')),
            el(
              'td',
              {},
              c.lastResult
                ? [
                    statusBadge(c.lastResult.status),
                    ' ',
                    el(
                      'a',
                      {
                        href: href('execution', { name: c.lastResult.name }),
                        class: 'break-anywhere',
                        'data-focus-key': `last-${c.cluster.arn}`,
                      },
                      c.lastResult.name,
                    ),
                  ]
                : el('span', { class: 'muted' }, 'none recently'),
            ),
            el(
              'td',
              {},
              c.running
                ? [
                    statusBadge('RUNNING'),
                    ' ',
                    el(
                      'a',
                      {
                        href: href('execution', { name: c.running.name }),
                        class: 'break-anywhere',
                        'data-focus-key': `run-${c.cluster.arn}`,
                      },
                      c.running.name,
                    ),
                    el(
                      'div',
                      { class: 'muted' },
                      c.running.startDate ? `started ${relativeTime(c.running.startDate)}` : '',
                    ),
                  ]
                : el('span', { class: 'muted' }, 'no'),
            ),
            el(
              'td',
              { class: 'reason' },
              el('strong', {}, c.decision),
              el('div', {}, c.reason),
              c.upgradedSinceDispatch
                ? el('div', { class: 'muted' }, 'Dispatch decided this before the upgrade; its next run decides again.')
                : null,
            ),
          ),
        ),
      ),
    ),
  );
}

const bandOptions = [
  ['', 'Any deadline'],
  ['extended', 'Past: extended support'],
  ['soon', '30 days or less'],
  ['ok', 'More than 30 days'],
];

/** Search, deadline, decision and running filters over the fleet table; the page keeps them across refreshes. */
function fleetControls(filters, onChange) {
  const search = el('input', {
    id: 'fleet-search',
    type: 'search',
    autocomplete: 'off',
    spellcheck: 'false',
    value: filters.search,
  });
  const band = el(
    'select',
    { id: 'fleet-band' },
    bandOptions.map(([v, label]) => el('option', { value: v, selected: filters.band === v }, label)),
  );
  const decision = el('select', { id: 'fleet-decision' }, el('option', { value: '' }, 'Any decision'));
  const running = el(
    'select',
    { id: 'fleet-running' },
    el('option', { value: '' }, 'Running or not'),
    el('option', { value: 'yes' }, 'Upgrading now'),
    el('option', { value: 'no' }, 'Not upgrading'),
  );
  const changed = () => {
    Object.assign(filters, {
      search: search.value.trim(),
      band: band.value,
      decision: decision.value,
      running: running.value,
    });
    onChange();
  };
  search.addEventListener('input', changed);
  for (const select of [band, decision, running]) select.addEventListener('change', changed);
  const form = el(
    'form',
    { class: 'toolbar', role: 'search', 'aria-label': 'Filter clusters' },
    el('label', { for: 'fleet-search' }, 'Search clusters', search),
    el('label', { for: 'fleet-band' }, 'Deadline', band),
    el('label', { for: 'fleet-decision' }, 'Decision', decision),
    el('label', { for: 'fleet-running' }, 'Upgrade', running),
  );
  form.addEventListener('submit', (event) => event.preventDefault());
  return {
    form,
    /** The decisions the fleet has, as options (the chosen one kept). */
    setDecisions(decisions) {
      const chosen = decision.value;
      decision.replaceChildren(
        el('option', { value: '' }, 'Any decision'),
        [...new Set(decisions)].sort().map((d) => el('option', { value: d, selected: d === chosen }, d)),
      );
    },
  };
}

function filtered(clusters, filters) {
  return clusters.filter(
    (c) =>
      (!filters.band || c.band === filters.band) &&
      (!filters.decision || c.decision === filters.decision) &&
      (!filters.running || (filters.running === 'yes') === Boolean(c.running)) &&
      matchesSearch(filters.search, [
        c.cluster.name,
        c.cluster.accountId,
        c.cluster.region,
        c.version,
        c.target,
        c.policyGroup,
        c.wave?.group,
        c.wave?.name,
        c.decision,
        c.reason,
        c.running?.name,
        c.lastResult?.name,
      ]),
  );
}

function summaryLine(view) {
  const n = (band) => view.clusters.filter((c) => c.band === band).length;
  const running = view.clusters.filter((c) => c.running).length;
  return el(
    'p',
    {},
    `${view.clusters.length} enrolled clusters: ${n('extended')} past end of standard support, ${n('soon')} within 30 days, ${running} upgrading now. `,
    view.notEnrolled ? `${view.notEnrolled} more ${view.notEnrolled === 1 ? 'is' : 'are'} not enrolled. ` : '',
    el(
      'span',
      { class: 'muted' },
      `Dispatch (${view.trigger}) ran `,
      formatTime(view.generatedAt),
      ` (${relativeTime(view.generatedAt)}).`,
    ),
  );
}

export async function renderFleet(root, ctx) {
  ctx.setTitle('Fleet');
  const content = el('div');
  const filters = { search: '', band: '', decision: '', running: '' };
  const sort = { key: 'days', dir: 1 };
  const tableArea = el('div');
  const count = el('p', { class: 'muted result-count', role: 'status', 'data-testid': 'fleet-count' });
  let view;
  const drawTable = () => {
    if (!view?.snapshot) return;
    const shown = filtered(view.clusters, filters);
    count.textContent =
      shown.length === view.clusters.length
        ? `All ${view.clusters.length} clusters.`
        : `${shown.length} of ${view.clusters.length} clusters match.`;
    replaceKeepingFocus(
      tableArea,
      shown.length
        ? fleetTable(shown, sort, (next) => {
            Object.assign(sort, next);
            drawTable();
          })
        : el('p', { class: 'muted' }, 'No cluster matches these filters.'),
    );
  };
  const controls = fleetControls(filters, drawTable);
  root.append(content);
  let last = '';
  let laidOut = false;
  ctx.poll(async () => {
    const next = await ctx.api.get('/api/fleet');
    const text = JSON.stringify(next);
    if (text === last) return;
    const first = last === '';
    last = text;
    view = next;
    if (!view.snapshot) {
      laidOut = false;
      replaceKeepingFocus(content, emptyState('No fleet status yet', view.message, ...view.howTo));
      return;
    }
    controls.setDecisions(view.clusters.map((c) => c.decision));
    if (!laidOut) {
      laidOut = true;
      replaceKeepingFocus(
        content,
        summaryLine(view),
        el('div', { 'data-testid': 'fleet-chart' }, deadlineChart(chartRows(view.clusters), serverNow())),
        el('h2', {}, 'Clusters'),
        controls.form,
        count,
        tableArea,
      );
    } else {
      // The filters and the table keep their place (and focus); the summary and chart are redrawn.
      const [summary, chart] = content.children;
      summary?.replaceWith(summaryLine(view));
      chart?.replaceChildren(deadlineChart(chartRows(view.clusters), serverNow()));
    }
    drawTable();
    if (!first) ctx.announce('Fleet updated.');
  });
}
