/**
 * Kubernetes objects in manifest text: multi-document YAML (or JSON), `List` kinds (`kind: List` and the
 * `<Kind>List` forms `kubectl get -o yaml` prints), and `helm template` output, whose documents are headed by
 * `# Source: <chart>/templates/<file>` comments.
 */
import { type Document, isMap, isSeq, LineCounter, parse, parseAllDocuments } from 'yaml';
import { type ApiUsage, isTrackedApi, type UsageSource } from './usage.js';

export interface ManifestObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** 1-based line of the object in the text. */
  line: number;
  /** The `# Source:` template of a Helm document. */
  template?: string;
}

export interface ManifestParse {
  objects: ManifestObject[];
  /** Documents that are not valid YAML, as `line N: message`. */
  errors: string[];
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function toManifestObject(value: unknown, line: number, template?: string): ManifestObject | undefined {
  const o = asObject(value);
  if (!o || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') return undefined;
  const meta = asObject(o.metadata) ?? {};
  const name =
    typeof meta.name === 'string'
      ? meta.name
      : typeof meta.generateName === 'string'
        ? `${meta.generateName}*`
        : '(unnamed)';
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    name,
    ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
    line,
    ...(template ? { template } : {}),
  };
}

/** `List` and `<Kind>List` documents carry their objects in `items`. */
function isListKind(kind: unknown): boolean {
  return typeof kind === 'string' && (kind === 'List' || kind.endsWith('List'));
}

function documentObjects(doc: Document, lines: LineCounter): ManifestObject[] {
  const contents = doc.contents;
  if (!contents) return [];
  const line = lines.linePos(contents.range?.[0] ?? 0).line;
  const source = /^\s*Source:\s*(\S.*)$/m.exec(`${doc.commentBefore ?? ''}\n${contents.commentBefore ?? ''}`)?.[1];
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  const o = asObject(value);
  const items = isMap(contents) ? contents.get('items', true) : undefined;
  if (o && isListKind(o.kind) && Array.isArray(o.items) && isSeq(items)) {
    return o.items.flatMap((item, i) => {
      const node = items.items[i] as { range?: [number, number, number] } | undefined;
      const at = lines.linePos(node?.range?.[0] ?? 0).line;
      const found = toManifestObject(item, at, source);
      return found ? [found] : [];
    });
  }
  const found = toManifestObject(value, line, source);
  return found ? [found] : [];
}

/** Every object in a manifest text, in document order, with the documents that failed to parse. */
export function parseManifests(text: string): ManifestParse {
  const lines = new LineCounter();
  const objects: ManifestObject[] = [];
  const errors: string[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false })) {
    if (doc.errors.length > 0) {
      const first = doc.errors[0];
      // The line the document starts at: where to look, even when YAML notices the fault further down.
      const at = lines.linePos(doc.contents?.range?.[0] ?? first?.pos[0] ?? 0).line;
      errors.push(`line ${at}: ${(first?.message ?? 'invalid YAML').split('\n')[0]}`);
      continue;
    }
    objects.push(...documentObjects(doc, lines));
  }
  return { objects, errors };
}

/** The uses of tracked APIs in a manifest text, each labelled with `source` at its line. */
export function manifestUsages(objects: readonly ManifestObject[], path: string): ApiUsage[] {
  return objects
    .filter((o) => isTrackedApi(o.apiVersion, o.kind))
    .map((o) => {
      const source: UsageSource = { type: 'file', path, line: o.line };
      return {
        apiVersion: o.apiVersion,
        kind: o.kind,
        name: o.name,
        ...(o.namespace ? { namespace: o.namespace } : {}),
        source,
        ...(o.template ? { template: o.template } : {}),
      };
    });
}

const apiVersionLine = /^apiVersion:\s*["']?([^\s"'#]+)/m;
const kindLine = /^kind:\s*["']?([^\s"'#]+)/m;

/**
 * The objects of machine-rendered manifests (Helm releases) that use a tracked API. Documents are split on `---`
 * and only those whose top-level apiVersion and kind are tracked (or that are Lists) are parsed in full, which
 * keeps scanning thousands of releases fast. Documents that fail to parse are skipped.
 */
export function trackedObjectsIn(text: string): ManifestObject[] {
  const found: ManifestObject[] = [];
  let line = 1;
  for (const chunk of text.split(/^---[ \t]*$/m)) {
    const apiVersion = apiVersionLine.exec(chunk)?.[1];
    const kind = kindLine.exec(chunk)?.[1];
    if (apiVersion && kind && (isTrackedApi(apiVersion, kind) || isListKind(kind))) {
      try {
        const template = /^#\s*Source:\s*(\S.*)$/m.exec(chunk)?.[1];
        const value: unknown = parse(chunk, { uniqueKeys: false });
        const o = asObject(value);
        const values = o && isListKind(o.kind) && Array.isArray(o.items) ? o.items : [value];
        for (const v of values) {
          const object = toManifestObject(v, line, template);
          if (object && isTrackedApi(object.apiVersion, object.kind)) found.push(object);
        }
      } catch {
        // A document Helm stored but YAML cannot read: nothing to report from it.
      }
    }
    line += chunk.split('\n').length - 1;
  }
  return found;
}
