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

/** Picks the waiting gate of an execution, named by execution name, execution ARN, or cluster. */
function pick(gates: PendingGateView[], execution: string): PendingGateView | undefined {
  return (
    gates.find((g) => g.executionName === execution || g.executionArn === execution) ??
    gates.find((g) => g.cluster === execution)
  );
}

/** `eks-upgrade approve`: decides a waiting gate of the running interactive demo through its console API. */
export function registerApprove(program: Command): void {
  program
    .command('approve')
    .description('Approve (or reject) the approval gate an execution of the interactive demo waits at')
    .argument('<execution>', 'execution name or ARN (or the cluster name)')
    .option('--reject', 'reject instead: the upgrade stops cleanly')
    .option('--reason <text>', 'why; recorded with the decision (and required to reject)')
    .action(async (execution: string, options: { reject?: boolean; reason?: string }) => {
      const fail = (message: string) => {
        process.stderr.write(`${message}\n`);
        process.exitCode = 1;
      };
      if (options.reject && !options.reason?.trim()) return fail('say why with --reason "..." when you reject');
      const session = readApiSession();
      if (!session)
        return fail(
          `no interactive demo is running (${apiSessionFile}): start one with \`eks-upgrade demo --interactive\``,
        );
      const listed = await call(session, '/api/approvals');
      const gates = (listed.body as { approvals?: PendingGateView[] }).approvals ?? [];
      const gate = pick(gates, execution);
      if (!gate) {
        const waiting = gates.map((g) => `${g.executionName} (${g.gate})`).join(', ') || 'none';
        return fail(`no approval of ${execution} is waiting. Waiting now: ${waiting}`);
      }
      const decided = await call(session, gate.decide, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [csrfHeader]: '1', 'x-eks-upgrade-client': 'cli' },
        body: JSON.stringify({
          decision: options.reject ? 'reject' : 'approve',
          ...(options.reason ? { comment: options.reason } : {}),
        }),
      });
      if (decided.status !== 200)
        return fail(`not recorded: ${(decided.body as { error?: string }).error ?? JSON.stringify(decided.body)}`);
      const d = (decided.body as { decision: ApprovalDecision }).decision;
      process.stdout.write(
        `${d.approved ? 'Approved' : 'Rejected'} ${gate.gate} of ${gate.cluster} (hop ${gate.hop.from} → ${gate.hop.to}) as ${d.approver} at ${d.decidedAt}\n`,
      );
    });
}
