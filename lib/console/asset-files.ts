import { readdirSync, readFileSync } from 'node:fs';

/** File names the console serves from `assets/`: browser modules, the stylesheet and the shell. */
export const servedAsset = /^[a-z][a-z0-9-]*\.(js|css|html)$/;

/**
 * The console's browser assets by file name, read from `lib/console/assets/`. Packaging replaces this module with
 * the same files inlined as strings (`esbuild-assets.cjs`), so the deployed function serves the very same bytes.
 */
export function readAssetFiles(): Record<string, string> {
  const folder = new URL('./assets/', import.meta.url);
  return Object.fromEntries(
    readdirSync(folder)
      .filter((name) => servedAsset.test(name))
      .sort()
      .map((name) => [name, readFileSync(new URL(name, folder), 'utf8')]),
  );
}
