/**
 * Manifest text cut into YAML documents as it streams in, so a file of any size is judged one document at a time
 * and memory stays flat. A document starts at a `---` marker line and ends at the next marker or `...`: YAML does
 * not allow either inside a document's content at the start of a line, not even in a block scalar
 * (https://yaml.org/spec/1.2.2/#91-documents), so cutting there is exact.
 */

export interface ManifestDocument {
  /** The document's text, its `---` marker included. */
  text: string;
  /** The 1-based line of the stream its text starts at. */
  line: number;
}

const documentStart = /^---(?:[ \t]|$)/;
const documentEnd = /^\.\.\.(?:[ \t]|$)/;

/** Lines of a byte or text stream, without their line breaks (LF or CRLF), a leading byte order mark dropped. */
export async function* linesOf(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  let first = true;
  for await (const chunk of chunks) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = text.length === 0;
    }
    rest += text;
    let from = 0;
    for (let at = rest.indexOf('\n', from); at >= 0; at = rest.indexOf('\n', from)) {
      const end = at > from && rest.charCodeAt(at - 1) === 13 ? at - 1 : at;
      yield rest.slice(from, end);
      from = at + 1;
    }
    rest = rest.slice(from);
  }
  rest += decoder.decode();
  if (rest.length > 0) yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

/** Cuts lines into documents: `push` each line, and `end` once the lines are over. */
export class DocumentSplitter {
  private buffer: string[] = [];
  private startLine = 1;
  private lineNumber = 0;

  /** The document `line` completes, if it completes one. */
  push(line: string): ManifestDocument | undefined {
    this.lineNumber++;
    if (documentStart.test(line)) {
      const done = this.flush();
      this.buffer = [line];
      this.startLine = this.lineNumber;
      return done;
    }
    if (this.buffer.length === 0) this.startLine = this.lineNumber;
    this.buffer.push(line);
    if (!documentEnd.test(line)) return undefined;
    const done = this.flush();
    this.startLine = this.lineNumber + 1;
    return done;
  }

  /** The last document, if the lines ended inside one. */
  end(): ManifestDocument | undefined {
    return this.flush();
  }

  private flush(): ManifestDocument | undefined {
    if (this.buffer.length === 0) return undefined;
    const document = { text: this.buffer.join('\n'), line: this.startLine };
    this.buffer = [];
    return document;
  }
}

/** The documents of a manifest stream, in order; blank or comment-only stretches come out as documents too. */
export async function* documentsOf(lines: AsyncIterable<string>): AsyncGenerator<ManifestDocument> {
  const splitter = new DocumentSplitter();
  for await (const line of lines) {
    const document = splitter.push(line);
    if (document) yield document;
  }
  const last = splitter.end();
  if (last) yield last;
}

/** The documents of a manifest text already in memory. */
export function documentsOfText(text: string): ManifestDocument[] {
  const splitter = new DocumentSplitter();
  const documents: ManifestDocument[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (const line of body.split(/\r?\n/)) {
    const document = splitter.push(line);
    if (document) documents.push(document);
  }
  const last = splitter.end();
  if (last) documents.push(last);
  return documents;
}
