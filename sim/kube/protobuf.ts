/**
 * Just enough of Kubernetes' protobuf encoding to read what kubectl sends as protobuf to a JSON-only server: the
 * `k8s\0` envelope (runtime.Unknown), a SelfSubjectAccessReview (`kubectl auth can-i` always sends one as
 * protobuf, and client-go does not fall back to JSON), and ConfigMaps, Secrets and PodDisruptionBudgets
 * (`kubectl create configmap`, `create secret`, `create pdb`). Field numbers are those of k8s.io/api's and apimachinery's generated.proto.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#protobuf-encoding
 */
import type { Json } from './model.js';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export class ProtobufError extends Error {}

type Fields = Map<number, Array<Buffer | number>>;

function readFields(buffer: Buffer): Fields {
  const fields: Fields = new Map();
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (at >= buffer.length) throw new ProtobufError('truncated varint');
      const byte = buffer[at++] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7;
      if (shift > 63) throw new ProtobufError('varint too long');
    }
  };
  while (at < buffer.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    let value: Buffer | number;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const length = varint();
      if (at + length > buffer.length) throw new ProtobufError('truncated field');
      value = buffer.subarray(at, at + length);
      at += length;
    } else if (wire === 1) {
      at += 8;
      continue;
    } else if (wire === 5) {
      at += 4;
      continue;
    } else throw new ProtobufError(`unsupported wire type ${wire}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

function bytes(fields: Fields, n: number): Buffer | undefined {
  const value = fields.get(n)?.at(-1);
  return Buffer.isBuffer(value) ? value : undefined;
}

function text(fields: Fields, n: number): string | undefined {
  return bytes(fields, n)?.toString('utf8');
}

/** True when a body is in Kubernetes' protobuf envelope. */
export function isProtobuf(body: Buffer): boolean {
  return body.length >= 4 && body.subarray(0, 4).equals(MAGIC);
}

/** The envelope's type and the message inside it. Throws ProtobufError for anything else. */
export function unwrap(body: Buffer): { apiVersion: string; kind: string; raw: Buffer } {
  if (!isProtobuf(body)) throw new ProtobufError('the body does not start with the k8s protobuf prefix');
  const unknown = readFields(body.subarray(4));
  const typeMeta = readFields(bytes(unknown, 1) ?? Buffer.alloc(0));
  return {
    apiVersion: text(typeMeta, 1) ?? '',
    kind: text(typeMeta, 2) ?? '',
    raw: bytes(unknown, 2) ?? Buffer.alloc(0),
  };
}

/** An authorization.k8s.io/v1 SelfSubjectAccessReview message, as the JSON object it stands for. */
export function decodeSelfSubjectAccessReview(raw: Buffer): Json {
  const review = readFields(raw);
  const spec = readFields(bytes(review, 2) ?? Buffer.alloc(0));
  const out: Json = {};
  const resource = bytes(spec, 1);
  if (resource) {
    const f = readFields(resource);
    const names = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
    const attributes: Json = {};
    names.forEach((name, i) => {
      const value = text(f, i + 1);
      if (value !== undefined) attributes[name] = value;
    });
    out.resourceAttributes = attributes;
  }
  const nonResource = bytes(spec, 2);
  if (nonResource) {
    const f = readFields(nonResource);
    out.nonResourceAttributes = { path: text(f, 1) ?? '', verb: text(f, 2) ?? '' };
  }
  return { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: out };
}

function entries(fields: Fields, n: number, value: (b: Buffer) => string): Record<string, string> | undefined {
  const all = fields.get(n);
  if (!all) return undefined;
  const out: Record<string, string> = {};
  for (const entry of all) {
    if (!Buffer.isBuffer(entry)) throw new ProtobufError(`field ${n} is not a map entry`);
    const e = readFields(entry);
    out[text(e, 1) ?? ''] = value(bytes(e, 2) ?? Buffer.alloc(0));
  }
  return out;
}

/** ObjectMeta as a client writes it: name, generateName, namespace, resourceVersion, labels, annotations. */
function objectMeta(raw: Buffer | undefined): Json {
  const f = readFields(raw ?? Buffer.alloc(0));
  const meta: Json = {};
  const set = (name: string, value: unknown) => {
    if (value !== undefined && value !== '') meta[name] = value;
  };
  set('name', text(f, 1));
  set('generateName', text(f, 2));
  set('namespace', text(f, 3));
  set('resourceVersion', text(f, 6));
  set(
    'labels',
    entries(f, 11, (b) => b.toString('utf8')),
  );
  set(
    'annotations',
    entries(f, 12, (b) => b.toString('utf8')),
  );
  return meta;
}

/** A v1 ConfigMap or Secret, or a policy/v1 PodDisruptionBudget message, as its JSON object (bytes as base64). */
export function decodeCoreObject(kind: string, raw: Buffer): Json {
  const f = readFields(raw);
  const utf8 = (b: Buffer) => b.toString('utf8');
  const base64 = (b: Buffer) => b.toString('base64');
  const object: Json = { apiVersion: 'v1', kind, metadata: objectMeta(bytes(f, 1)) };
  const put = (name: string, value: unknown) => {
    if (value !== undefined) object[name] = value;
  };
  if (kind === 'ConfigMap') {
    put('data', entries(f, 2, utf8));
    put('binaryData', entries(f, 3, base64));
    const immutable = f.get(4)?.at(-1);
    if (typeof immutable === 'number') object.immutable = immutable === 1;
  } else if (kind === 'Secret') {
    put('data', entries(f, 2, base64));
    put('type', text(f, 3));
    put('stringData', entries(f, 4, utf8));
    const immutable = f.get(5)?.at(-1);
    if (typeof immutable === 'number') object.immutable = immutable === 1;
  } else if (kind === 'PodDisruptionBudget') {
    object.apiVersion = 'policy/v1';
    const spec = readFields(bytes(f, 2) ?? Buffer.alloc(0));
    const out: Json = {};
    const intOrString = (raw: Buffer | undefined) => {
      if (!raw) return undefined;
      const v = readFields(raw);
      return v.get(1)?.at(-1) === 1 ? (text(v, 3) ?? '') : Number(v.get(2)?.at(-1) ?? 0);
    };
    const minAvailable = intOrString(bytes(spec, 1));
    const maxUnavailable = intOrString(bytes(spec, 3));
    if (minAvailable !== undefined) out.minAvailable = minAvailable;
    if (maxUnavailable !== undefined) out.maxUnavailable = maxUnavailable;
    const selector = bytes(spec, 2);
    if (selector) {
      const sel = readFields(selector);
      const matchLabels = entries(sel, 1, utf8);
      if (sel.get(2))
        throw new ProtobufError('selector.matchExpressions is not decoded here; send it as application/json');
      out.selector = { ...(matchLabels && { matchLabels }) };
    }
    const policy = text(spec, 4);
    if (policy !== undefined) out.unhealthyPodEvictionPolicy = policy;
    object.spec = out;
  } else {
    throw new ProtobufError(`${kind} is not decoded from protobuf here; send it as application/json`);
  }
  return object;
}
