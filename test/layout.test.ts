import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * What ships is functions/ and lib/. The embedded world (sim/, local/) and the tools around it (bin/, bench/,
 * test/) never do: esbuild resolves every import of every production file, exactly as packaging does, and each one
 * must land in functions/ or lib/, or in a package the product declares as a runtime dependency.
 */

const root = join(import.meta.dirname, '..');
const productionRooms = ['functions', 'lib'];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs|cjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every file a production file reaches and every package it names, as esbuild resolves them. */
async function productionImports(): Promise<{ files: string[]; packages: string[] }> {
  const entryPoints = productionRooms.flatMap((room) => sourceFiles(join(root, room)));
  const result = await build({
    entryPoints,
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outdir: join(root, '.layout-check'),
    logLevel: 'silent',
  });
  const metafile: Metafile = result.metafile;
  const files = Object.keys(metafile.inputs);
  const packages = new Set<string>();
  for (const input of Object.values(metafile.inputs)) {
    for (const imported of input.imports) {
      if (!imported.external) continue;
      const name = imported.path.startsWith('@')
        ? imported.path.split('/').slice(0, 2).join('/')
        : (imported.path.split('/')[0] ?? imported.path);
      packages.add(name);
    }
  }
  return { files, packages: [...packages].sort() };
}

describe('what ships', () => {
  it('no file in functions/ or lib/ imports the simulator, the local runner, the CLI, benchmarks or tests', async () => {
    const { files } = await productionImports();
    expect(files.length).toBeGreaterThan(100);
    const outside = files.filter((file) => !productionRooms.some((room) => file.startsWith(`${room}/`)));
    expect(outside, 'production files must not reach outside functions/ and lib/').toEqual([]);
  });

  it('production files import only Node built-ins and runtime dependencies, never a devDependency', async () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const allowed = new Set([...Object.keys(manifest.dependencies), ...builtinModules]);
    const { packages } = await productionImports();
    const undeclared = packages.filter((name) => !name.startsWith('node:') && !allowed.has(name));
    expect(undeclared, 'add it to dependencies, or keep it out of functions/ and lib/').toEqual([]);
    expect(packages).toContain('@aws-sdk/client-eks');
  });

  it('the embedded world lives in its own top-level rooms', () => {
    for (const room of ['sim', 'local']) expect(statSync(join(root, room)).isDirectory()).toBe(true);
    for (const moved of ['sim', 'local']) {
      expect(() => statSync(join(root, 'lib', moved)), `lib/${moved} should not exist`).toThrow();
    }
  });
});
