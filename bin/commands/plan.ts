import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { hopPath } from '../../lib/dispatch/index.js';
import type { FleetClusterStatus } from '../../lib/fleet/index.js';
import { defaultPolicyPath, dispatchLocally } from './dispatch.js';

const defaultFleetScenario = fileURLToPath(new URL('../../scenarios/fleet.yaml', import.meta.url));

const columns = [
  'CLUSTER',
  'ACCOUNT/REGION',
  'VERSION',
  'END OF STANDARD SUPPORT',
  'DAYS LEFT',
  'PLANNED UPGRADE',
  'HOPS',
  'COST AVOIDED',
  'DECISION',
] as const;

const usd = (n: number | undefined) =>
  n === undefined ? '-' : `$${n.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

/** The plan's row for one enrolled cluster. */
export function planRow(c: FleetClusterStatus): string[] {
  return [
    c.cluster.name,
    `${c.cluster.accountId}/${c.cluster.region}`,
    c.version ?? '-',
    c.endOfStandardSupport?.slice(0, 10) ?? '-',
    c.daysLeft === undefined ? '-' : String(c.daysLeft),
    c.plannedStart
      ? `${c.plannedStart.slice(0, 16).replace('T', ' ')} UTC${c.atRisk ? ' (at risk)' : ''}`
      : c.atRisk
        ? 'none (at risk)'
        : '-',
    c.version && c.target && c.hops.length ? hopPath(c.version, c.target) : '-',
    usd(c.extendedSupportCostAvoidedUsd),
    c.decision,
  ];
}

/** A plain text table, columns as wide as their widest cell. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/** `eks-upgrade plan`: for every enrolled cluster, where it stands and when its upgrade is planned. */
export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('Show every enrolled cluster: version, end of standard support, planned upgrade, hops, cost avoided')
    .option('--scenario <file>', 'scenario YAML (see docs/scenarios.md)', defaultFleetScenario)
    .option('--policy <file>', 'upgrade policy file (docs/fleet.md)', defaultPolicyPath)
    .option('--at <instant>', 'the simulated instant to plan at, such as 2026-12-01T02:00:00Z')
    .option('--json', 'print the plan as JSON')
    .action(async (options: { scenario: string; policy: string; at?: string; json?: boolean }) => {
      const result = await dispatchLocally({ ...options, apply: false });
      const clusters = result.decisions.filter((d) => d.enrolled);
      // A cluster the policy file cannot plan, or that could not be decided, fails the plan (exit 1), said on
      // stderr; one whose own tags are wrong is in the table with the tag to fix.
      const broken = result.decisions.filter((d) => d.invalidIn === 'policy-file' || d.decision === 'error');
      if (broken.length > 0) {
        process.exitCode = 1;
        process.stderr.write(
          `${broken.length} cluster(s) cannot be planned:\n${broken.map((d) => `  - ${d.cluster.name}: ${d.decision}: ${d.reason}`).join('\n')}\n`,
        );
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ at: result.at, clusters }, null, 2)}\n`);
        return;
      }
      const write = (line: string) => process.stdout.write(`${line}\n`);
      write(`plan at ${result.at}: ${clusters.length} enrolled cluster(s)`);
      for (const line of table([[...columns], ...clusters.map(planRow)])) write(line);
      write('');
      for (const c of clusters) write(`${c.cluster.name}: ${c.reason}`);
      const avoided = clusters.reduce((sum, c) => sum + (c.extendedSupportCostAvoidedUsd ?? 0), 0);
      write(`extended-support cost avoided by the plan: ${usd(avoided)}`);
    });
}
