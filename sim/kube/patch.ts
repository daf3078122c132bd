/**
 * The PATCH flavours the API server accepts, applied to an object's JSON.
 * https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/
 */

/** A patch document the server would reject (HTTP 422 for a failed operation, 400 for a malformed body). */
export class PatchError extends Error {
  override readonly name = 'PatchError';
  constructor(
    message: string,
    readonly code: 400 | 422,
  ) {
    super(message);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386 JSON merge patch: objects merge key by key, `null` deletes, anything else (arrays too) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * Strategic merge patch, for the fields the simulator lets clients patch (labels, annotations, unschedulable,
 * taints). `spec.taints` carries no patch strategy in the Node type, so it is replaced whole like a merge patch;
 * `$patch` / `$retainKeys` directives are dropped.
 */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  return mergePatch(target, stripDirectives(patch));
}

function stripDirectives(patch: unknown): unknown {
  if (Array.isArray(patch)) return patch.map(stripDirectives);
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (!key.startsWith('$')) out[key] = stripDirectives(value);
  }
  return out;
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`invalid JSON pointer "${pointer}"`, 422);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

type Container = Record<string, unknown> | unknown[];

function resolveParent(doc: unknown, tokens: string[], pointer: string): { parent: Container; key: string } {
  let node: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(token)] : isObject(node) ? node[token] : undefined;
    if (node === undefined) throw new PatchError(`doc is missing path: "${pointer}"`, 422);
  }
  if (!Array.isArray(node) && !isObject(node)) throw new PatchError(`doc is missing path: "${pointer}"`, 422);
  return { parent: node, key: tokens[tokens.length - 1] ?? '' };
}

function arrayIndex(parent: unknown[], key: string, pointer: string, allowEnd: boolean): number {
  if (allowEnd && key === '-') return parent.length;
  const index = Number(key);
  if (!/^\d+$/.test(key) || index > parent.length || (!allowEnd && index === parent.length)) {
    throw new PatchError(`index out of range at "${pointer}"`, 422);
  }
  return index;
}

function getAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const { parent, key } = resolveParent(doc, tokens, pointer);
  const value = Array.isArray(parent) ? parent[arrayIndex(parent, key, pointer, false)] : parent[key];
  if (value === undefined) throw new PatchError(`doc is missing path: "${pointer}"`, 422);
  return value;
}

function removeAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  const { parent, key } = resolveParent(doc, tokens, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, pointer, false), 1)[0];
  if (!(key in parent)) throw new PatchError(`unable to remove nonexistent key "${key}" at "${pointer}"`, 422);
  const value = parent[key];
  delete parent[key];
  return value;
}

function addAt(doc: unknown, pointer: string, value: unknown, replace: boolean): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return structuredClone(value);
  const { parent, key } = resolveParent(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, key, pointer, !replace);
    parent.splice(index, replace ? 1 : 0, structuredClone(value));
  } else {
    if (replace && !(key in parent))
      throw new PatchError(`replace operation does not apply: doc is missing key "${pointer}"`, 422);
    parent[key] = structuredClone(value);
  }
  return doc;
}

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test) applied to a copy of `target`. */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new PatchError('a JSON patch must be an array of operations', 400);
  let doc = structuredClone(target);
  for (const raw of operations) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw new PatchError('each JSON patch operation needs "op" and "path"', 400);
    }
    const op = raw as unknown as Operation;
    switch (op.op) {
      case 'add':
        doc = addAt(doc, op.path, op.value, false);
        break;
      case 'replace':
        doc = addAt(doc, op.path, op.value, true);
        break;
      case 'remove':
        removeAt(doc, op.path);
        break;
      case 'move': {
        const value = removeAt(doc, op.from ?? '');
        doc = addAt(doc, op.path, value, false);
        break;
      }
      case 'copy':
        doc = addAt(doc, op.path, getAt(doc, op.from ?? ''), false);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value)) {
          throw new PatchError(`testing value ${op.path} failed: test failed`, 422);
        }
        break;
      default:
        throw new PatchError(`Unexpected kind: ${op.op}`, 422);
    }
  }
  return doc;
}

/**
 * The paths (`spec.template.spec.containers[0].image`, `metadata.labels.app`) at which `after` differs from
 * `before`. Objects are compared key by key (in any key order), arrays element by element (a change of length
 * is a change of the whole array), scalars by value.
 */
export function changedPaths(before: unknown, after: unknown, at = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((k) => changedPaths(before[k], after[k], at === '' ? k : `${at}.${k}`));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length) return [at];
    return before.flatMap((item, i) => changedPaths(item, after[i], `${at}[${i}]`));
  }
  return before === after ? [] : [at];
}
