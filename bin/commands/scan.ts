import { type Command, Option } from 'commander';
import { renderScan, type ScanFormat, scanExitCode, scanManifestPaths } from '../../lib/readiness/index.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `eks-upgrade scan`: manifests checked for APIs deprecated or removed in a target version. Exit codes follow
 * pluto, so the command drops into any CI pipeline: 0 nothing found, 2 deprecated only, 3 removed in the target,
 * 1 when a file could not be read or parsed.
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
      const scan = await scanManifestPaths({ readStdin }, { paths, target: options.target });
      process.stdout.write(`${renderScan(scan, options.output)}\n`);
      process.exitCode = scan.errors.length > 0 ? 1 : scanExitCode(scan.verdicts);
    });
}
