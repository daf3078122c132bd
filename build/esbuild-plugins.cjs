// esbuild plugins for serverless-esbuild (`custom.esbuild.plugins` in serverless.yml), also used by the bundle
// test and benchmark so that they build exactly what ships. Each one keeps a function's bundle to what it runs;
// none changes what the running code does (test/bundles.test.ts holds them to that).
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const consoleAssets = require('../lib/console/esbuild-assets.cjs');

/**
 * AWS SDK v3 schema modules (`dist-es/schemas/schemas_0.js`) describe every shape of a service as arrays whose
 * trait objects use computed keys (`{ [_xN]: _Fil }`, `_xN` being a module constant "xmlName"). esbuild cannot
 * prove a computed key free of side effects, so it keeps every shape: 550 KB of EC2 schemas for three commands.
 * Writing each such key as the string literal it names (`{ "xmlName": _Fil }`) is the same object, and lets the
 * unused shapes go. `__proto__` is left alone: as a literal key it would set the prototype instead.
 */
const sdkSchemaKeys = {
  name: 'sdk-schema-literal-keys',
  setup(build) {
    const schemaModule =
      /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:.+[\\/])?schemas[\\/]schemas_\d+\.js$/;
    build.onLoad({ filter: schemaModule }, (args) => ({
      contents: literalSchemaKeys(readFileSync(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};

/** The rewrite `sdkSchemaKeys` applies: `[_name]:` becomes `"value":` for the module's `const _name = "value";`. */
function literalSchemaKeys(source) {
  const constants = new Map();
  for (const match of source.matchAll(/^const (_\w+) = ("[^"\\]*");$/gm)) constants.set(match[1], match[2]);
  return source.replace(/\[(_\w+)\]:/g, (whole, name) => {
    const value = constants.get(name);
    return value && value !== '"__proto__"' ? `${value}:` : whole;
  });
}

/**
 * @kubernetes/client-node is ES modules without a `sideEffects` declaration, so esbuild keeps all of it (1.5 MB)
 * in any bundle that imports any of it, even for a type guard, and keeps its unused modules (exec, attach,
 * port-forward, their `ws`) in the functions that do talk to clusters. Its modules have no import-for-effect and
 * register nothing globally at load time; declaring them free of side effects lets esbuild drop what is unused.
 */
const kubeClientWithoutSideEffects = {
  name: 'kube-client-without-side-effects',
  setup(build) {
    const inPackage = /[\\/]node_modules[\\/]@kubernetes[\\/]client-node[\\/]/;
    build.onResolve({ filter: /^@kubernetes\/client-node$/ }, async (args) => {
      if (args.pluginData?.kubeClientResolved) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { kubeClientResolved: true },
      });
      return resolved.errors.length > 0 ? resolved : { ...resolved, sideEffects: false };
    });
    // Inside the package, modules import each other by relative path with the file's extension (ES modules).
    build.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
      if (!inPackage.test(args.importer)) return undefined;
      return { path: join(args.resolveDir, args.path), sideEffects: false };
    });
  },
};

/**
 * Two dependencies of @kubernetes/client-node have a smaller equivalent here. node-fetch 2 loads `whatwg-url` (and
 * its 260 KB Unicode table) only for `Url.URL || whatwgUrl.URL`, and Node always has `URL`. `js-yaml` would be a
 * second YAML library beside `yaml`, which the product already uses; the shim answers js-yaml's `load`, `loadAll`
 * and `dump` with it.
 */
const smallerEquivalents = {
  name: 'smaller-equivalents',
  setup(build) {
    const shims = { 'whatwg-url': 'whatwg-url.mjs', 'js-yaml': 'js-yaml.mjs' };
    build.onResolve({ filter: /^(whatwg-url|js-yaml)$/ }, (args) => ({
      path: join(__dirname, 'shims', shims[args.path]),
    }));
  },
};

module.exports = [...consoleAssets, sdkSchemaKeys, kubeClientWithoutSideEffects, smallerEquivalents];
module.exports.literalSchemaKeys = literalSchemaKeys;
