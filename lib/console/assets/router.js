// The hash router: #/fleet, #/executions?cluster=&status=&next=, #/executions/<name>, #/approvals.

/** The page a hash names; anything unknown is the fleet page. */
export function parseRoute(hash) {
  const raw = String(hash ?? '').replace(/^#/, '');
  const [path, search = ''] = raw.split('?', 2);
  const query = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'executions' && parts.length === 2) {
    let name = parts[1];
    try {
      name = decodeURIComponent(parts[1]);
    } catch {
      // keeps the name as written
    }
    return { page: 'execution', name, query };
  }
  if (parts.length === 1 && ['fleet', 'executions', 'approvals'].includes(parts[0])) return { page: parts[0], query };
  return { page: 'fleet', query, redirected: raw !== '' };
}

/** The hash of a page: `href('executions', { status: 'FAILED' })` → `#/executions?status=FAILED`. */
export function href(page, params = {}) {
  if (page === 'execution') return `#/executions/${encodeURIComponent(params.name)}`;
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') query.set(k, v);
  const search = query.toString();
  return `#/${page}${search ? `?${search}` : ''}`;
}
