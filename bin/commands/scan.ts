import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { InvalidInput } from '../../lib/errors.js';
import {
  type ApiCatalog,
  type CatalogFile,
  componentOf,
  type ManifestScan,
  parseCatalogFile,
  renderScan,
  type ScanFormat,
  scanCatalog,
  scanColumns,
  scanExitCode,
  scanFormats,
  scanManifestPaths,
} from '../../lib/readiness/index.js';
import { commaList } from '../../lib/runtime/index.js';

interface ScanOptions {
  target: string;
  output: ScanFormat;
  columns?: string;
  headers: boolean;
  ignoreDeprecations?: boolean;
  ignoreRemovals?: boolean;
  onlyShowRemoved?: boolean;
  ignoreUnavailableReplacements?: boolean;
  components?: string;
  targetVersions?: string;
  additionalVersions?: string[];
}

const minor = /^1\.\d{1,2}$/;

async function catalogFiles(paths: readonly string[] = []): Promise<CatalogFile[]> {
  return Promise.all(
    paths.map(async (path) => {
      const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new InvalidInput(
          `--additional-versions ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
        );
      });
      return parseCatalogFile(text, path);
    }),
  );
}

/** The catalog and the components of `--components` (every known one when absent). Throws InvalidInput. */
function chooseCatalog(files: CatalogFile[], components: string[] | undefined): ApiCatalog {
  const known = scanCatalog({ files }).components();
  const unknown = (components ?? []).filter((c) => !known.includes(c));
  if (unknown.length) {
    throw new InvalidInput(`--components: no catalog for ${unknown.join(', ')}; known components: ${known.join(', ')}`);
  }
  return scanCatalog({ files, ...(components ? { components } : {}) });
}

/** `name=version` pairs of `--target-versions`, over the files' own, with `--target` for k8s. Throws InvalidInput. */
function targetsOf(options: ScanOptions, files: CatalogFile[]): { k8s: string } & Record<string, string> {
  const fromFiles = Object.assign({}, ...files.map((f) => f.targets)) as Record<string, string>;
  const given: Record<string, string> = {};
  for (const pair of commaList(options.targetVersions) ?? []) {
    const [name, version, extra] = pair.split('=');
    if (!name || !version || extra !== undefined || !/^v?\d+\.\d+(?:\.\d+)?$/.test(version)) {
      throw new InvalidInput(`--target-versions: "${pair}" is not name=version, such as cert-manager=v1.6.0`);
    }
    given[name] = version.replace(/^v/, '').split('.').slice(0, 2).join('.');
  }
  if (given.k8s && given.k8s !== options.target) {
    throw new InvalidInput(`--target-versions k8s=${given.k8s} contradicts --target ${options.target}; give one`);
  }
  return { ...fromFiles, ...given, k8s: options.target };
}

/** Keeps what `--only-show-removed` shows; pluto counts only what it shows, so the exit code follows. */
function shown(scan: ManifestScan, options: ScanOptions): ManifestScan {
  return options.onlyShowRemoved ? { ...scan, verdicts: scan.verdicts.filter((v) => v.status === 'removed') } : scan;
}

function fail(error: unknown): void {
  if (!(error instanceof InvalidInput)) throw error;
  // A mistake in the command line: exit 1, as pluto does, never a findings code.
  process.stderr.write(`eks-upgrade scan: ${error.message}\n`);
  process.exitCode = 1;
}

/**
 * `eks-upgrade scan`: manifests checked for APIs deprecated or removed in a target version, with pluto's flags,
 * formats and exit codes, so the command drops into any CI pipeline: 3 removed in the target, 1 when some input
 * could not be read (everything else is still scanned and reported) or the command line is wrong, 2 deprecated
 * only, 0 nothing found; the worst one wins.
 */
export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('Scan manifest files, directories or stdin (-) for deprecated and removed Kubernetes APIs')
    .argument('[paths...]', 'files, directories (walked recursively) or - for stdin', ['.'])
    .requiredOption('--target <version>', 'the Kubernetes version to check against, such as 1.25')
    .addOption(new Option('-o, --output <format>', 'output format').choices([...scanFormats]).default('text'))
    .option('--columns <list>', `columns for custom, csv and markdown: ${scanColumns.join(', ')}`)
    .option('--no-headers', 'leave the header row out of tables and CSV')
    .option('--ignore-deprecations', 'exit 0 rather than 2 when APIs are only deprecated')
    .option('--ignore-removals', 'exit 0 rather than 3 when APIs are removed')
    .option('-r, --only-show-removed', 'show (and count) only APIs removed in the target')
    .option('--ignore-unavailable-replacements', 'do not count deprecations whose replacement the target lacks')
    .option('--components <list>', 'components to check, such as k8s,cert-manager,istio (default: every known one)')
    .option('--target-versions <list>', 'versions of other components, such as cert-manager=v1.6.0,istio=1.11')
    .option('-f, --additional-versions <file...>', "more deprecations, in pluto's versions.yaml format")
    .action(async (paths: string[], options: ScanOptions) => {
      try {
        if (!minor.test(options.target)) {
          throw new InvalidInput(`--target must be a minor version such as 1.25, got "${options.target}"`);
        }
        const files = await catalogFiles(options.additionalVersions);
        const catalog = chooseCatalog(files, commaList(options.components));
        const target = targetsOf(options, files);
        const columns = commaList(options.columns);
        const scan = shown(
          await scanManifestPaths({ stdin: () => process.stdin }, { paths, target, catalog }),
          options,
        );
        const text = renderScan(scan, options.output, { ...(columns ? { columns } : {}), noHeaders: !options.headers });
        process.stdout.write(`${text}\n`);
        process.exitCode = scanExitCode(scan.verdicts, scan.unreadable.length + scan.skipped.length, options);
      } catch (error) {
        fail(error);
      }
    });

  program
    .command('list-versions')
    .description('List the deprecated and removed APIs the scan knows, per component')
    .option('--components <list>', 'components to list (default: every known one)')
    .option('-f, --additional-versions <file...>', "more deprecations, in pluto's versions.yaml format")
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'yaml']).default('text'))
    .action(
      async (options: { components?: string; additionalVersions?: string[]; output: 'text' | 'json' | 'yaml' }) => {
        try {
          const files = await catalogFiles(options.additionalVersions);
          const catalog = chooseCatalog(files, commaList(options.components));
          const rows = catalog.entries.map((e) => ({
            kind: e.kind,
            apiVersion: e.apiVersion,
            deprecatedIn: e.deprecatedIn,
            removedIn: e.removedIn ?? '',
            replacement: e.replacement ? `${e.replacement}${e.replacementKind ? ` ${e.replacementKind}` : ''}` : '',
            replacementAvailableIn: e.replacementAvailableIn ?? '',
            component: componentOf(e),
          }));
          if (options.output !== 'text') {
            const { stringify } = await import('yaml');
            process.stdout.write(
              `${options.output === 'json' ? JSON.stringify(rows, null, 2) : stringify(rows).trimEnd()}\n`,
            );
            return;
          }
          const header = [
            'KIND',
            'API VERSION',
            'DEPRECATED IN',
            'REMOVED IN',
            'REPLACEMENT',
            'REPL AVAIL IN',
            'COMPONENT',
          ];
          const cells = [header, ...rows.map((r) => Object.values(r))];
          const widths = header.map((_, i) => Math.max(...cells.map((c) => (c[i] ?? '').length)));
          const lines = cells.map((c) =>
            c
              .map((v, i) => v.padEnd(widths[i] ?? 0))
              .join('  ')
              .trimEnd(),
          );
          process.stdout.write(`${lines.join('\n')}\n`);
        } catch (error) {
          fail(error);
        }
      },
    );
}
