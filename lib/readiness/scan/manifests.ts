/**
 * Kubernetes objects in manifest text: multi-document YAML (or JSON), `List` kinds (`kind: List` and the
 * `<Kind>List` forms `kubectl get -o yaml` prints), and `helm template` output, whose documents are headed by
 * `# Source: <chart>/templates/<file>` comments.
 */
import { type Document, isMap, isSeq, LineCounter, parse, parseDocument } from 'yaml';
import { type ApiCatalog, kubernetesApis } from '../apis.js';
import { documentsOfText, type ManifestDocument } from './documents.js';
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
    // A `<Kind>List` names its items' kind and version once; `kubectl get -o yaml` repeats them on each item.
    const inherited =
      o.kind !== 'List' && typeof o.apiVersion === 'string'
        ? { apiVersion: o.apiVersion, kind: String(o.kind).slice(0, -'List'.length) }
        : {};
    return o.items.flatMap((item, i) => {
      const node = items.items[i] as { range?: [number, number, number] } | undefined;
      const at = lines.linePos(node?.range?.[0] ?? 0).line;
      const found = toManifestObject(asObject(item) ? { ...inherited, ...(item as Json) } : item, at, source);
      return found ? [found] : [];
    });
  }
  const found = toManifestObject(value, line, source);
  return found ? [found] : [];
}

/** What one document holds: the objects of tracked APIs, how many objects in all, or why it cannot be read. */
export interface DocumentRead {
  /** Objects whose API the deprecation table tracks (only those are needed to judge a scan). */
  tracked: ManifestObject[];
  /** Every Kubernetes object in the document, tracked or not. */
  objects: number;
  /** The document cannot be read: its 1-based line and why, in one line that never quotes the text. */
  error?: { line: number; reason: string };
}

const topLevelApiVersion = /^apiVersion:[ \t]*["']?([A-Za-z0-9.\-/]+)["']?[ \t]*(?:#.*)?$/m;
const topLevelKind = /^kind:[ \t]*["']?([A-Za-z0-9]+)["']?[ \t]*(?:#.*)?$/m;
const documentStartLine = /^---[ \t]*(?:\n|$)/;
const onlyCommentsOrBlank = /^(?:[ \t]*(?:#.*)?(?:\n|$))*$/;

/** A parser's message as one short line: the source excerpt YAML appends (possibly binary) is dropped. */
function shortReason(message: string): string {
  const first = (message.split('\n')[0] ?? message).replace(/[^\x20-\x7e]/g, '?');
  return first.length > 160 ? `${first.slice(0, 157)}...` : first;
}

/**
 * Reads one document. One whose top-level `apiVersion` and `kind` lines name an API the table does not track is
 * counted without being parsed in full, which keeps a scan of hundreds of thousands of documents fast; every other
 * document is parsed, and a syntax error, an alias to an anchor it does not define (anchors do not cross documents)
 * or anything else YAML refuses becomes `error`, never an exception.
 */
export function readDocument(document: ManifestDocument, catalog: ApiCatalog = kubernetesApis): DocumentRead {
  const { text } = document;
  if (onlyCommentsOrBlank.test(text.replace(/^(?:---|\.\.\.)[ \t]*$/gm, ''))) return { tracked: [], objects: 0 };
  const apiVersion = topLevelApiVersion.exec(text)?.[1];
  const kind = topLevelKind.exec(text)?.[1];
  if (apiVersion && kind && !isListKind(kind) && !isTrackedApi(apiVersion, kind, catalog)) {
    return { tracked: [], objects: 1 };
  }
  const lines = new LineCounter();
  const at = (offset: number) => document.line + lines.linePos(offset).line - 1;
  try {
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
    const [first] = doc.errors;
    // The line the document's content starts at: where to look, even when YAML notices the fault further down.
    if (first) {
      const line = at(doc.contents?.range?.[0] ?? first.pos[0]);
      return { tracked: [], objects: 0, error: { line, reason: shortReason(first.message) } };
    }
    const objects = documentObjects(doc, lines).map((o) => ({ ...o, line: o.line + document.line - 1 }));
    return { tracked: objects.filter((o) => isTrackedApi(o.apiVersion, o.kind, catalog)), objects: objects.length };
  } catch (error) {
    // Composing failed (an alias without its anchor, say): point at the document's first line of content.
    const line = document.line + (documentStartLine.test(text) ? 1 : 0);
    return { tracked: [], objects: 0, error: { line, reason: shortReason((error as Error).message) } };
  }
}

/** Every object in a manifest text, in document order, with the documents that failed to parse. */
export function parseManifests(text: string): ManifestParse {
  const objects: ManifestObject[] = [];
  const errors: string[] = [];
  for (const document of documentsOfText(text)) {
    const lines = new LineCounter();
    try {
      const doc = parseDocument(document.text, { lineCounter: lines, uniqueKeys: false });
      const [first] = doc.errors;
      if (first) {
        const line = document.line + lines.linePos(doc.contents?.range?.[0] ?? first.pos[0]).line - 1;
        errors.push(`line ${line}: ${shortReason(first.message)}`);
        continue;
      }
      objects.push(...documentObjects(doc, lines).map((o) => ({ ...o, line: o.line + document.line - 1 })));
    } catch (error) {
      errors.push(`line ${document.line}: ${shortReason((error as Error).message)}`);
    }
  }
  return { objects, errors };
}

/** The uses of tracked APIs in a manifest text, each labelled with `source` at its line. */
export function manifestUsages(
  objects: readonly ManifestObject[],
  path: string,
  catalog: ApiCatalog = kubernetesApis,
): ApiUsage[] {
  return objects
    .filter((o) => isTrackedApi(o.apiVersion, o.kind, catalog))
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
