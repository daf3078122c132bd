/**
 * Manifest files, directories (walked recursively) and stdin, scanned for deprecated and removed APIs. Every file
 * is read on its own and streamed a document at a time: one that cannot be read is reported and the scan goes on.
 */
import { spawn } from 'node:child_process';
import { constants, createReadStream, type Dirent } from 'node:fs';
import { access, open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, delimiter, extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { type ApiCatalog, kubernetesApis } from '../apis.js';
import { documentsOf, linesOf } from './documents.js';
import { manifestUsages, readDocument } from './manifests.js';
import { type ApiVerdict, judgeUsage, type ScanTargets } from './usage.js';

/** A path or a document that could not be read: where, and why in words (never the file's contents). */
export interface UnreadableInput {
  path: string;
  /** The 1-based line of the document, when the file could be read but a document in it could not. */
  line?: number;
  reason: string;
}

/** A directory that holds manifests only once rendered, and how to render it by hand. */
export interface SkippedInput {
  path: string;
  reason: string;
}

export interface ManifestScan {
  target: string;
  /** Files read (stdin counts as one). */
  files: number;
  /** Objects found in them. */
  objects: number;
  /** Uses of APIs deprecated or removed in the target, in file and line order. */
  verdicts: ApiVerdict[];
  /** Paths, files and documents that could not be read; everything else was still scanned. */
  unreadable: UnreadableInput[];
  /** Helm charts and kustomizations that could not be rendered here (their tool is missing). */
  skipped: SkippedInput[];
}

const manifestExtensions = new Set(['.yaml', '.yml', '.json']);
/** How much of a file is looked at to tell text from binary, and a manifest from other text. */
const sniffBytes = 8192;
/** A manifest without an extension: its first key, at the start of a line, is apiVersion or kind (or JSON's). */
const looksLikeManifest =
  /(?:^|\n)(?:---[^\n]*\n)?(?:#[^\n]*\n|\s*\n)*(?:apiVersion|kind):|^\s*\{[\s\S]*"(?:apiVersion|kind)"\s*:/;

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EISDIR':
      return 'is a directory';
    default:
      return code ?? (error as Error).message.split('\n')[0] ?? 'cannot be read';
  }
}

/** The first bytes of a file. */
async function head(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(sniffBytes);
    const { bytesRead } = await file.read(buffer, 0, sniffBytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** NUL bytes do not occur in YAML or JSON text (https://yaml.org/spec/1.2.2/#51-character-set). */
function isBinary(bytes: Buffer): boolean {
  return bytes.includes(0);
}

/** A directory whose files are inputs to a tool, not manifests: a Helm chart or a kustomization. */
interface RenderedDirectory {
  path: string;
  tool: 'helm' | 'kustomize';
}

const kustomizationFiles = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

interface Walk {
  /** Files to scan; `sniff` when the name has no extension and the content decides. */
  files: Array<{ path: string; sniff: boolean } | RenderedDirectory>;
  unreadable: UnreadableInput[];
  seen: Set<string>;
}

/**
 * The files under `path` worth scanning, sorted: manifests by extension, and extension-less files whose content
 * looks like one. Hidden entries and node_modules are skipped; symbolic links are followed once (a loop is not);
 * a dangling link or an unreadable directory is reported and the walk goes on.
 */
async function walk(path: string, into: Walk, explicit: boolean): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    into.unreadable.push({ path, reason: !explicit && code === 'ENOENT' ? 'broken symbolic link' : reasonOf(error) });
    return;
  }
  if (!info.isDirectory()) {
    // A path the user named is scanned whatever its name; a file reached through a link follows the name rule.
    if (explicit) into.files.push({ path, sniff: false });
    else if (info.isFile()) addByName(path, into);
    return;
  }
  const real = await realpath(path).catch(() => path);
  if (into.seen.has(real)) return;
  into.seen.add(real);
  let entries: Dirent[];
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (error) {
    into.unreadable.push({ path, reason: reasonOf(error) });
    return;
  }
  // A chart's templates and a kustomization's patches are not manifests until rendered.
  const names = new Set(entries.map((e) => e.name));
  if (names.has('Chart.yaml')) {
    into.files.push({ path, tool: 'helm' });
    return;
  }
  if (kustomizationFiles.some((name) => names.has(name))) {
    into.files.push({ path, tool: 'kustomize' });
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(path, entry.name);
    if (entry.isDirectory() || entry.isSymbolicLink()) {
      await walk(full, into, false);
      continue;
    }
    if (entry.isFile()) addByName(full, into);
  }
}

/** Manifests by extension, and extension-less files for their content to decide; anything else is not one. */
function addByName(path: string, into: Walk): void {
  const extension = extname(path).toLowerCase();
  if (manifestExtensions.has(extension)) into.files.push({ path, sniff: false });
  else if (extension === '' && !basename(path).includes('.')) into.files.push({ path, sniff: true });
}

/** Where `command` is on PATH, if it is. */
async function onPath(command: string, path = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}

/** How each tool renders a directory, and what to tell someone who has to do it by hand. */
const renderers: Record<RenderedDirectory['tool'], { command: string; args(dir: string): string[]; what: string }> = {
  helm: { command: 'helm', args: (dir) => ['template', dir], what: 'Helm chart' },
  kustomize: { command: 'kubectl', args: (dir) => ['kustomize', dir], what: 'kustomization' },
};

/**
 * Scans manifests for APIs deprecated or removed in `target`: each path is a file, a directory, or `-` for
 * stdin. Every file is streamed and judged a document at a time; an unreadable path, a binary file or a document
 * YAML refuses is listed in `unreadable` and the scan goes on with the rest. A Helm chart (a directory with
 * Chart.yaml) is rendered with `helm template`, a kustomization with `kubectl kustomize`, when the tool is on
 * PATH, and listed in `skipped` with the command to run otherwise. Never throws for its input.
 */
export async function scanManifestPaths(
  io: {
    stdin: () => Readable | AsyncIterable<Buffer | string>;
    /** Where helm and kubectl are looked for (PATH's format); the process's PATH when absent. */
    path?: string;
  },
  request: { paths: string[]; target: ScanTargets; catalog?: ApiCatalog },
): Promise<ManifestScan> {
  const catalog = request.catalog ?? kubernetesApis;
  const k8s = typeof request.target === 'string' ? request.target : request.target.k8s;
  const scan: ManifestScan = { target: k8s, files: 0, objects: 0, verdicts: [], unreadable: [], skipped: [] };
  const scanStream = async (chunks: AsyncIterable<Buffer | string>, path: string) => {
    scan.files++;
    for await (const document of documentsOf(linesOf(chunks))) {
      const read = readDocument(document, catalog);
      scan.objects += read.objects;
      if (read.error) scan.unreadable.push({ path, line: read.error.line, reason: read.error.reason });
      for (const usage of manifestUsages(read.tracked, path, catalog)) {
        const verdict = judgeUsage(usage, request.target, catalog);
        if (verdict) scan.verdicts.push(verdict);
      }
    }
  };
  const scanFile = async (path: string, sniff: boolean) => {
    let start: Buffer;
    try {
      start = await head(path);
    } catch (error) {
      scan.unreadable.push({ path, reason: reasonOf(error) });
      return;
    }
    if (isBinary(start)) {
      if (!sniff) scan.unreadable.push({ path, reason: 'binary file, not YAML or JSON' });
      return;
    }
    if (sniff && !looksLikeManifest.test(start.toString('utf8'))) return;
    try {
      await scanStream(createReadStream(path), path);
    } catch (error) {
      scan.unreadable.push({ path, reason: reasonOf(error) });
    }
  };
  const scanRendered = async (directory: RenderedDirectory) => {
    const renderer = renderers[directory.tool];
    const label = `${directory.path} (${renderer.command} ${renderer.args(directory.path)[0]})`;
    const command = await onPath(renderer.command, io.path);
    if (!command) {
      scan.skipped.push({
        path: directory.path,
        reason: `${renderer.what}, and ${renderer.command} is not on PATH: render it with \`${renderer.command} ${renderer.args(directory.path).join(' ')} | eks-upgrade scan - --target ${k8s}\``,
      });
      return;
    }
    const child = spawn(command, renderer.args(directory.path), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => {
      child.once('error', () => resolve(null));
      child.once('close', (code) => resolve(code));
    });
    await scanStream(child.stdout, label);
    const code = await exited;
    if (code !== 0) {
      const why =
        stderr
          .split('\n')
          .find((l) => l.trim())
          ?.trim()
          .slice(0, 200) ?? 'no message';
      scan.unreadable.push({
        path: directory.path,
        reason: `${renderer.command} could not render it (exit ${code}): ${why}`,
      });
    }
  };
  for (const path of request.paths) {
    if (path === '-') {
      await scanStream(io.stdin(), '-');
      continue;
    }
    const found: Walk = { files: [], unreadable: [], seen: new Set() };
    await walk(path, found, true);
    scan.unreadable.push(...found.unreadable);
    for (const file of found.files) {
      if ('tool' in file) await scanRendered(file);
      else await scanFile(file.path, file.sniff);
    }
  }
  return scan;
}
