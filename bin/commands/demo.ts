import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { type ClusterProgress, type RunResult, runScenario } from '../../lib/local/run.js';
import { loadScenario } from '../../lib/sim/scenario.js';
import { createProgressView, formatDuration } from '../progress.js';

const defaultScenario = fileURLToPath(new URL('../../scenarios/demo.yaml', import.meta.url));

function printSummary(result: RunResult, write: (line: string) => void): void {
  for (const c of result.clusters) {
    const ok = c.status === 'SUCCEEDED';
    write(`${ok ? '✔' : '✖'} ${c.name}: ${c.fromVersion} → ${c.controlPlaneVersion} (${c.status})`);
    write(`  kubelets: ${c.kubeletVersions.join(', ') || 'none'}`);
    write(`  add-ons: ${c.addons.map((a) => `${a.name} ${a.version}`).join(', ') || 'none'}`);
    write(`  PDB violations: ${c.pdbViolations}, pods lost: ${c.podsLost}`);
    write(`  simulated time: ${formatDuration(c.simulatedSeconds)}`);
    if (c.error) write(`  stopped by ${c.error}: ${c.cause}`);
  }
  write(
    `real time ${result.realSeconds.toFixed(1)} s for ${formatDuration(result.simulatedSeconds)} simulated; ${result.notifications} notifications sent`,
  );
}

/** `eks-upgrade demo`: the local simulated upgrade, through the real state machine and handlers. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Upgrade the clusters of a scenario in the simulated world, through the real state machine and handlers',
    )
    .addOption(
      new Option('--scenario <file>', 'scenario YAML (see docs/scenarios.md)').default(
        defaultScenario,
        'scenarios/demo.yaml',
      ),
    )
    .option('--json', 'print one JSON summary as the last line of stdout')
    .action(async (options: { scenario: string; json?: boolean }) => {
      const scenario = loadScenario(options.scenario);
      const view = createProgressView(process.stdout, { quiet: Boolean(options.json) && !process.stdout.isTTY });
      const result = await runScenario(scenario, { onProgress: (p: ClusterProgress) => view.update(p) });
      view.finish();
      if (options.json) {
        const clusters = result.clusters.map(({ executionArn: _arn, incidents: _incidents, ...summary }) => summary);
        process.stdout.write(`${JSON.stringify({ clusters, realSeconds: result.realSeconds })}\n`);
      } else {
        printSummary(result, (line) => process.stdout.write(`${line}\n`));
      }
      process.exitCode = result.clusters.every((c) => c.status === 'SUCCEEDED') ? 0 : 1;
    });
}
