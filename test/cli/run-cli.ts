import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root, where the CLI runs. */
export const root = fileURLToPath(new URL('../../', import.meta.url));

/** Runs `eks-upgrade` with tsx on this Node; rejects on a non-zero exit (the error carries stdout, stderr, code). */
export const runCli = (args: string[], env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' }) =>
  run(process.execPath, ['--import', 'tsx', 'bin/eks-upgrade.ts', ...args], { cwd: root, env });

/** `runCli` with the arguments spread. */
export const cli = (...args: string[]) => runCli(args);
