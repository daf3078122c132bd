import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sessionFile = join(mkdtempSync(join(tmpdir(), 'eks-upgrade-cli-')), 'session.json');
const kubeconfigDir = mkdtempSync(join(tmpdir(), 'eks-upgrade-kubeconfig-'));
const env = {
  ...process.env,
  CI: 'true',
  EKS_UPGRADE_SESSION_FILE: sessionFile,
  EKS_UPGRADE_KUBECONFIG_DIR: kubeconfigDir,
};
const run = promisify(execFile);
const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'bin/eks-upgrade.ts', ...args], { cwd: root, env });

/** Collects a process's stdout and lets a test wait for a line. */
function watch(child: ChildProcess) {
  let out = '';
  const waiters: Array<() => void> = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return {
    output: () => out,
    exited,
    async waitFor(pattern: RegExp, nth = 1): Promise<RegExpMatchArray> {
      for (;;) {
        const matches = [...out.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))];
        const match = matches[nth - 1];
        if (match) return match;
        await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), exited]);
        if (child.exitCode !== null && !new RegExp(pattern.source, 'g').test(out))
          throw new Error(`exited before printing ${pattern}:\n${out}`);
      }
    },
  };
}

describe('eks-upgrade demo --interactive and eks-upgrade approve', () => {
  it('waits at each gate until `approve` decides from another process, and records the decision as the user via cli', async () => {
    // Prepare
    const demo = spawn(
      process.execPath,
      ['--import', 'tsx', 'bin/eks-upgrade.ts', 'demo', '--interactive', '--scenario', 'scenarios/approvals.yaml'],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const view = watch(demo);
    try {
      const [, api] = await view.waitFor(/local API on (http:\/\/127\.0\.0\.1:\d+)/);
      const [, kubeconfig = ''] = await view.waitFor(
        /^Watch it with kubectl: kubectl --kubeconfig (\S+) get nodes -w$/m,
      );
      const [, execution = '', hopGate = ''] = await view.waitFor(/approve: npm run cli -- approve (\S+) --gate (\S+)/);
      // While the gate waits, real kubectl reads the simulated cluster with the printed kubeconfig (TLS, token).
      const nodes = await run('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes', '-o', 'name']);

      // Act: without --gate nothing is decided; approve the hop by its id; the same command again is too late;
      // then reject the node rotation, named by its own id.
      const unnamed = await cli('approve', execution).catch((e: { code: number; stderr: string }) => e);
      const approved = await cli('approve', execution, '--gate', hopGate, '--reason', 'window agreed');
      await view.waitFor(/approval needed \(before-nodes/);
      const repeated = await cli('approve', execution, '--gate', hopGate).catch(
        (e: { code: number; stderr: string }) => e,
      );
      const [, , nodesGate = ''] = await view.waitFor(/approve: npm run cli -- approve (\S+) --gate (\S+)/, 2);
      const rejected = await cli('approve', execution, '--gate', nodesGate, '--reject', '--reason', 'drain later');
      // The run has ended; the console keeps serving its result until Ctrl-C.
      await view.waitFor(/The upgrades have ended; the console keeps serving until Ctrl-C\./);
      const [, token = ''] = await view.waitFor(/^Console: \S+#token=(\S+)$/m);
      const afterEnd = await fetch(`${api}/api/executions/${execution}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const ended = (await afterEnd.json()) as { status: string };
      demo.kill('SIGINT');
      const code = await view.exited;

      // Assess
      expect(api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(kubeconfig).toBe(join(kubeconfigDir, 'payments.yaml'));
      expect(nodes.stdout.trim().split('\n')).toEqual([
        'node/ip-10-0-0-10.eu-west-1.compute.internal',
        'node/ip-10-0-32-10.eu-west-1.compute.internal',
      ]);
      // The kubeconfig holds a token: it goes with the run.
      expect(existsSync(kubeconfig)).toBe(false);
      expect(unnamed).toMatchObject({
        code: 1,
        stderr: expect.stringContaining(`name the gate to decide with --gate`),
      });
      expect((unnamed as { stderr: string }).stderr).toContain(`approve ${execution} --gate ${hopGate}`);
      expect(approved.stdout).toMatch(/^Approved before-hop of payments \(hop 1\.33 → 1\.34\) as \S+ at /);
      // The repeat decides nothing (the node rotation gate waits on), and says who decided the hop's gate.
      expect(repeated).toMatchObject({ code: 4, stderr: expect.stringMatching(/already approved by \S+ at /) });
      expect(nodesGate).not.toBe(hopGate);
      expect(rejected.stdout).toMatch(/^Rejected before-nodes of payments/);
      expect(afterEnd.status).toBe(200);
      expect(ended.status).toBe('FAILED');
      expect(code).toBe(1);
      expect(view.output()).toMatch(/approval before-hop: approved by \S+ via cli/);
      expect(view.output()).toMatch(/approval before-nodes: rejected by \S+ via cli/);
      expect(view.output()).toContain('stopped by ApprovalRejected');
      expect(view.output()).toMatch(/payments: 1\.33 → 1\.34 \(FAILED\)/);
    } finally {
      demo.kill();
    }
  }, 90_000);

  it('says so when no interactive demo runs, and asks for a reason to reject', async () => {
    await expect(cli('approve', 'payments-run')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no interactive demo is running'),
    });
    await expect(cli('approve', 'payments-run', '--reject')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--reason'),
    });
  });

  it('without --interactive, lets the policy approve and says so', async () => {
    const { stdout } = await cli('demo', '--scenario', 'scenarios/approvals.yaml');
    expect(stdout).toContain('approvals: 2 gates approved by the policy (approvals: auto)');
  });
});
