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

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A `<time>` with the local date and time, and the relative time as its title. */
export function formatTime(iso, options = {}) {
  if (!iso) return el('span', { class: 'muted' }, '—');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return el('span', { class: 'muted' }, String(iso));
  const text = (options.dateOnly ? dateOnly : dateTime).format(date);
  return el('time', { datetime: date.toISOString(), title: relativeTime(iso) }, text);
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
