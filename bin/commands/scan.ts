import { type Command, Option } from 'commander';
import { renderScan, type ScanFormat, scanExitCode, scanManifestPaths } from '../../lib/readiness/index.js';

/**
 * `eks-upgrade scan`: manifests checked for APIs deprecated or removed in a target version. Exit codes follow
 * pluto, so the command drops into any CI pipeline: 3 removed in the target, 1 when some input could not be read
 * (everything else is still scanned and reported), 2 deprecated only, 0 nothing found; the worst one wins.
 */
export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('Scan manifest files, directories or stdin (-) for deprecated and removed Kubernetes APIs')
    .argument('[paths...]', 'files, directories (walked recursively) or - for stdin', ['.'])
    .requiredOption('--target <version>', 'the Kubernetes version to check against, such as 1.25')
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .action(async (paths: string[], options: { target: string; output: ScanFormat }) => {
      if (!/^1\.\d{1,2}$/.test(options.target)) {
        process.stderr.write(`--target must be a minor version such as 1.25, got "${options.target}"\n`);
        process.exitCode = 1;
        return;
      }
      const scan = await scanManifestPaths({ stdin: () => process.stdin }, { paths, target: options.target });
      process.stdout.write(`${renderScan(scan, options.output)}\n`);
      process.exitCode = scanExitCode(scan.verdicts, scan.unreadable.length);
    });
}
