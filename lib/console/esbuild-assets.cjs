// esbuild plugin for serverless-esbuild (`custom.esbuild.plugins` in serverless.yml): replaces
// lib/console/asset-files.ts with the console's browser assets inlined as strings, read from the same folder with
// the same file-name rule, so the packaged console function serves exactly the bytes a local run serves.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const servedAsset = /^[a-z][a-z0-9-]*\.(js|css|html)$/;

module.exports = [
  {
    name: 'console-assets',
    setup(build) {
      build.onLoad({ filter: /[\\/]lib[\\/]console[\\/]asset-files\.ts$/ }, () => {
        const folder = join(__dirname, 'assets');
        const files = Object.fromEntries(
          readdirSync(folder)
            .filter((name) => servedAsset.test(name))
            .sort()
            .map((name) => [name, readFileSync(join(folder, name), 'utf8')]),
        );
        return {
          contents: `export const servedAsset = ${servedAsset};
export function readAssetFiles() { return ${JSON.stringify(files)}; }`,
          loader: 'js',
          watchFiles: Object.keys(files).map((name) => join(folder, name)),
        };
      });
    },
  },
];
