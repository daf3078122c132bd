/**
 * List responses: label and field selectors, stable order, and chunking with `limit` / `continue`.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
 */
import type { Json } from './model.js';
import { groupVersion, type ServedResource } from './resources.js';
import {
  type FieldRequirement,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from './selectors.js';
import type { SimKubernetes } from './state.js';
import { badRequest, expired } from './status.js';

interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
}

const EXPIRED_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';

/** Fields whose absence the server indexes as a value rather than as empty. */
const FIELD_DEFAULTS: Record<string, string> = { 'spec.unschedulable': 'false', 'spec.hostNetwork': 'false' };

export function fieldValue(object: Json, field: string): string {
  let node: unknown = object;
  for (const part of field.split('.')) {
    node = typeof node === 'object' && node !== null ? (node as Json)[part] : undefined;
  }
  if (node === undefined || node === null) return FIELD_DEFAULTS[field] ?? '';
  return String(node);
}

function encodeToken(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(text: string, currentVersion: number): ContinueToken {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<ContinueToken>;
    if (
      token.v === 'meta.k8s.io/v1' &&
      typeof token.rv === 'number' &&
      token.rv <= currentVersion &&
      typeof token.start === 'string'
    ) {
      return token as ContinueToken;
    }
  } catch {
    // fall through: a token this server did not issue
  }
  throw expired(EXPIRED_MESSAGE);
}

/** The label and field selectors of a list or watch request. Throws KubeApiError 400 when one is malformed. */
export function selectors(resource: ServedResource, query: URLSearchParams) {
  try {
    const labels = parseLabelSelector(query.get('labelSelector') ?? '');
    const fields: FieldRequirement[] = parseFieldSelector(query.get('fieldSelector') ?? '');
    for (const f of fields) {
      if (!resource.selectableFields.includes(f.field)) {
        throw new SelectorError(`field label not supported: ${f.field}`);
      }
    }
    return { labels, fields };
  } catch (error) {
    if (error instanceof SelectorError) throw badRequest(error.message);
    throw error;
  }
}

/** The `<Kind>List` for a GET on a collection. Throws KubeApiError (400 bad selector or limit, 410 bad token). */
export function listResponse(
  kube: SimKubernetes,
  resource: ServedResource,
  namespace: string | undefined,
  query: URLSearchParams,
): Json {
  const { labels, fields } = selectors(resource, query);
  const limitText = query.get('limit');
  const limit = limitText === null || limitText === '' ? 0 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 0)
    throw badRequest(`limit must be a non-negative integer, got "${limitText}"`);
  const continueText = query.get('continue');
  const token = continueText ? decodeToken(continueText, kube.currentResourceVersion()) : undefined;
  const listVersion = token?.rv ?? kube.currentResourceVersion();

  const filtered = labels.length > 0 || fields.length > 0;
  const range = kube.listRange(resource, namespace, token?.start);
  const page: Array<{ key: string; object: Json }> = [];
  let more = false;
  for (const entry of range.entries) {
    const meta = (entry.object.metadata ?? {}) as Json;
    if (!matchesLabels(labels, meta.labels as Record<string, string> | undefined)) continue;
    if (!matchesFields(fields, (f) => fieldValue(entry.object, f))) continue;
    if (limit > 0 && page.length === limit) {
      more = true;
      break;
    }
    page.push(entry);
  }
  const last = page[page.length - 1];
  const metadata: Json = { resourceVersion: String(listVersion) };
  if (more && last) {
    metadata.continue = encodeToken({ v: 'meta.k8s.io/v1', rv: listVersion, start: last.key });
    // The server counts what is left only when no selector filters the list.
    if (!filtered) metadata.remainingItemCount = range.total - page.length;
  }
  return {
    kind: `${resource.kind}List`,
    apiVersion: groupVersion(resource),
    metadata,
    // Items are serialized as they are: the store's objects are never mutated on the way out.
    items: page.map((e) => e.object),
  };
}
