import type { Command } from 'commander';
import type { ApprovalDecision } from '../../lib/approvals/index.js';
import type { PendingGateView } from '../../lib/console/index.js';
import { csrfHeader } from '../../lib/console/index.js';
import { type ApiSession, apiSessionFile, readApiSession } from '../../local/api-session.js';

async function call(
  session: ApiSession,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${session.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${session.token}`, ...(init.headers as Record<string, string> | undefined) },
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}

/** The waiting gates of an execution, named by execution name, execution ARN, or cluster. */
function candidates(gates: PendingGateView[], execution: string): PendingGateView[] {
  const own = gates.filter((g) => g.executionName === execution || g.executionArn === execution);
  return own.length ? own : gates.filter((g) => g.cluster === execution);
}

/** The command that decides one gate, as a person copies it. */
function commandFor(gate: PendingGateView, reject: boolean): string {
  return `npm run cli -- approve ${gate.executionName} --gate ${gate.id}${reject ? ' --reject --reason "why"' : ''}`;
}

/** Exit code of a decision that came too late: the gate was decided (or closed) already. */
export const alreadyDecidedExitCode = 4;

/**
 * `eks-upgrade approve`: decides one named gate of the running interactive demo through its console API. Without
 * `--gate` it decides nothing: it shows the gates waiting and the command for each, so that a repeated command
 * never decides a gate its user has not seen. A gate decided already answers who decided and when (exit 4).
 */
export function registerApprove(program: Command): void {
  program
    .command('approve')
    .description('Approve (or reject) the approval gate an execution of the interactive demo waits at')
    .argument('<execution>', 'execution name or ARN (or the cluster name)')
    .option('--gate <id>', 'the gate to decide, as the demo and `approve` without it print it')
    .option('--reject', 'reject instead: the upgrade stops cleanly')
    .option('--reason <text>', 'why; recorded with the decision (and required to reject)')
    .action(async (execution: string, options: { gate?: string; reject?: boolean; reason?: string }) => {
      const fail = (message: string, code = 1) => {
        process.stderr.write(`${message}\n`);
        process.exitCode = code;
      };
      if (options.reject && !options.reason?.trim()) return fail('say why with --reason "..." when you reject');
      const session = readApiSession();
      if (!session)
        return fail(
          `no interactive demo is running (${apiSessionFile}): start one with \`eks-upgrade demo --interactive\``,
        );
      const listed = await call(session, '/api/approvals');
      const gates = (listed.body as { approvals?: PendingGateView[] }).approvals ?? [];
      const waiting = candidates(gates, execution);
      if (!options.gate) {
        if (!waiting.length) {
          const all = gates.map((g) => `${g.executionName} (${g.gate})`).join(', ') || 'none';
          return fail(`no approval of ${execution} is waiting. Waiting now: ${all}`);
        }
        const lines = waiting.map(
          (g) =>
            `  ${g.gate} of ${g.cluster} (hop ${g.hop.from} → ${g.hop.to}), until ${g.expiresAt}:\n    ${commandFor(g, Boolean(options.reject))}`,
        );
        return fail(`name the gate to decide with --gate; waiting for ${execution}:\n${lines.join('\n')}`);
      }
      const gate = waiting.find((g) => g.id === options.gate);
      // A gate no longer waiting still gets its answer from the API: who decided it (409), or that it never was (404).
      const executionName = gate?.executionName ?? waiting[0]?.executionName ?? execution;
      const decided = await call(
        session,
        `/api/approvals/${encodeURIComponent(executionName)}/${encodeURIComponent(options.gate)}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', [csrfHeader]: '1', 'x-eks-upgrade-client': 'cli' },
          body: JSON.stringify({
            decision: options.reject ? 'reject' : 'approve',
            ...(options.reason ? { comment: options.reason } : {}),
          }),
        },
      );
      const error = (decided.body as { error?: string }).error ?? JSON.stringify(decided.body);
      if (decided.status === 409) return fail(`not recorded: ${error}`, alreadyDecidedExitCode);
      if (decided.status !== 200) return fail(`not recorded: ${error}`);
      const d = (decided.body as { decision: ApprovalDecision }).decision;
      const what = gate ? `${gate.gate} of ${gate.cluster} (hop ${gate.hop.from} → ${gate.hop.to})` : options.gate;
      process.stdout.write(`${d.approved ? 'Approved' : 'Rejected'} ${what} as ${d.approver} at ${d.decidedAt}\n`);
    });
}
