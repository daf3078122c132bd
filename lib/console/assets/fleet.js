// The fleet page (#/fleet): every enrolled cluster with its version, target, deadline and upgrade state, and a
// version/deadline chart with a table equivalent.
import { href } from './router.js';
import { el, emptyState, formatTime, relativeTime, replaceKeepingFocus, serverNow, statusBadge, svg } from './ui.js';

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

function fleetTable(clusters) {
  const head = [
    'Cluster',
    'Version → target',
    'End of standard support',
    'Days left',
    'Policy',
    'Wave',
    'Last result',
    'Running',
    'Decision',
  ];
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      {},
      el('caption', {}, 'Enrolled clusters, closest deadline first'),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          head.map((h) => el('th', { scope: 'col' }, h)),
        ),
      ),
      el(
        'tbody',
        {},
        [...clusters]
          .sort((a, b) => (a.daysLeft ?? Infinity) - (b.daysLeft ?? Infinity))
          .map((c) =>
            el(
              'tr',
              {},
              el('th', { scope: 'row' }, c.cluster.name, el('div', { class: 'muted' }, where(c))),
              el(
                'td',
                {},
                `${c.version ?? '?'} → ${c.target ?? '?'}`,
                c.hops?.length > 1 ? el('div', { class: 'muted' }, `${c.hops.length} hops`) : null,
              ),
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
              el('td', { class: 'reason' }, el('strong', {}, c.decision), el('div', {}, c.reason)),
            ),
          ),
      ),
    ),
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
  root.append(content);
  let last = '';
  ctx.poll(async () => {
    const view = await ctx.api.get('/api/fleet');
    const text = JSON.stringify(view);
    if (text === last) return;
    const first = last === '';
    last = text;
    if (!view.snapshot) {
      replaceKeepingFocus(content, emptyState('No fleet status yet', view.message, ...view.howTo));
      return;
    }
    replaceKeepingFocus(
      content,
      summaryLine(view),
      deadlineChart(chartRows(view.clusters), serverNow()),
      el('h2', {}, 'Clusters'),
      fleetTable(view.clusters),
    );
    if (!first) ctx.announce('Fleet updated.');
  });
}
