import { Command } from 'commander';
import { ScenarioError } from '../lib/sim/scenario.js';
import { registerApprove } from './commands/approve.js';
import { registerDemo } from './commands/demo.js';
import { registerReadiness } from './commands/readiness.js';
import { registerScan } from './commands/scan.js';

const program = new Command()
  .name('eks-upgrade')
  .description('Keeps Amazon EKS clusters upgraded, automatically and safely, ahead of end of support.');

// One module per command under bin/commands/.
registerDemo(program);
registerApprove(program);
registerScan(program);
registerReadiness(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ScenarioError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`eks-upgrade: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
