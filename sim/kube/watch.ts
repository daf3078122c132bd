/**
 * Watch, as kube-apiserver serves it: `?watch=true` on a collection streams `ADDED`, `MODIFIED` and `DELETED`
 * events as JSON lines, from a resourceVersion or from now, through the request's label and field selectors.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 *
 * - `resourceVersion` unset or "0": synthetic `ADDED` events for every object that exists, then changes.
 * - `resourceVersion=N`: changes after N only. What changed between N and the start of the watch arrives
 *   compacted, one event per object with its latest state (deletions in order), as after an etcd compaction.
 *   An N older than the deletions the server still remembers gets an `ERROR` event with a 410 `Expired` Status,
 *   as the watch cache answers, and the client lists again.
 * - `sendInitialEvents=true` (watch-list): the `ADDED` events, then a `BOOKMARK` annotated
 *   `k8s.io/initial-events-end`.
 * - `allowWatchBookmarks=true`: a `BOOKMARK` with the current resourceVersion now and then, and before the
 *   watch ends at `timeoutSeconds` (default 1800 s, kube-apiserver's --min-request-timeout).
 * - An object that stops matching the selectors is reported `DELETED`; one that starts matching, `ADDED`.
 */
import type { ServerResponse } from 'node:http';
import { fieldValue, selectors } from './listing.js';
import type { Json } from './model.js';
import type { ServedResource } from './resources.js';
import { matchesFields, matchesLabels } from './selectors.js';
import type { SimKubernetes } from './state.js';
import { badRequest, type KubeStatus } from './status.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: Json;
}

export interface WatchOptions {
  /** How each object is written into an event (a Table row when the client asked for Tables). */
  render?: (object: Json, type: WatchEventType) => Json;
  /** Told once when the watch ends (client gone, timeout, server closed). */
  onEnd?: () => void;
  /** How often simulated time is advanced while nothing else asks (real milliseconds). */
  pollMs?: number;
  /** How often a bookmark is sent when the client allows them (real milliseconds). */
  bookmarkMs?: number;
}

const DEFAULT_TIMEOUT_SECONDS = 1800;

function metaOf(object: Json): Json {
  const meta = object.metadata;
  return typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as Json) : {};
}

function versionOf(object: Json): number {
  return Number(metaOf(object).resourceVersion ?? 0);
}

function expiredStatus(asked: number, oldest: number): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `too old resource version: ${asked} (${oldest + 1})`,
    reason: 'Expired',
    code: 410,
  };
}

/** Checks a watch request's parameters before the stream starts. Throws KubeApiError 400. */
export function parseWatchRequest(resource: ServedResource, query: URLSearchParams) {
  const { labels, fields } = selectors(resource, query);
  const versionText = query.get('resourceVersion') ?? '';
  if (versionText !== '' && !/^\d+$/.test(versionText)) {
    throw badRequest(`resourceVersion: Invalid value: "${versionText}": must be an integer`);
  }
  const timeoutText = query.get('timeoutSeconds');
  const timeoutSeconds = timeoutText === null || timeoutText === '' ? DEFAULT_TIMEOUT_SECONDS : Number(timeoutText);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 0) {
    throw badRequest(`timeoutSeconds must be a non-negative integer, got "${timeoutText}"`);
  }
  const sendInitialEvents = query.get('sendInitialEvents') === 'true';
  const allowBookmarks = query.get('allowWatchBookmarks') === 'true';
  if (sendInitialEvents && !allowBookmarks) {
    throw badRequest('sendInitialEvents is forbidden for watch unless allowWatchBookmarks=true');
  }
  if (sendInitialEvents && query.get('resourceVersionMatch') !== 'NotOlderThan') {
    throw badRequest("sendInitialEvents requires setting resourceVersionMatch to 'NotOlderThan'");
  }
  return {
    labels,
    fields,
    fromVersion: versionText === '' || versionText === '0' ? undefined : Number(versionText),
    timeoutSeconds: timeoutSeconds === 0 ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds,
    sendInitialEvents,
    allowBookmarks,
  };
}

/**
 * Streams a watch of `resource` (in `namespace`, or all) to `res` until the client goes, the timeout passes or
 * the server closes. Returns a function that ends it.
 */
export function streamWatch(
  kube: SimKubernetes,
  resource: ServedResource,
  namespace: string | undefined,
  request: ReturnType<typeof parseWatchRequest>,
  res: ServerResponse,
  options: WatchOptions = {},
): () => void {
  const { labels, fields } = request;
  const matches = (object: Json) =>
    matchesLabels(labels, metaOf(object).labels as Record<string, string> | undefined) &&
    matchesFields(fields, (f) => fieldValue(object, f));
  const render = options.render ?? ((object: Json) => object);
  const snapshot = (): Map<string, Json> => {
    const now = new Map<string, Json>();
    for (const { key, object } of kube.listRange(resource, namespace, undefined).entries) {
      if (matches(object)) now.set(key, object);
    }
    return now;
  };
  const inScope = (key: string) => !resource.namespaced || namespace === undefined || key.startsWith(`${namespace}/`);

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  // A watch with nothing to report yet still answers at once: clients wait for the headers before they read on.
  res.flushHeaders();
  const groupVersion = resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
  let ended = false;
  const send = (event: WatchEvent) => {
    if (!ended) res.write(`${JSON.stringify(event)}\n`);
  };
  const bookmark = (annotations?: Record<string, string>) =>
    send({
      type: 'BOOKMARK',
      object: {
        kind: resource.kind,
        apiVersion: groupVersion,
        metadata: {
          resourceVersion: String(kube.currentResourceVersion()),
          ...(annotations && { annotations }),
        },
      },
    });
  // List items may leave out kind and apiVersion (the list carries them); a watch event's object always has them.
  const typed = (object: Json): Json => ({ kind: resource.kind, apiVersion: groupVersion, ...object });
  const event = (type: WatchEventType, object: Json) => send({ type, object: render(typed(object), type) });

  let known = new Map<string, Json>();
  const from = request.fromVersion;
  if (from !== undefined && from < kube.oldestWatchableVersion()) {
    send({ type: 'ERROR', object: expiredStatus(from, kube.oldestWatchableVersion()) as unknown as Json });
    res.end();
    options.onEnd?.();
    return () => {};
  }
  known = snapshot();
  if (from === undefined) {
    for (const object of known.values()) event('ADDED', object);
    if (request.sendInitialEvents) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else {
    // Compacted catch-up: deletions after `from` in order, then every object changed since, in its latest state.
    for (const t of kube.deletedSince(resource, from)) {
      if (inScope(t.key) && !known.has(t.key) && matches(t.object)) event('DELETED', t.object);
    }
    const changed = [...known.values()].filter((o) => versionOf(o) > from).sort((a, b) => versionOf(a) - versionOf(b));
    for (const object of changed) event('MODIFIED', object);
  }

  const check = () => {
    if (ended) return;
    const now = snapshot();
    for (const [key, object] of now) {
      const before = known.get(key);
      if (!before) event('ADDED', object);
      else if (metaOf(before).resourceVersion !== metaOf(object).resourceVersion) event('MODIFIED', object);
    }
    for (const [key, before] of known) {
      if (now.has(key)) continue;
      const tombstone = kube
        .deletedSince(resource, versionOf(before))
        .filter((t) => t.key === key)
        .pop();
      event(
        'DELETED',
        tombstone?.object ?? {
          ...before,
          metadata: { ...metaOf(before), resourceVersion: String(kube.currentResourceVersion()) },
        },
      );
    }
    known = now;
  };
  const unsubscribe = kube.onChange(check);
  // Simulated events (a pod turning Ready, a node joining) happen when something asks: a watch asks too.
  const poll = setInterval(() => kube.advance(), options.pollMs ?? 100);
  const bookmarks = request.allowBookmarks ? setInterval(() => bookmark(), options.bookmarkMs ?? 30_000) : undefined;
  const deadline = setInterval(() => {
    if (performance.now() >= endsAt) stop(true);
  }, 250);
  const endsAt = performance.now() + request.timeoutSeconds * 1000;
  const stop = (timedOut = false) => {
    if (ended) return;
    if (timedOut && request.allowBookmarks) bookmark();
    ended = true;
    unsubscribe();
    clearInterval(poll);
    clearInterval(deadline);
    if (bookmarks) clearInterval(bookmarks);
    if (!res.writableEnded) res.end();
    options.onEnd?.();
  };
  res.on('close', () => stop());
  return () => stop();
}
