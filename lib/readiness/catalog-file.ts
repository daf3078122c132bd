/**
 * Catalogs of deprecated APIs from files, in pluto's `versions.yaml` format (so a file written for pluto works
 * here unchanged): `deprecated-versions` entries with `version` (the apiVersion), `kind`, `deprecated-in`,
 * `removed-in`, `replacement-api`, `replacement-available-in` and `component`, and optional `target-versions`.
 */
import { parse, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { InvalidInput } from '../errors.js';
import { minorOf } from '../versions/index.js';
import { type ApiCatalog, type ApiDeprecation, apiCatalog, apiDeprecations } from './apis.js';
import { componentDeprecations } from './component-apis.js';

const release = z
  .string()
  .regex(/^v?\d+\.\d+(?:\.\d+)?$/, 'must be a release such as v1.25.0 or 1.25')
  .transform((v) => minorOf(v));
const optionalRelease = z.union([z.literal(''), release]).optional();

const entrySchema = z
  .object({
    version: z.string().regex(/^[a-z0-9.-]+\/[a-z0-9]+$|^[a-z0-9]+$/, 'must be an apiVersion such as batch/v1beta1'),
    kind: z.string().regex(/^$|^[A-Za-z][A-Za-z0-9]*$/, 'must be a kind such as CronJob, or empty for every kind'),
    'deprecated-in': optionalRelease,
    'removed-in': optionalRelease,
    'replacement-api': z.string().optional(),
    'replacement-available-in': optionalRelease,
    component: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a component name such as k8s')
      .default('k8s'),
  })
  .strict()
  .refine((e) => e['deprecated-in'] || e['removed-in'], {
    message: 'give deprecated-in, removed-in or both',
  });

const fileSchema = z
  .object({
    'deprecated-versions': z.array(entrySchema).min(1, 'list at least one entry'),
    'target-versions': z.record(z.string(), release).optional(),
  })
  .strict();

export interface CatalogFile {
  entries: ApiDeprecation[];
  /** Versions the file says to judge each component against (pluto's defaults); the command line wins. */
  targets: Record<string, string>;
}

/** Parses a catalog file's text. Throws InvalidInput naming the file, the entry and the field to fix. */
export function parseCatalogFile(text: string, path: string): CatalogFile {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    const where = error instanceof YAMLParseError ? ` at line ${error.linePos?.[0]?.line ?? '?'}` : '';
    throw new InvalidInput(`${path} is not valid YAML${where}: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
    throw new InvalidInput(`${path} is not a catalog of deprecated APIs (pluto's versions.yaml format): ${problems}`);
  }
  const entries = parsed.data['deprecated-versions'].map((e): ApiDeprecation => {
    const deprecatedIn = e['deprecated-in'] || e['removed-in'] || '';
    return {
      apiVersion: e.version,
      kind: e.kind || '*',
      deprecatedIn,
      ...(e['removed-in'] ? { removedIn: e['removed-in'] } : {}),
      ...(e['replacement-api'] ? { replacement: e['replacement-api'] } : {}),
      ...(e['replacement-available-in'] ? { replacementAvailableIn: e['replacement-available-in'] } : {}),
      component: e.component,
    };
  });
  return { entries, targets: parsed.data['target-versions'] ?? {} };
}

/**
 * The catalog a scan judges against: Kubernetes' table, the shipped component catalogs, then the files' entries
 * (a file's entry replaces a shipped one for the same apiVersion and kind), kept to `components` when given.
 */
export function scanCatalog(options: { components?: readonly string[]; files?: readonly CatalogFile[] }): ApiCatalog {
  const all = [
    ...apiDeprecations,
    ...Object.values(componentDeprecations).flat(),
    ...(options.files ?? []).flatMap((f) => f.entries),
  ];
  const wanted = options.components;
  return apiCatalog(wanted ? all.filter((e) => wanted.includes(e.component ?? 'k8s')) : all);
}
