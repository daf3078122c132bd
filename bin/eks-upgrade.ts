import { Command } from 'commander';
import { ScenarioError } from '../sim/scenario.js';
import { registerApprove } from './commands/approve.js';
import { registerDemo } from './commands/demo.js';
import { registerDispatch } from './commands/dispatch.js';
import { registerPlan } from './commands/plan.js';
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
registerPlan(program);
registerDispatch(program);

// Exit codes (docs/exit-codes.md): 0 done, 1 a usage or input error or a failure; `scan` and `readiness` keep 2 and 3
// for what they found (pluto's convention), `approve` 4 for a gate decided already.
program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ScenarioError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  // People get the message; the stack only when they ask for it.
  const detail = process.env.EKS_UPGRADE_DEBUG ? ((error as Error).stack ?? String(error)) : (error as Error).message;
  process.stderr.write(`eks-upgrade: ${detail ?? String(error)}\n`);
  process.exitCode = 1;
});
