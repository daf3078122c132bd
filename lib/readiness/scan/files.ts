/** Manifest files, directories (walked recursively) and stdin, scanned for deprecated and removed APIs. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { manifestUsages, parseManifests } from './manifests.js';
import { type ApiVerdict, judgeUsage } from './usage.js';

export interface ManifestScan {
  target: string;
  /** Files read (stdin counts as one). */
  files: number;
  /** Objects found in them. */
  objects: number;
  /** Uses of APIs deprecated or removed in the target, in file and line order. */
  verdicts: ApiVerdict[];
  /** Files that could not be read or parsed, as `path: reason`. */
  errors: string[];
}

const manifestExtensions = new Set(['.yaml', '.yml', '.json']);

/** The manifest files under `path`, sorted; hidden directories and node_modules are skipped. */
async function manifestFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(path, entry.name);
    if (entry.isDirectory()) files.push(...(await manifestFiles(full)));
    else if (manifestExtensions.has(extname(entry.name).toLowerCase())) files.push(full);
  }
  return files;
}

/**
 * Scans manifests for APIs deprecated or removed in `target`: each path is a file, a directory, or `-` for the
 * text `readStdin` returns. Unreadable paths and invalid YAML are reported in `errors`, never thrown.
 */
export async function scanManifestPaths(
  io: { readStdin: () => Promise<string> },
  request: { paths: string[]; target: string },
): Promise<ManifestScan> {
  const scan: ManifestScan = { target: request.target, files: 0, objects: 0, verdicts: [], errors: [] };
  const scanText = (text: string, path: string) => {
    const parsed = parseManifests(text);
    scan.files++;
    scan.objects += parsed.objects.length;
    for (const e of parsed.errors) scan.errors.push(`${path}: ${e}`);
    for (const usage of manifestUsages(parsed.objects, path)) {
      const verdict = judgeUsage(usage, request.target);
      if (verdict) scan.verdicts.push(verdict);
    }
  };
  for (const path of request.paths) {
    if (path === '-') {
      scanText(await io.readStdin(), '-');
      continue;
    }
    try {
      for (const file of await manifestFiles(path)) scanText(await readFile(file, 'utf8'), file);
    } catch (error) {
      scan.errors.push(`${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  return scan;
}
