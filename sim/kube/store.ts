/**
 * Objects the simulated API server keeps as JSON, as etcd would: configmaps, secrets (Helm release records) and
 * objects seeded in old API versions. Server-owned metadata (uid, resourceVersion, creationTimestamp) is set here.
 */
import type { Json } from './model.js';
import { kubeTime, safeString, uidFor } from './naming.js';
import { groupVersion, NAMESPACES, resourceId, type ServedResource } from './resources.js';
import { alreadyExists, badRequest, conflict, invalid, methodNotAllowed, notFound } from './status.js';

export interface ObjectStoreHooks {
  nextVersion(): number;
  nextSerial(): number;
  nowMs(): number;
  hasNamespace(name: string): boolean;
  ensureNamespace(name: string): void;
  /** Told of every object removed, with its last state. */
  onDelete?(resource: ServedResource, object: Json): void;
}

function metaOf(object: Json): Json {
  const meta = object.metadata;
  return typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as Json) : {};
}

function key(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** Objects of one resource in key order from a starting point, and how many there are from there on. */
export interface StoredRange {
  total: number;
  entries: Iterable<{ key: string; object: Json }>;
}

/** The first index in `keys` (sorted) whose key is greater than or equal to `key` (`strict`: greater than). */
function lowerBound(keys: readonly string[], key: string, strict = false): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys[mid] ?? '';
    if (k < key || (strict && k === key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class ObjectStore {
  private readonly types = new Map<string, ServedResource>();
  private readonly objects = new Map<string, Map<string, Json>>();
  /** Keys in list order per resource, rebuilt on the first list after a change (etcd keeps keys ordered too). */
  private readonly sortedKeys = new Map<string, string[]>();

  constructor(private readonly hooks: ObjectStoreHooks) {}

  /** The resources objects are stored for, in registration order. */
  resources(): ServedResource[] {
    return [...this.types.values()];
  }

  register(resource: ServedResource): void {
    const id = resourceId(resource);
    if (this.types.has(id)) return;
    this.types.set(id, resource);
    this.objects.set(id, new Map());
  }

  list(resource: ServedResource, namespace?: string): Json[] {
    const all = [...(this.objects.get(resourceId(resource))?.values() ?? [])];
    return all
      .filter((o) => !resource.namespaced || namespace === undefined || metaOf(o).namespace === namespace)
      .map((o) => structuredClone(o));
  }

  /**
   * The stored objects of `resource` in list order (`<namespace>/<name>`), in one namespace or all, after the key
   * `after` when given. The objects are the stored ones, not copies: callers serialize them and never mutate them.
   */
  range(resource: ServedResource, namespace: string | undefined, after: string | undefined): StoredRange {
    const id = resourceId(resource);
    const stored = this.objects.get(id);
    if (!stored) return { total: 0, entries: [] };
    let keys = this.sortedKeys.get(id);
    if (!keys) {
      keys = [...stored.keys()].sort();
      this.sortedKeys.set(id, keys);
    }
    // Names cannot contain "/", so one namespace's keys lie between "<ns>/" and "<ns>0" ("0" follows "/").
    const scoped = resource.namespaced && namespace !== undefined;
    let start = scoped ? lowerBound(keys, `${namespace}/`) : 0;
    const end = scoped ? lowerBound(keys, `${namespace}0`) : keys.length;
    if (after !== undefined) start = Math.max(start, lowerBound(keys, after, true));
    const from = Math.min(start, end);
    const snapshot = keys;
    return {
      total: end - from,
      entries: (function* () {
        for (let i = from; i < end; i++) {
          const key = snapshot[i] ?? '';
          const object = stored.get(key);
          if (object) yield { key, object };
        }
      })(),
    };
  }

  get(resource: ServedResource, namespace: string | undefined, name: string): Json | undefined {
    const object = this.objects.get(resourceId(resource))?.get(key(resource.namespaced ? namespace : undefined, name));
    return object && structuredClone(object);
  }

  /** Stores `object` as given (seeding), setting the metadata the API server owns. */
  put(resource: ServedResource, object: Json): Json {
    this.register(resource);
    const meta = metaOf(object);
    const namespace = resource.namespaced ? String(meta.namespace ?? 'default') : undefined;
    const name = String(meta.name);
    if (namespace !== undefined) this.hooks.ensureNamespace(namespace);
    const stored: Json = {
      ...structuredClone(object),
      apiVersion: groupVersion(resource),
      kind: resource.kind,
      metadata: {
        ...structuredClone(meta),
        name,
        ...(namespace !== undefined && { namespace }),
        uid: uidFor(`${resourceId(resource)}/${key(namespace, name)}/${this.hooks.nextSerial()}`),
        resourceVersion: String(this.hooks.nextVersion()),
        creationTimestamp: kubeTime(this.hooks.nowMs()),
      },
    };
    const id = resourceId(resource);
    const objects = this.objects.get(id);
    if (!objects?.has(key(namespace, name))) this.sortedKeys.delete(id);
    objects?.set(key(namespace, name), stored);
    return structuredClone(stored);
  }

  /** POST: validates like the API server. Throws KubeApiError (404 namespace, 409 AlreadyExists, 400, 422, 405). */
  create(resource: ServedResource, namespace: string, body: Json): Json {
    if (!resource.verbs.includes('create') || !this.types.has(resourceId(resource))) throw methodNotAllowed();
    if (!this.hooks.hasNamespace(namespace)) throw notFound(NAMESPACES, namespace);
    const meta = metaOf(body);
    if (meta.namespace !== undefined && meta.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (body.kind !== undefined && body.kind !== resource.kind) {
      throw badRequest(`the kind of the provided object (${String(body.kind)}) does not match ${resource.kind}`);
    }
    let name = typeof meta.name === 'string' ? meta.name : '';
    if (name === '' && typeof meta.generateName === 'string') {
      name = `${meta.generateName}${safeString(`${namespace}/${meta.generateName}/${this.hooks.nextSerial()}`, 5)}`;
    }
    if (name.length > 253 || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
      throw invalid(
        resource,
        name,
        `metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain is required`,
      );
    }
    if (this.objects.get(resourceId(resource))?.has(key(namespace, name))) throw alreadyExists(resource, name);
    return this.put(resource, { ...body, metadata: { ...meta, name, namespace } });
  }

  /** True when `resource`'s objects live here (rather than being derived from the simulator's state). */
  holds(resource: ServedResource): boolean {
    return this.types.has(resourceId(resource));
  }

  /** True when an object of `resource` named so is stored. */
  has(resource: ServedResource, namespace: string | undefined, name: string): boolean {
    return this.objects.get(resourceId(resource))?.has(key(resource.namespaced ? namespace : undefined, name)) ?? false;
  }

  /**
   * PUT (and the result of a PATCH): replaces the object, keeping what the server owns (uid, creationTimestamp),
   * with a new resourceVersion. A resourceVersion in the body that is not the stored one is a 409 Conflict, as
   * optimistic concurrency wants. Throws KubeApiError (404, 409, 400, 405).
   */
  update(resource: ServedResource, namespace: string | undefined, name: string, body: Json): Json {
    if (!resource.verbs.includes('update') || !this.holds(resource)) throw methodNotAllowed();
    const ns = resource.namespaced ? namespace : undefined;
    const current = this.objects.get(resourceId(resource))?.get(key(ns, name));
    if (!current) throw notFound(resource, name);
    const meta = metaOf(body);
    const was = metaOf(current);
    if (meta.name !== undefined && meta.name !== name) {
      throw badRequest('the name of the object (metadata.name) does not match the name on the URL');
    }
    if (ns !== undefined && meta.namespace !== undefined && meta.namespace !== ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (body.kind !== undefined && body.kind !== resource.kind) {
      throw badRequest(`the kind of the provided object (${String(body.kind)}) does not match ${resource.kind}`);
    }
    if (
      meta.resourceVersion !== undefined &&
      meta.resourceVersion !== '' &&
      meta.resourceVersion !== was.resourceVersion
    ) {
      throw conflict(
        resource,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    if (meta.uid !== undefined && meta.uid !== was.uid) {
      throw conflict(
        resource,
        name,
        `Precondition failed: UID in precondition: ${String(meta.uid)}, UID in object meta: ${String(was.uid)}`,
      );
    }
    const stored: Json = {
      ...structuredClone(body),
      apiVersion: groupVersion(resource),
      kind: resource.kind,
      metadata: {
        ...structuredClone(meta),
        name,
        ...(ns !== undefined && { namespace: ns }),
        uid: was.uid,
        creationTimestamp: was.creationTimestamp,
        resourceVersion: String(this.hooks.nextVersion()),
      },
    };
    this.objects.get(resourceId(resource))?.set(key(ns, name), stored);
    return structuredClone(stored);
  }

  /** DELETE: the deleted object, or undefined if there was none. Throws KubeApiError 405 for read-only resources. */
  delete(resource: ServedResource, namespace: string | undefined, name: string): Json | undefined {
    if (!resource.verbs.includes('delete') || !this.types.has(resourceId(resource))) throw methodNotAllowed();
    return this.discard(resource, namespace, name);
  }

  /** Removes an object the simulator owns (a controller's, not a client's deletion), whatever the verbs. */
  discard(resource: ServedResource, namespace: string | undefined, name: string): Json | undefined {
    const objects = this.objects.get(resourceId(resource));
    const k = key(resource.namespaced ? namespace : undefined, name);
    const object = objects?.get(k);
    if (!object) return undefined;
    objects?.delete(k);
    this.sortedKeys.delete(resourceId(resource));
    if (this.hooks.onDelete) this.hooks.onDelete(resource, object);
    else this.hooks.nextVersion();
    return object;
  }
}
