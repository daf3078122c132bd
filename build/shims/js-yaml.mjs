// Stands in for `js-yaml` in Lambda bundles (build/esbuild-plugins.cjs), so that a function carries one YAML
// library: the `load`, `loadAll` and `dump` that @kubernetes/client-node calls, answered by `yaml` (YAML 1.2 core
// schema, as js-yaml's default). A malformed document throws, as js-yaml does.
import { parse, parseAllDocuments, stringify } from 'yaml';

export function load(text) {
  return parse(String(text));
}

export function loadAll(text, iterator) {
  const documents = parseAllDocuments(String(text));
  const list = Array.isArray(documents) ? documents : [documents];
  const values = list.map((document) => {
    const [error] = document.errors;
    if (error) throw error;
    return document.toJS();
  });
  if (typeof iterator === 'function') {
    for (const value of values) iterator(value);
    return undefined;
  }
  return values;
}

export function dump(value) {
  return stringify(value);
}

export default { load, loadAll, dump };
