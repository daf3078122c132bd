import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const waves = 'test/readiness/fixtures/waves';

/** Runs the CLI and resolves with its exit code and output, whatever the code. */
async function cli(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  if (stdin === undefined) {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'bin/eks-upgrade.ts', ...args], {
        cwd: root,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/eks-upgrade.ts', ...args], { cwd: root });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdin.end(stdin);
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return { code, stdout, stderr };
}

describe('eks-upgrade scan', () => {
  it('exits 3 when an API is removed in the target, naming file, line and replacement', async () => {
    const { code, stdout } = await cli(['scan', `${waves}/wave-1.25.yaml`, '--target', '1.25']);
    expect(code).toBe(3);
    expect(stdout).toMatch(
      /wave-1\.25\.yaml:3 +CronJob +wave\/cronjob-batch-v1beta1 +batch\/v1beta1 +removed in 1\.25 +batch\/v1/,
    );
    expect(stdout).toContain('1 file, 8 objects: 7 removed in 1.25, 0 deprecated.');
  });

  it('exits 2 when APIs are only deprecated in the target', async () => {
    const { code, stdout } = await cli(['scan', `${waves}/wave-1.25.yaml`, '--target', '1.24']);
    expect(code).toBe(2);
    expect(stdout).toContain('deprecated in 1.21');
  });

  it('exits 0 when nothing is deprecated, reading stdin with -', async () => {
    const { code, stdout } = await cli(
      ['scan', '-', '--target', '1.33'],
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('No deprecated or removed APIs found.');
  });

  it('walks directories and prints JSON for machines', async () => {
    // Act
    const { code, stdout } = await cli(['scan', waves, '--target', '1.32', '--output', 'json']);

    // Assess
    expect(code).toBe(3);
    const scan = JSON.parse(stdout) as { files: number; verdicts: Array<{ status: string; source: { path: string } }> };
    expect(scan.files).toBe(7);
    expect(scan.verdicts.every((v) => v.status === 'removed')).toBe(true);
    expect(scan.verdicts.some((v) => v.source.path.endsWith('nested/wave-1.27.yml'))).toBe(true);
  });

  it('prints a Markdown table for pull requests', async () => {
    const { stdout } = await cli(['scan', `${waves}/wave-1.32.yaml`, '--target', '1.32', '--output', 'markdown']);
    expect(stdout).toContain('| LOCATION | KIND | NAME | API VERSION | STATUS | REPLACEMENT |');
    expect(stdout).toContain(
      '| FlowSchema | flowschema-flowcontrol-v1beta3 | flowcontrol.apiserver.k8s.io/v1beta3 | removed in 1.32 | flowcontrol.apiserver.k8s.io/v1 |',
    );
  });

  it('exits 1 when a file cannot be read or parsed, and says which', async () => {
    const { code, stdout } = await cli(['scan', '-', 'no/such/dir', '--target', '1.25'], 'kind: [broken\n');
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    // What could not be read comes first, before the table and the summary, and says it.
    expect(lines[0]).toMatch(/^error: -:1: /);
    expect(lines[1]).toBe('error: no/such/dir: no such file or directory');
    expect(stdout).toContain('No deprecated or removed APIs found in what could be read.');
    expect(lines.at(-2)).toMatch(/2 inputs could not be read, so the scan is incomplete\.$/);
  });

  it('refuses a target that is not a minor version', async () => {
    const { code, stderr } = await cli(['scan', waves, '--target', 'v1.25.3']);
    expect(code).toBe(1);
    expect(stderr).toContain('--target must be a minor version such as 1.25');
  });
});

describe('eks-upgrade readiness', () => {
  it('exits 3 with the report when a scenario cluster is blocked', async () => {
    const { code, stdout } = await cli([
      'readiness',
      '--cluster',
      'vintage',
      '--target',
      '1.33',
      '--scenario',
      'scenarios/readiness-versions.yaml',
    ]);
    expect(code).toBe(3);
    expect(stdout).toContain('Readiness of vintage for 1.32 → 1.33: BLOCKED (4 blockers, 4 warnings, 0 info)');
    expect(stdout).toContain('✖ blocker coredns-upstream');
  });

  it('exits 2 when only warnings remain, and prints the report as JSON', async () => {
    // Act
    const { code, stdout } = await cli([
      'readiness',
      '--cluster',
      'sticky',
      '--target',
      '1.33',
      '--scenario',
      'scenarios/readiness-drain.yaml',
      '--output',
      'json',
    ]);

    // Assess
    expect(code).toBe(2);
    const report = JSON.parse(stdout) as {
      ready: boolean;
      counts: Record<string, number>;
      findings: Array<{ id: string }>;
    };
    expect(report.ready).toBe(true);
    expect(report.counts).toEqual({ blocker: 0, warning: 5, info: 0 });
    expect(report.findings.map((f) => f.id)).toContain('bare-pods');
  });

  it('says which clusters a scenario has when the name is wrong', async () => {
    const { code, stderr } = await cli([
      'readiness',
      '--cluster',
      'nope',
      '--target',
      '1.33',
      '--scenario',
      'scenarios/demo.yaml',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('scenario "demo" has no cluster "nope" (it has: demo)');
  });
});
