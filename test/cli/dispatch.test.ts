import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cli, root, runCli } from './run-cli.js';

interface Decision {
  cluster: { name: string; accountId: string };
  decision: string;
  reason: string;
  executionName?: string;
}

describe('eks-upgrade dispatch', () => {
  it('says what would start and why, and starts nothing without --apply', async () => {
    // Act
    const { stdout } = await cli(
      'dispatch',
      '--scenario',
      'scenarios/fleet.yaml',
      '--at',
      '2026-12-01T02:00:00Z',
      '--json',
    );
    const result = JSON.parse(stdout) as {
      applied: boolean;
      started: number;
      decisions: Decision[];
      outcomes?: unknown;
    };

    // Assess
    expect(result).toMatchObject({ applied: false, started: 0 });
    expect(result.outcomes).toBeUndefined();
    expect(Object.fromEntries(result.decisions.map((d) => [d.cluster.name, d.decision]))).toEqual({
      'checkout-dev': 'nothing-to-do',
      'checkout-staging': 'nothing-to-do',
      'payments-dev': 'would-start',
      sandbox: 'not-enrolled',
      'checkout-prod': 'wait-wave',
      'payments-prod': 'wait-wave',
      ledger: 'would-start',
      reports: 'wait-window',
      legacy: 'invalid-policy',
    });
    const ledger = result.decisions.find((d) => d.cluster.name === 'ledger');
    expect(ledger?.executionName).toMatch(/^ledger-1-35-20261201-[0-9a-f]{6}$/);
  });

  it('starts the due upgrades with --apply and runs them to the end; a gate that asks people waits out its timeout', async () => {
    const failed = (await cli('dispatch', '--apply').catch((e: { code: number; stdout: string }) => e)) as {
      code?: number;
      stdout: string;
    };
    const { stdout } = failed;
    const lines = stdout.split('\n');
    expect(failed.code).toBe(1);
    expect(lines[0]).toBe('dispatch at 2026-12-01T02:00:00.000Z');
    expect(lines).toContain('▶ payments-dev (111122223333/eu-west-1): started 1.34 → 1.35');
    expect(lines).toContain('2 of 9 clusters started');
    expect(lines).toContain('✔ payments-dev: SUCCEEDED, now on 1.35');
    // Production asks people. 1.34 leaves standard support tomorrow, but autoApprove needs clean readiness and ledger's
    // single-replica reconciler warns: a person must decide, and without --interactive nobody is there to.
    expect(lines).toContain(
      '✖ ledger: FAILED, now on 1.34 (ApprovalTimedOut: nobody decided the before-hop gate of ledger (hop 1.34 → 1.35) within 172800 seconds, and the policy stops on timeout. Nothing else was changed; decide sooner at the next run, or raise approvals.timeoutSeconds.)',
    );
    expect(lines).toContain(
      '    nobody could decide its gate in this run: add --interactive to decide it in the console',
    );
  });

  it('refuses an --at that is not an instant', async () => {
    await expect(cli('dispatch', '--at', 'tomorrow')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--at must be an ISO 8601 instant such as 2026-12-01T02:00:00Z, got "tomorrow"'),
    });
  });

  it('names --at, not the scenario, when the instant is before the history the scenario records', async () => {
    await expect(cli('dispatch', '--at', '1970-01-01T00:00:00Z')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^--at 1970-01-01T00:00:00Z is before the executions .*fleet\.yaml records/),
    });
  });

  it('calls an instant past every supported version an error of the run, not an invalid policy, and exits 1', async () => {
    const attempt = cli('dispatch', '--at', '2030-01-01T00:00:00Z');
    await expect(attempt).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining('✖ checkout-dev (111122223333/eu-west-1): error'),
    });
    await expect(attempt).rejects.toMatchObject({
      stdout: expect.stringContaining('EKS supports no Kubernetes version at 2030-01-01T00:00:00.000Z'),
    });
  });

  it('refuses --interactive without --apply, and the interactive options without --interactive', async () => {
    // Act
    const [dryRun, pace, port] = await Promise.allSettled([
      cli('dispatch', '--interactive'),
      cli('dispatch', '--apply', '--pace', '60'),
      cli('dispatch', '--apply', '--interactive', '--port', 'http'),
    ]);

    // Assess
    expect(dryRun).toMatchObject({
      status: 'rejected',
      reason: { code: 1, stderr: expect.stringMatching(/^--interactive serves the console .*: add --apply/) },
    });
    expect(pace).toMatchObject({
      status: 'rejected',
      reason: { code: 1, stderr: '--pace paces interactive runs: add --interactive (and --apply)\n' },
    });
    expect(port).toMatchObject({
      status: 'rejected',
      reason: { code: 1, stderr: expect.stringContaining('--port must be a port number from 0 to 65535') },
    });
  });

  it('with --interactive, serves the console while the upgrades run, their gates wait for people, then serves until Ctrl-C', async () => {
    // Prepare: production's gate asks people, and no deadline approves it for them.
    const dir = mkdtempSync(join(tmpdir(), 'eks-upgrade-dispatch-'));
    const policy = join(dir, 'policy.yaml');
    const policyText = readFileSync(join(root, 'config/upgrade-policy.yaml'), 'utf8');
    writeFileSync(policy, policyText.replace(/^\s*autoApprove:.*$/m, ''));
    const env = {
      ...process.env,
      CI: 'true',
      EKS_UPGRADE_SESSION_FILE: join(dir, 'session.json'),
      EKS_UPGRADE_KUBECONFIG_DIR: join(dir, 'kube'),
    };
    const args = ['dispatch', '--at', '2026-12-01T02:00:00Z', '--policy', policy, '--apply', '--interactive'];
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/eks-upgrade.ts', ...args], { cwd: root, env });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    const printed = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const look = () => {
          const found = pattern.exec(out);
          if (!found) return false;
          child.stdout.off('data', look);
          resolve(found);
          return true;
        };
        if (look()) return;
        child.stdout.on('data', look);
        void exited.then((code) => reject(new Error(`dispatch exited (${code}) before printing ${pattern}:\n${out}`)));
      });
    try {
      const [, url, token] = await printed(/^Console: (http:\/\/127\.0\.0\.1:\d+)\/console#token=(\S+)$/m);
      const [, execution, gate] = await printed(
        /^⏸ ledger: approval needed \(before-hop, hop 1\.34 → 1\.35\)[^\n]*\n.*approve (ledger-1-35-\S+) --gate (\S+)$/m,
      );

      // While its gate waits, real kubectl reads the member account's cluster with the kubeconfig the run wrote.
      const ledgerConfig = join(dir, 'kube', 'ledger.yaml');
      const nodes = await promisify(execFile)('/usr/bin/kubectl', [
        '--kubeconfig',
        ledgerConfig,
        'get',
        'nodes',
        '-o',
        'name',
      ]);

      // Act: decide the gate through the console's API, as `eks-upgrade approve` does.
      const approved = await runCli(
        ['approve', execution as string, '--gate', gate as string, '--reason', 'window agreed'],
        env,
      );
      await printed(/^The started upgrades have ended; the console keeps serving until Ctrl-C\.$/m);
      const api = (path: string) =>
        fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } }).then(
          (r) => r.json() as Promise<Record<string, unknown>>,
        );
      const [fleet, detail] = await Promise.all([api('/api/fleet'), api(`/api/executions/${execution}`)]);
      child.kill('SIGINT');

      // Assess
      expect(out).toContain(
        `Watch it with kubectl: kubectl --kubeconfig ${join(dir, 'kube', 'checkout-dev.yaml')} get nodes -w`,
      );
      expect(nodes.stdout.trim().split('\n')).toHaveLength(2);
      expect(nodes.stdout).toMatch(/^node\/ip-10-\d+-\d+-10\.eu-west-1\.compute\.internal$/m);
      expect(approved.stdout).toMatch(/^Approved before-hop of ledger \(hop 1\.34 → 1\.35\)/);
      expect(out).toContain('✔ ledger: SUCCEEDED, now on 1.35\n');
      expect(out).toContain('✔ payments-dev: SUCCEEDED, now on 1.35\n');
      expect(detail.approvals).toEqual([
        expect.objectContaining({
          gate: 'before-hop',
          status: 'approved',
          approver: userInfo().username,
          channel: 'cli',
          comment: 'window agreed',
        }),
      ]);
      // The fleet snapshot is the one the dispatch handler wrote, joined with how the upgrade ended.
      const ledger = (fleet.clusters as Array<Record<string, unknown>>).find(
        (c) => (c.cluster as { name: string }).name === 'ledger',
      );
      expect(fleet).toMatchObject({ snapshot: true, generatedAt: '2026-12-01T02:00:00.000Z', trigger: 'schedule' });
      expect(ledger).toMatchObject({ decision: 'started', lastResult: { name: execution, status: 'SUCCEEDED' } });
      // The row shows the cluster as its upgrade left it, not as dispatch saw it before.
      expect(ledger).toMatchObject({
        version: '1.35',
        hops: [],
        band: 'ok',
        upgradedSinceDispatch: { from: '1.34', to: '1.35', execution },
      });
      expect(ledger?.atRisk).toBeUndefined();
      expect(ledger?.running).toBeUndefined();
      await expect(exited).resolves.toBe(0);
      expect(existsSync(env.EKS_UPGRADE_SESSION_FILE)).toBe(false);
      expect(existsSync(ledgerConfig)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill();
    }
  });
});
