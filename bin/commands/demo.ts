import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import type { LocalApi } from '../../local/api-server.js';
import { removeApiSession } from '../../local/api-session.js';
import type { LocalEnvironment } from '../../local/environment.js';
import { type ClusterProgress, type GateWaiting, type RunResult, runScenario } from '../../local/run.js';
import { loadScenario } from '../../sim/scenario.js';
import { announceLocalApi } from '../interactive.js';
import { paceProblem, portProblem, untilInterrupted } from '../options.js';
import { createProgressView, formatDuration } from '../progress.js';

const defaultScenario = fileURLToPath(new URL('../../scenarios/demo.yaml', import.meta.url));

function printSummary(result: RunResult, write: (line: string) => void): void {
  for (const c of result.clusters) {
    const ok = c.status === 'SUCCEEDED';
    // Where it set out for, and where it stands when it stopped short of that.
    const reached = c.controlPlaneVersion === c.toVersion ? '' : `, stopped at ${c.controlPlaneVersion}`;
    write(`${ok ? '✔' : '✖'} ${c.name}: ${c.fromVersion} → ${c.toVersion}${reached} (${c.status})`);
    write(`  kubelets: ${c.kubeletVersions.join(', ') || 'none'}`);
    write(`  add-ons: ${c.addons.map((a) => `${a.name} ${a.version}`).join(', ') || 'none'}`);
    write(`  PDB violations: ${c.pdbViolations}, pods lost: ${c.podsLost}`);
    write(`  simulated time: ${formatDuration(c.simulatedSeconds)}`);
    const byPolicy = c.approvals.filter((a) => a.approver === 'policy:auto').length;
    if (byPolicy && byPolicy === c.approvals.length) {
      write(`  approvals: ${byPolicy} gates approved by the policy (approvals: auto); --interactive asks you instead`);
    } else {
      for (const a of c.approvals)
        write(`  approval ${a.gate}: ${a.approved ? 'approved' : 'rejected'} by ${a.approver} via ${a.channel}`);
    }
    if (c.error) write(`  stopped by ${c.error}: ${c.cause}`);
  }
  write(
    `real time ${result.realSeconds.toFixed(1)} s for ${formatDuration(result.simulatedSeconds)} simulated; ${result.notifications} notifications sent`,
  );
}

function printGate(gate: GateWaiting, write: (line: string) => void): void {
  write(`⏸ ${gate.cluster}: approval needed (${gate.gate}, hop ${gate.hop}); the gate waits until ${gate.expiresAt}`);
  write(`    approve: npm run cli -- approve ${gate.executionName} --gate ${gate.gateId}`);
  write(`    reject:  npm run cli -- approve ${gate.executionName} --gate ${gate.gateId} --reject --reason "why"`);
  if (gate.approveUrl) write(`    or open the email's link in a browser: ${gate.approveUrl}`);
}

interface DemoOptions {
  scenario: string;
  json?: boolean;
  interactive?: boolean;
  port?: number;
  pace?: number;
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
    .option('--interactive', 'approval gates wait for you: decide with `eks-upgrade approve` or the local API')
    .option('--port <port>', 'port of the local API on 127.0.0.1 (--interactive; default: any free port)', Number)
    .option(
      '--pace <seconds>',
      'simulated seconds per real second, to watch stages run in the console (--interactive; default: as fast as possible)',
      Number,
    )
    .action(async (options: DemoOptions) => {
      const pace = options.pace;
      const problem =
        paceProblem(pace) ??
        portProblem(options.port) ??
        (pace !== undefined && !options.interactive ? '--pace paces interactive runs: add --interactive' : undefined);
      if (problem) {
        process.stderr.write(`${problem}\n`);
        process.exitCode = 1;
        return;
      }
      const scenario = loadScenario(options.scenario);
      const write = (line: string) => process.stdout.write(`${line}\n`);
      const view = createProgressView(process.stdout, {
        quiet: Boolean(options.json) && !process.stdout.isTTY,
        plain: Boolean(options.interactive),
      });
      const interactive = options.interactive
        ? {
            user: userInfo().username,
            ...(options.port !== undefined ? { port: options.port } : {}),
            ...(pace !== undefined ? { pace } : {}),
            onApi: (api: LocalApi, env: LocalEnvironment) => announceLocalApi(api, env, write),
            onGate: (gate: GateWaiting) => printGate(gate, write),
            // The console stays open on the result: it serves until Ctrl-C, as dispatch --interactive does.
            whenEnded: async (result: RunResult) => {
              view.finish();
              printSummary(result, write);
              write('The upgrades have ended; the console keeps serving until Ctrl-C.');
              await untilInterrupted();
            },
          }
        : undefined;
      try {
        const result = await runScenario(scenario, {
          onProgress: (p: ClusterProgress) => view.update(p),
          ...(interactive ? { interactive } : {}),
        });
        if (!interactive) view.finish();
        if (interactive) {
          // The summary was printed when the upgrades ended.
        } else if (options.json) {
          const clusters = result.clusters.map(
            ({ executionArn: _arn, incidents: _incidents, approvals: _approvals, ...summary }) => summary,
          );
          process.stdout.write(`${JSON.stringify({ clusters, realSeconds: result.realSeconds })}\n`);
        } else {
          printSummary(result, write);
        }
        process.exitCode = result.clusters.every((c) => c.status === 'SUCCEEDED') ? 0 : 1;
      } finally {
        if (interactive) removeApiSession();
      }
    });
}
