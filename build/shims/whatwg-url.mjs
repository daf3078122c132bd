// Stands in for `whatwg-url` in Lambda bundles (build/esbuild-plugins.cjs): node-fetch 2 uses it only when Node
// has no URL of its own, and Node always has one.
export const URL = globalThis.URL;
export const URLSearchParams = globalThis.URLSearchParams;
export default { URL, URLSearchParams };
