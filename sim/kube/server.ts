/**
 * A real HTTP Kubernetes API server over the simulated cluster, answering in the JSON (and with the `Status`
 * errors) kube-apiserver uses, so @kubernetes/client-node talks to it exactly as to EKS.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { discover, STATUS_SUBRESOURCE_KINDS } from './discovery.js';
import { listResponse } from './listing.js';
import type { Json } from './model.js';
import { changedPaths, jsonPatch, mergePatch, PatchError, strategicMergePatch } from './patch.js';
import { decodeCoreObject, decodeSelfSubjectAccessReview, ProtobufError, unwrap } from './protobuf.js';
import { DAEMONSETS, NODES, PODS, resourceId, SELF_SUBJECT_ACCESS_REVIEWS, type ServedResource } from './resources.js';
import { isPatchableWorkload, WORKLOAD_PATCHABLE_FIELDS } from './rollout.js';
import type { SimKubernetes } from './state.js';
import { BUDGET_VIOLATION_MESSAGE, budgetCauseMessage, MULTIPLE_BUDGETS_MESSAGE } from './state.js';
import {
  badRequest,
  internalError,
  invalid,
  KubeApiError,
  type KubeStatus,
  methodNotAllowed,
  notFound,
  pathNotFound,
  success,
  tooManyRequests,
  unauthorized,
  unsupportedMediaType,
} from './status.js';
import { type IncludeObject, includeObjectOf, toTable, wantsTable } from './table.js';
import type { ServingCertificates } from './tls.js';
import { parseWatchRequest, streamWatch } from './watch.js';

export interface KubeApiServerOptions {
  /** Told when a request arrives (`start`) and when its response is finished (`end`). */
  onRequest?: (phase: 'start' | 'end') => void;
  /**
   * Whether the identity that presigned the token may use the cluster (an EKS access entry); everyone when
   * absent. EKS answers 401 Unauthorized to an identity it cannot map.
   */
  authorize?: (caller: { accessKeyId: string; clusterName: string }) => boolean;
  /** Serve https with this certificate (tls.ts); plain http when absent. */
  tls?: ServingCertificates;
}

/** Where the cluster is served: its own server, or a path under a shared one (`/clusters/<name>`). */
type ClusterLookup = (req: IncomingMessage) => { kube: SimKubernetes; path: string } | undefined;

export interface KubeApiServer {
  /** `https://127.0.0.1:<port>` (`http://` without TLS), the cluster endpoint to put in a kubeconfig. */
  url: string;
  close(): Promise<void>;
}

interface Reply {
  code: number;
  body: unknown;
  contentType?: string;
  /** A watch to stream instead of a body. */
  watch?: {
    resource: ServedResource;
    namespace: string | undefined;
    request: ReturnType<typeof parseWatchRequest>;
    /** The client asked for Tables: every event's object is a Table of one row. */
    table?: { include: IncludeObject };
  };
}

const MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * EKS bearer tokens (aws-iam-authenticator): `k8s-aws-v1.` + base64url of an STS GetCallerIdentity URL presigned
 * with the `x-k8s-aws-id` header (the cluster name) among its signed headers.
 * https://github.com/kubernetes-sigs/aws-iam-authenticator#api-authorization-from-outside-a-cluster
 */
function authenticate(header: string | undefined): { accessKeyId: string } {
  const match = /^Bearer k8s-aws-v1\.([A-Za-z0-9_-]+=*)$/.exec(header ?? '');
  if (!match?.[1]) throw unauthorized();
  let presigned: URL;
  try {
    presigned = new URL(Buffer.from(match[1], 'base64url').toString('utf8'));
  } catch {
    throw unauthorized();
  }
  const signedHeaders = (presigned.searchParams.get('X-Amz-SignedHeaders') ?? '').toLowerCase().split(';');
  if (presigned.searchParams.get('Action') !== 'GetCallerIdentity' || !signedHeaders.includes('x-k8s-aws-id')) {
    throw unauthorized();
  }
  return { accessKeyId: (presigned.searchParams.get('X-Amz-Credential') ?? '').split('/')[0] ?? '' };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`the body of the request could not be decoded as ${what}: ${(error as Error).message}`);
  }
}

function parseObject(text: string, what: string): Json {
  const value = text.trim() === '' ? {} : parseJson(text, what);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest(`the body of the request must be a JSON object (${what})`);
  }
  return value as Json;
}

/** gracePeriodSeconds from the query or a DeleteOptions body, as the API server merges them. */
function gracePeriod(query: URLSearchParams, options: Json): number | undefined {
  const fromQuery = query.get('gracePeriodSeconds');
  const value = fromQuery !== null ? Number(fromQuery) : options.gracePeriodSeconds;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw badRequest(`gracePeriodSeconds must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

interface ResourcePath {
  resource: ServedResource;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** Splits `/api/v1/...` and `/apis/<group>/<version>/...` into resource, namespace, name and subresource. */
function resolvePath(kube: SimKubernetes, segments: string[]): ResourcePath | undefined {
  const core = segments[0] === 'api';
  const group = core ? '' : (segments[1] ?? '');
  const version = core ? (segments[1] ?? '') : (segments[2] ?? '');
  const rest = segments.slice(core ? 2 : 3);
  const namespaced = rest[0] === 'namespaces' && rest.length >= 3;
  const [plural, name, subresource, ...extra] = namespaced ? rest.slice(2) : rest;
  if (extra.length > 0 || plural === undefined) return undefined;
  const resource = kube
    .servedResources()
    .find((r) => r.group === group && r.version === version && r.plural === plural);
  if (!resource) return undefined;
  if (namespaced && !resource.namespaced) return undefined;
  if (!namespaced && resource.namespaced && name !== undefined) return undefined;
  return {
    resource,
    ...(namespaced && { namespace: rest[1] }),
    ...(name !== undefined && { name }),
    ...(subresource !== undefined && { subresource }),
  };
}

function requireVerb(resource: ServedResource, verb: string): void {
  if (!resource.verbs.includes(verb)) throw methodNotAllowed();
}

function handleEviction(kube: SimKubernetes, path: ResourcePath, name: string, body: string): Reply {
  const namespace = path.namespace ?? 'default';
  const eviction = parseObject(body, 'policy/v1 Eviction');
  const meta = (eviction.metadata ?? {}) as Json;
  if (meta.name !== undefined && meta.name !== name)
    throw badRequest('name in URL does not match name in Eviction object');
  const options = (eviction.deleteOptions ?? {}) as Json;
  const grace = gracePeriod(new URLSearchParams(), options);
  const decision = kube.evict(namespace, name, grace === undefined ? {} : { gracePeriodSeconds: grace });
  switch (decision.outcome) {
    case 'not-found':
      throw notFound(PODS, name);
    case 'multiple-budgets':
      throw internalError(MULTIPLE_BUDGETS_MESSAGE);
    case 'blocked':
      throw tooManyRequests(BUDGET_VIOLATION_MESSAGE, [
        {
          reason: 'DisruptionBudget',
          message: budgetCauseMessage(decision.budget, decision.desiredHealthy, decision.currentHealthy),
        },
      ]);
    case 'evicted':
      // The eviction subresource answers 201 Created with a Success Status.
      return { code: 201, body: success(201) };
  }
  throw internalError('unexpected eviction outcome');
}

/**
 * Fields a PATCH may carry that are not changes of the object: the resourceVersion precondition, what the server
 * sets itself, and `status`, which the main resource ignores (it changes through `/status`).
 */
const PATCH_IGNORED_FIELDS = [
  'status',
  'metadata.resourceVersion',
  'metadata.uid',
  'metadata.generation',
  'metadata.creationTimestamp',
  'metadata.managedFields',
  'metadata.selfLink',
  'kind',
  'apiVersion',
  // Renaming is refused by the update itself with the real "field is immutable".
  'metadata.name',
];

/** The fields of a Pod a PATCH may change (updatePodMetadata). */
const POD_PATCHABLE_FIELDS = ['metadata.labels', 'metadata.annotations'];

/** The fields of a Node a PATCH may change (parseNodeUpdate). */
const NODE_PATCHABLE_FIELDS = ['metadata.labels', 'metadata.annotations', 'spec.unschedulable', 'spec.taints'];

function within(path: string, prefixes: string[]): boolean {
  return prefixes.some((p) => path === p || path.startsWith(`${p}.`));
}

function handlePatch(kube: SimKubernetes, path: ResourcePath, name: string, contentType: string, body: string): Reply {
  const { resource } = path;
  const workload = isPatchableWorkload(resource);
  const stored = kube.isStored(resource);
  const pod = resourceId(resource) === resourceId(PODS);
  if (!workload && !stored && !pod && resourceId(resource) !== resourceId(NODES)) throw methodNotAllowed();
  const current = kube.getObject(resource, path.namespace, name);
  if (!current) throw notFound(resource, name);
  const patch = parseJson(body, contentType);
  let patched: unknown;
  try {
    switch (contentType) {
      case 'application/merge-patch+json':
        patched = mergePatch(current, patch);
        break;
      case 'application/strategic-merge-patch+json':
        patched = strategicMergePatch(current, patch);
        break;
      case 'application/json-patch+json':
        patched = jsonPatch(current, patch);
        break;
      default:
        throw unsupportedMediaType(contentType);
    }
  } catch (error) {
    if (error instanceof PatchError) {
      throw error.code === 400 ? badRequest(error.message) : invalid(resource, name, error.message);
    }
    throw error;
  }
  if (typeof patched !== 'object' || patched === null || Array.isArray(patched)) {
    throw badRequest('the patch must produce a JSON object');
  }
  return applyChange(kube, path, name, current, patched as Json);
}

/**
 * Writes `changed` (a patched object, or a PUT's body) over `current`: stored kinds take it whole; derived kinds
 * (nodes, pods, Deployments, StatefulSets) take the fields the simulator applies, and anything else is refused.
 */
function applyChange(kube: SimKubernetes, path: ResourcePath, name: string, current: Json, patched: Json): Reply {
  const { resource } = path;
  const workload = isPatchableWorkload(resource);
  const stored = kube.isStored(resource);
  const pod = resourceId(resource) === resourceId(PODS);
  // A stored object takes any change, as the API server stores what it is given.
  if (stored) return { code: 200, body: kube.updateObject(resource, path.namespace, name, patched as Json) };
  // What the simulator does not model is refused, never answered 200 and dropped: the object stays as it was.
  const patchable = workload ? WORKLOAD_PATCHABLE_FIELDS : pod ? POD_PATCHABLE_FIELDS : NODE_PATCHABLE_FIELDS;
  const refused = changedPaths(current, patched).filter(
    (path) => !within(path, PATCH_IGNORED_FIELDS) && !within(path, patchable),
  );
  if (refused.length > 0) {
    const applied = patchable.join(', ');
    throw invalid(
      resource,
      name,
      refused
        .map(
          (path) =>
            `${path}: Forbidden: the simulated API server does not apply changes to this field (it applies ${applied})`,
        )
        .join(', '),
    );
  }
  if (pod)
    return {
      code: 200,
      body: withType(resource, kube.updatePodMetadata(path.namespace ?? 'default', name, patched as Json)),
    };
  const updated = workload
    ? kube.updateWorkload(resource, path.namespace ?? 'default', name, patched as Json)
    : kube.updateNode(name, patched as Json);
  return { code: 200, body: withType(resource, updated) };
}

/**
 * A SelfSubjectAccessReview. The simulated cluster has no RBAC: every identity its access entries map may do
 * whatever the server serves, so the answer is whether the verb works on the resource here, and why not when it
 * does not (an unserved resource, a verb this server refuses).
 */
function reviewAccess(kube: SimKubernetes, review: Json): Json {
  const spec = (review.spec ?? {}) as Json;
  const attributes = spec.resourceAttributes as Json | undefined;
  const nonResource = spec.nonResourceAttributes as Json | undefined;
  if (!attributes && !nonResource) {
    throw invalid(
      SELF_SUBJECT_ACCESS_REVIEWS,
      '',
      'spec.resourceAttributes: Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  }
  let allowed: boolean;
  let reason: string | undefined;
  if (nonResource) {
    allowed = String(nonResource.verb ?? '') === 'get';
    if (!allowed) reason = `the simulated API server answers only get on ${String(nonResource.path ?? '')}`;
  } else {
    const a = attributes as Json;
    const group = String(a.group ?? '');
    const plural = String(a.resource ?? '');
    const verb = String(a.verb ?? '');
    const subresource = String(a.subresource ?? '');
    const served = kube.servedResources().filter((r) => r.group === group && r.plural === plural);
    if (served.length === 0) {
      allowed = false;
      reason = `the cluster serves no resource "${plural}" in group "${group}"`;
    } else if (subresource !== '') {
      allowed = group === '' && plural === 'pods' && subresource === 'eviction' && verb === 'create';
      if (!allowed)
        reason = `the simulated API server serves ${verb} on ${plural}/${subresource} only for pods/eviction create`;
    } else {
      allowed = served.some((r) => r.verbs.includes(verb));
      if (!allowed)
        reason = `the simulated API server does not serve ${verb} on ${plural} (it serves ${served[0]?.verbs.join(', ')})`;
    }
  }
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: { allowed, ...(reason !== undefined && { reason }) },
  };
}

function decodeProtobuf(raw: Buffer): Json {
  try {
    const { kind, raw: message } = unwrap(raw);
    return kind === 'SelfSubjectAccessReview'
      ? decodeSelfSubjectAccessReview(message)
      : decodeCoreObject(kind, message);
  } catch (error) {
    if (error instanceof ProtobufError) {
      throw badRequest(`the body of the request could not be decoded as protobuf: ${error.message}`);
    }
    throw error;
  }
}

/** The autoscaling/v1 Scale of a Deployment or StatefulSet, as the `/scale` subresource shows it. */
function scaleOf(workload: Json): Json {
  const meta = (workload.metadata ?? {}) as Json;
  const spec = (workload.spec ?? {}) as Json;
  const labels = ((spec.selector as Json | undefined)?.matchLabels ?? {}) as Record<string, string>;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: { replicas: spec.replicas },
    status: {
      replicas: ((workload.status ?? {}) as Json).replicas ?? 0,
      selector: Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    },
  };
}

/**
 * `/scale` of a Deployment or StatefulSet (`kubectl scale`, HorizontalPodAutoscalers): GET the Scale, PUT or
 * PATCH its `spec.replicas`, which scales the workload as a change of its own `spec.replicas` does.
 */
function handleScale(
  kube: SimKubernetes,
  method: string,
  path: ResourcePath,
  name: string,
  contentType: string,
  body: string,
): Reply {
  const { resource } = path;
  const namespace = path.namespace ?? 'default';
  const current = kube.getObject(resource, namespace, name);
  if (!current) throw notFound(resource, name);
  const scale = scaleOf(current);
  if (method === 'GET') return { code: 200, body: scale };
  let wanted: Json;
  if (method === 'PUT') wanted = parseObject(body, 'autoscaling/v1 Scale');
  else if (method === 'PATCH') {
    const patch = parseJson(body, contentType);
    try {
      wanted = (
        contentType === 'application/json-patch+json'
          ? jsonPatch(scale, patch)
          : contentType === 'application/merge-patch+json'
            ? mergePatch(scale, patch)
            : contentType === 'application/strategic-merge-patch+json'
              ? strategicMergePatch(scale, patch)
              : (() => {
                  throw unsupportedMediaType(contentType);
                })()
      ) as Json;
    } catch (error) {
      if (error instanceof PatchError) throw badRequest(error.message);
      throw error;
    }
  } else throw methodNotAllowed();
  const replicas = ((wanted.spec ?? {}) as Json).replicas;
  const version = ((wanted.metadata ?? {}) as Json).resourceVersion;
  const updated = kube.updateWorkload(resource, namespace, name, {
    ...current,
    metadata: { ...(current.metadata as Json), ...(version !== undefined && { resourceVersion: version }) },
    spec: { ...(current.spec as Json), replicas },
  });
  return { code: 200, body: scaleOf(updated) };
}

/** Single objects carry their kind and apiVersion (list items do not). */
function withType(resource: ServedResource, object: Json): Json {
  const apiVersion = resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
  return { kind: resource.kind, apiVersion, ...object };
}

function handleResource(
  kube: SimKubernetes,
  method: string,
  path: ResourcePath,
  query: URLSearchParams,
  contentType: string,
  body: string,
  accept?: string,
): Reply {
  const { resource, namespace, name, subresource } = path;
  const table = wantsTable(accept) ? { include: includeObjectOf(query) } : undefined;
  if (subresource !== undefined) {
    if (resourceId(resource) === resourceId(PODS) && subresource === 'eviction' && name !== undefined) {
      if (method !== 'POST') throw methodNotAllowed();
      return handleEviction(kube, path, name, body);
    }
    if (subresource === 'status' && name !== undefined && STATUS_SUBRESOURCE_KINDS.has(resource.kind)) {
      // The status is the simulator's to write (its kubelets and controllers); clients read it.
      if (method !== 'GET') throw methodNotAllowed();
      const object = kube.getObject(resource, namespace, name);
      if (!object) throw notFound(resource, name);
      if (table)
        return { code: 200, body: toTable(resource, [object], { nowMs: kube.nowMs(), include: table.include }) };
      return { code: 200, body: withType(resource, object) };
    }
    if (isPatchableWorkload(resource) && subresource === 'scale' && name !== undefined) {
      return handleScale(kube, method, path, name, contentType, body);
    }
    throw pathNotFound();
  }
  if (name === undefined) {
    if (method === 'GET') {
      requireVerb(resource, 'list');
      if (query.get('watch') === 'true' || query.get('watch') === '1') {
        requireVerb(resource, 'watch');
        return {
          code: 200,
          body: undefined,
          watch: { resource, namespace, request: parseWatchRequest(resource, query), ...(table && { table }) },
        };
      }
      const listed = listResponse(kube, resource, namespace, query);
      if (table) {
        const items = listed.items as Json[];
        return {
          code: 200,
          body: toTable(resource, items, {
            nowMs: kube.nowMs(),
            include: table.include,
            metadata: listed.metadata as Json,
          }),
        };
      }
      return { code: 200, body: listed };
    }
    if (method === 'POST' && resourceId(resource) === resourceId(SELF_SUBJECT_ACCESS_REVIEWS)) {
      return { code: 201, body: reviewAccess(kube, parseObject(body, resource.kind)) };
    }
    if (method === 'POST') {
      requireVerb(resource, 'create');
      const object = kube.createObject(resource, namespace ?? 'default', parseObject(body, resource.kind));
      return { code: 201, body: object };
    }
    throw methodNotAllowed();
  }
  switch (method) {
    case 'GET': {
      requireVerb(resource, 'get');
      const object = kube.getObject(resource, namespace, name);
      if (!object) throw notFound(resource, name);
      if (table) {
        const metadata = { resourceVersion: String((object.metadata as Json | undefined)?.resourceVersion ?? '') };
        return {
          code: 200,
          body: toTable(resource, [object], { nowMs: kube.nowMs(), include: table.include, metadata }),
        };
      }
      return { code: 200, body: withType(resource, object) };
    }
    case 'DELETE': {
      requireVerb(resource, 'delete');
      const options = parseObject(body, 'DeleteOptions');
      if (resourceId(resource) === resourceId(PODS)) {
        const grace = gracePeriod(query, options);
        const pod = kube.deletePod(
          namespace ?? 'default',
          name,
          grace === undefined ? {} : { gracePeriodSeconds: grace },
        );
        if (!pod) throw notFound(resource, name);
        return { code: 200, body: withType(resource, pod) };
      }
      if (isPatchableWorkload(resource) || resourceId(resource) === resourceId(DAEMONSETS)) {
        const policy = query.get('propagationPolicy') ?? options.propagationPolicy;
        if (policy === 'Orphan' || query.get('orphanDependents') === 'true' || options.orphanDependents === true) {
          throw invalid(
            resource,
            name,
            'propagationPolicy: Unsupported value: "Orphan": the simulated API server does not orphan pods from their controller; delete with Background or Foreground',
          );
        }
        const grace = gracePeriod(query, options);
        const gone = kube.deleteWorkload(
          resource,
          namespace ?? 'default',
          name,
          grace === undefined ? {} : { gracePeriodSeconds: grace },
        );
        if (!gone) throw notFound(resource, name);
        const uid = (gone.metadata as Json | undefined)?.uid;
        return { code: 200, body: success(200, { name, group: resource.group, kind: resource.plural, uid }) };
      }
      const deleted = kube.deleteObject(resource, namespace ?? 'default', name);
      if (!deleted) throw notFound(resource, name);
      const uid = (deleted.metadata as Json | undefined)?.uid;
      return { code: 200, body: success(200, { name, kind: resource.plural, uid }) };
    }
    case 'PATCH':
      requireVerb(resource, 'patch');
      return handlePatch(kube, path, name, contentType, body);
    case 'PUT': {
      requireVerb(resource, 'update');
      const object = parseObject(body, resource.kind);
      if (kube.isStored(resource)) return { code: 200, body: kube.updateObject(resource, namespace, name, object) };
      const current = kube.getObject(resource, namespace, name);
      if (!current) throw notFound(resource, name);
      const meta = (object.metadata ?? {}) as Json;
      if (meta.name !== undefined && meta.name !== name) {
        throw badRequest('the name of the object (metadata.name) does not match the name on the URL');
      }
      // A PUT replaces the object: what it leaves out is cleared, and checked like any other change.
      return applyChange(kube, path, name, current, { ...object, metadata: { ...meta, name } });
    }
  }
  throw methodNotAllowed();
}

function handle(
  kube: SimKubernetes,
  req: IncomingMessage,
  raw: Buffer,
  requestPath: string,
  options: KubeApiServerOptions,
): Reply {
  kube.advance();
  const { accessKeyId } = authenticate(req.headers.authorization);
  if (options.authorize && !options.authorize({ accessKeyId, clusterName: kube.clusterName })) throw unauthorized();
  const url = new URL(requestPath, 'http://localhost');
  const segments = url.pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  const method = (req.method ?? 'GET').toUpperCase();
  if (['healthz', 'livez', 'readyz'].includes(segments[0] ?? '') && segments.length === 1) {
    return { code: 200, body: 'ok', contentType: 'text/plain; charset=utf-8' };
  }
  const discovery = discover(kube, segments, req.headers.host ?? '127.0.0.1');
  if (discovery !== undefined) {
    if (method !== 'GET') throw methodNotAllowed();
    return { code: 200, body: discovery };
  }
  if (segments[0] !== 'api' && segments[0] !== 'apis') throw pathNotFound();
  const path = resolvePath(kube, segments);
  if (!path) throw pathNotFound();
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (contentType === 'application/vnd.kubernetes.protobuf' && method === 'POST') {
    // kubectl sends some built-in types as protobuf only: auth can-i's review, create configmap / secret.
    const decoded = decodeProtobuf(raw);
    if (resourceId(path.resource) === resourceId(SELF_SUBJECT_ACCESS_REVIEWS)) {
      return { code: 201, body: reviewAccess(kube, decoded) };
    }
    return handleResource(kube, method, path, url.searchParams, 'application/json', JSON.stringify(decoded));
  }
  const body = raw.toString('utf8');
  if ((method === 'POST' || method === 'PUT') && body !== '' && contentType !== 'application/json') {
    // Other bodies are decoded as JSON only; a protobuf or YAML body is refused, never misread.
    throw unsupportedMediaType(contentType);
  }
  return handleResource(kube, method, path, url.searchParams, contentType, body, req.headers.accept);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(badRequest(`the request body is larger than ${MAX_BODY_BYTES} bytes`));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.code, {
    'Content-Type': reply.contentType ?? 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

async function serve(lookup: ClusterLookup, req: IncomingMessage, res: ServerResponse, options: KubeApiServerOptions) {
  let finished = false;
  const end = () => {
    if (finished) return;
    finished = true;
    options.onRequest?.('end');
  };
  options.onRequest?.('start');
  res.on('finish', end);
  res.on('close', end);
  try {
    const body = await readBody(req);
    const target = lookup(req);
    if (!target) throw pathNotFound();
    const reply = handle(target.kube, req, body, target.path, options);
    if (reply.watch) {
      const { resource, namespace, request, table } = reply.watch;
      const kube = target.kube;
      streamWatch(kube, resource, namespace, request, res, {
        ...(table && {
          render: (object: Json) => toTable(resource, [object], { nowMs: kube.nowMs(), include: table.include }),
        }),
      });
      // A watch stays open for minutes: it is not a request in flight that simulated time should wait for.
      end();
      return;
    }
    send(res, reply);
  } catch (error) {
    const status: KubeStatus =
      error instanceof KubeApiError ? error.status : internalError((error as Error).message ?? String(error)).status;
    if (!res.headersSent) send(res, { code: status.code, body: status });
    else res.destroy();
  }
}

/** Starts the simulated cluster's API server on 127.0.0.1 (a free port; https when `options.tls` is given). */
export async function startKubeApiServer(
  kube: SimKubernetes,
  options: KubeApiServerOptions = {},
): Promise<KubeApiServer> {
  return listen((req) => ({ kube, path: req.url ?? '/' }), options);
}

/**
 * One server for many simulated clusters, each under `/clusters/<name>` (its endpoint is `<url>/clusters/<name>`):
 * a fleet of a thousand clusters needs one socket, not a thousand. `lookup` finds a cluster by name.
 */
export async function startKubeApiGateway(
  lookup: (name: string) => SimKubernetes | undefined,
  options: KubeApiServerOptions = {},
): Promise<KubeApiServer> {
  return listen((req) => {
    const match = /^\/clusters\/([^/?]+)(.*)$/.exec(req.url ?? '');
    const kube = match?.[1] ? lookup(decodeURIComponent(match[1])) : undefined;
    if (!match || !kube) return undefined;
    const rest = match[2] ?? '';
    return { kube, path: rest.startsWith('/') ? rest : `/${rest}` };
  }, options);
}

async function listen(lookup: ClusterLookup, options: KubeApiServerOptions): Promise<KubeApiServer> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void serve(lookup, req, res, options);
  };
  const server: Server = options.tls
    ? createTlsServer({ key: options.tls.keyPem, cert: options.tls.certPem }, handler)
    : createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
