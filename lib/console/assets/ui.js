// Helpers every console page uses. Pages build the DOM with these and set text with textContent only: the content
// security policy requires Trusted Types, so HTML strings cannot reach the page.

const svgNs = 'http://www.w3.org/2000/svg';

function build(node, attrs, children) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class')
      node.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  const add = (child) => {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) child.forEach(add);
    else if (child instanceof Node) node.append(child);
    else node.append(document.createTextNode(String(child)));
  };
  children.forEach(add);
  return node;
}

/** An HTML element: `el('a', { href: '#/fleet', class: 'x' }, 'Fleet')`. */
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, with the same arguments as `el`. */
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(svgNs, tag), attrs, children);
}

const labels = {
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  TIMED_OUT: 'Timed out',
  ABORTED: 'Aborted',
  PENDING: 'Pending',
  WAITING: 'Waiting',
  SKIPPED: 'Skipped',
};

/** `TIMED_OUT` → `Timed out`. */
export function statusLabel(status) {
  const s = String(status ?? 'UNKNOWN').toUpperCase();
  return labels[s] ?? s.charAt(0) + s.slice(1).toLowerCase().replaceAll('_', ' ');
}

/** The status in words, coloured by its class (`status-running`, `status-failed`, ...). */
export function statusBadge(status) {
  const s = String(status ?? 'UNKNOWN').toLowerCase();
  return el('span', { class: `status status-${s}` }, statusLabel(status));
}

/** `42 s`, `3 min 5 s`, `2 h 10 min`, `3 d 4 h`. */
export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

let serverOffsetMs = 0;

/** Records the orchestrator's time from an API answer (simulated time in a local run). */
export function setServerTime(iso) {
  const t = Date.parse(iso ?? '');
  if (!Number.isNaN(t)) serverOffsetMs = t - Date.now();
}

/** Now, on the orchestrator's clock: what "5 min ago" and days left are measured from. */
export function serverNow() {
  return Date.now() + serverOffsetMs;
}

/** `just now`, `5 min ago`, `in 2 days`. */
export function relativeTime(iso, now = serverNow()) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const diff = t - now;
  const abs = Math.abs(diff);
  if (abs < 45_000) return 'just now';
  const units = [
    [365 * 86_400_000, 'year'],
    [30 * 86_400_000, 'month'],
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'min'],
  ];
  const [size, unit] = units.find(([size]) => abs >= size) ?? units[units.length - 1];
  const n = Math.round(abs / size);
  const words = unit === 'min' ? `${n} min` : `${n} ${unit}${n === 1 ? '' : 's'}`;
  return diff < 0 ? `${words} ago` : `in ${words}`;
}

const fields = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
const localTime = new Intl.DateTimeFormat(undefined, { ...fields, timeZoneName: 'short' });
const utcTime = new Intl.DateTimeFormat(undefined, { ...fields, timeZone: 'UTC', timeZoneName: 'short' });
const utcClock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
const utcDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const localDay = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });
const utcDay = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' });

/**
 * A `<time datetime="iso">` with the date and time in the browser's zone (named) and, beside it, in UTC, which
 * is what EKS, Step Functions and the logs show; the relative time is its title. Dates of deadlines (`dateOnly`)
 * are UTC days, as EKS publishes them.
 */
export function formatTime(iso, options = {}) {
  if (!iso) return el('span', { class: 'muted' }, '—');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return el('span', { class: 'muted' }, String(iso));
  const title = `${relativeTime(iso)} · ${date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC')}`;
  if (options.dateOnly)
    return el(
      'time',
      { datetime: date.toISOString(), title },
      utcDate.format(date),
      el('span', { class: 'zone' }, ' UTC'),
    );
  // Where local time is UTC at that instant, one time says it all.
  if (date.getTimezoneOffset() === 0) return el('time', { datetime: date.toISOString(), title }, utcTime.format(date));
  // The UTC time, with its date when that is another day than the local one.
  const utc =
    localDay.format(date) === utcDay.format(date) ? utcClock.format(date) : utcTime.format(date).replace(/\s*UTC$/, '');
  return el(
    'time',
    { datetime: date.toISOString(), title },
    localTime.format(date),
    el('span', { class: 'zone muted' }, ` (${utc} UTC)`),
  );
}

/**
 * A modal confirmation: a title, what will happen in sentences, an optional comment box, and the action's button
 * (Cancel has the focus, so Enter alone never confirms). Resolves to `{ comment }` when confirmed, else undefined.
 */
export function confirmDialog({ id, title, lines, confirm, danger = true, comment }) {
  return new Promise((resolve) => {
    const titleId = `${id}-title`;
    const dialog = el(
      'dialog',
      { 'aria-labelledby': titleId, 'data-dialog': id },
      el('h2', { id: titleId }, title),
      lines.map((line) => el('p', {}, line)),
    );
    const box = comment ? el('textarea', { id: `${id}-comment`, name: 'comment', maxlength: 1000, rows: 3 }) : null;
    if (box) dialog.append(el('label', { for: `${id}-comment` }, comment), box);
    const ok = el('button', { type: 'button', class: danger ? 'danger' : 'primary' }, confirm);
    const cancel = el('button', { type: 'button' }, 'Cancel');
    dialog.append(el('div', { class: 'actions' }, ok, cancel));
    const close = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    ok.addEventListener('click', () => close({ comment: box?.value.trim() ?? '' }));
    cancel.addEventListener('click', () => close(undefined));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(undefined);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

/**
 * A column header that sorts its table: a button saying what a click does, `aria-sort` on the header of the
 * column the rows are sorted by. `state` is `{ key, dir }` with `dir` 1 (ascending) or -1.
 */
export function sortableHeader(label, key, state, onSort, attrs = {}) {
  const active = state.key === key;
  const next = active && state.dir === 1 ? -1 : 1;
  const button = el(
    'button',
    {
      type: 'button',
      class: 'sort',
      'data-sort': key,
      'data-focus-key': `sort-${key}`,
      title: `Sort by ${label.toLowerCase()}, ${next === 1 ? 'ascending' : 'descending'}`,
    },
    label,
    el('span', { 'aria-hidden': 'true', class: 'sort-mark' }, active ? (state.dir === 1 ? ' ▲' : ' ▼') : ''),
  );
  button.addEventListener('click', () => onSort({ key, dir: next }));
  return el(
    'th',
    { scope: 'col', 'aria-sort': active ? (state.dir === 1 ? 'ascending' : 'descending') : 'none', ...attrs },
    button,
  );
}

/** Rows sorted by `state.key` through `value(row, key)`: numbers and dates numerically, text by locale; blanks last. */
export function sortRows(rows, state, value) {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return [...rows].sort((a, b) => {
    const x = value(a, state.key);
    const y = value(b, state.key);
    const blankX = x === undefined || x === null || x === '';
    const blankY = y === undefined || y === null || y === '';
    if (blankX || blankY) return Number(blankX) - Number(blankY);
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return order * state.dir;
  });
}

/** Whether every word of the search appears in one of the texts (case-insensitive). */
export function matchesSearch(search, texts) {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = texts.filter(Boolean).join(' ').toLowerCase();
  return words.every((w) => haystack.includes(w));
}

/** A section saying there is nothing to show, and what to do about it. */
export function emptyState(title, ...lines) {
  return el(
    'section',
    { class: 'empty' },
    el('h2', {}, title),
    lines.map((line) => el('p', {}, line)),
  );
}

/** The error's message as an alert. */
export function errorBox(error) {
  const message = error instanceof Error ? error.message : String(error);
  return el('div', { class: 'error', role: 'alert' }, message);
}

/**
 * Replaces a container's children and gives focus back to the element with the same `data-focus-key`, so a
 * refresh does not lose the keyboard user's place.
 */
export function replaceKeepingFocus(container, ...children) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.getAttribute('data-focus-key') : null;
  container.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  if (key) container.querySelector(`[data-focus-key="${CSS.escape(key)}"]`)?.focus();
}
