import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe("eks-upgrade scan with pluto's flags", () => {
  const cronjob = 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: nightly, namespace: ops}\n';
  const hpa = 'apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n';

  it('--ignore-removals and --ignore-deprecations drop their exit codes; -r shows and counts removals only', async () => {
    const removed = await cli(['scan', '-', '--target', '1.25', '--ignore-removals'], cronjob);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('removed in 1.25');

    const deprecated = await cli(['scan', '-', '--target', '1.25', '--ignore-deprecations'], hpa);
    expect(deprecated.code).toBe(0);
    expect(deprecated.stdout).toContain('deprecated in 1.23');

    const onlyRemoved = await cli(['scan', '-', '--target', '1.25', '-r'], `${cronjob}---\n${hpa}`);
    expect(onlyRemoved.code).toBe(3);
    expect(onlyRemoved.stdout).not.toContain('HorizontalPodAutoscaler');
    const onlyDeprecated = await cli(['scan', '-', '--target', '1.25', '-r'], hpa);
    expect(onlyDeprecated.code).toBe(0);
  });

  it('--ignore-unavailable-replacements does not count a deprecation the target has no replacement for yet', async () => {
    // extensions/v1beta1 Ingress is deprecated in 1.14; networking.k8s.io/v1 is served from 1.19 only.
    const ingress = 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old}\n';
    expect((await cli(['scan', '-', '--target', '1.16'], ingress)).code).toBe(2);
    expect((await cli(['scan', '-', '--target', '1.16', '--ignore-unavailable-replacements'], ingress)).code).toBe(0);
    expect((await cli(['scan', '-', '--target', '1.20', '--ignore-unavailable-replacements'], ingress)).code).toBe(2);
  });

  it('prints wide, custom, CSV and YAML', async () => {
    const wide = await cli(['scan', '-', '--target', '1.25', '-o', 'wide'], cronjob);
    expect(wide.stdout.split('\n')[0]).toMatch(
      /^LOCATION +KIND +NAMESPACE +NAME +API VERSION +STATUS +REPLACEMENT +REPL AVAIL IN +DEPRECATED IN +REMOVED IN +COMPONENT$/,
    );
    expect(wide.stdout).toMatch(
      /-:1 +CronJob +ops +nightly +batch\/v1beta1 +removed in 1\.25 +batch\/v1 +1\.21 +1\.21 +1\.25 +k8s/,
    );

    const custom = await cli(
      ['scan', '-', '--target', '1.25', '-o', 'custom', '--columns', 'NAME,REPL AVAIL,COMPONENT', '--no-headers'],
      cronjob,
    );
    expect(custom.stdout.split('\n')[0]).toMatch(/^nightly +true +k8s$/);

    const csv = await cli(
      ['scan', '-', '--target', '1.25', '-o', 'csv', '--columns', 'FILEPATH,LINE,KIND,NAME,STATUS'],
      cronjob,
    );
    expect(csv.stdout.trim().split('\n')).toEqual([
      'FILEPATH,LINE,KIND,NAME,STATUS',
      '-,1,CronJob,nightly,removed in 1.25',
    ]);

    const yaml = await cli(['scan', '-', '--target', '1.25', '-o', 'yaml'], cronjob);
    expect(yaml.stdout).toContain('status: removed');
    expect(yaml.stdout).toContain('replacement: batch/v1');
  });

  it("checks components against their own releases, and takes more from a file in pluto's format", async () => {
    const certificate = 'apiVersion: cert-manager.io/v1alpha2\nkind: Certificate\nmetadata: {name: tls}\n';
    const at15 = await cli(['scan', '-', '--target', '1.30', '--target-versions', 'cert-manager=v1.5.3'], certificate);
    expect(at15.code).toBe(2);
    expect(at15.stdout).toContain('deprecated in 1.4');
    const at16 = await cli(['scan', '-', '--target', '1.30', '--target-versions', 'cert-manager=1.6'], certificate);
    expect(at16.code).toBe(3);
    const k8sOnly = await cli(['scan', '-', '--target', '1.30', '--components', 'k8s'], certificate);
    expect(k8sOnly.code).toBe(0);

    const dir = mkdtempSync(join(tmpdir(), 'eks-upgrade-versions-'));
    const file = join(dir, 'versions.yaml');
    writeFileSync(
      file,
      'deprecated-versions:\n  - version: example.com/v1beta1\n    kind: Widget\n    deprecated-in: v2.0.0\n    removed-in: v3.0.0\n    replacement-api: example.com/v1\n    component: widgets\ntarget-versions:\n  widgets: v3.1.0\n',
    );
    const widget = 'apiVersion: example.com/v1beta1\nkind: Widget\nmetadata: {name: w}\n';
    const added = await cli(['scan', '-', '--target', '1.30', '-f', file], widget);
    expect(added.code).toBe(3);
    expect(added.stdout).toMatch(/Widget +w +example\.com\/v1beta1 +removed in 3\.0 +example\.com\/v1/);

    const listed = await cli(['list-versions', '-f', file, '--components', 'widgets,istio']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/Widget +example\.com\/v1beta1 +2\.0 +3\.0 +example\.com\/v1 +widgets/);
    expect(listed.stdout).toMatch(
      /\* +rbac\.istio\.io\/v1alpha1 +1\.4 +1\.4 +security\.istio\.io\/v1beta1 AuthorizationPolicy +1\.4 +istio/,
    );
    expect(listed.stdout).not.toContain(' k8s');
  });

  it('refuses a bad column, component, version pair or catalog file with exit 1 and what to fix', async () => {
    const bad = async (args: string[]) => {
      const run = await cli(['scan', '-', '--target', '1.25', ...args], 'kind: Namespace\n');
      expect(run.code, args.join(' ')).toBe(1);
      return run.stderr;
    };
    expect(await bad(['-o', 'custom', '--columns', 'NAME,COLOUR'])).toContain(
      'no column "COLOUR"; choose from LOCATION',
    );
    expect(await bad(['-o', 'custom'])).toContain('--output custom needs --columns');
    expect(await bad(['--components', 'k8s,linkerd'])).toContain(
      'no catalog for linkerd; known components: k8s, cert-manager, istio',
    );
    expect(await bad(['--target-versions', 'cert-manager'])).toContain('"cert-manager" is not name=version');
    const dir = mkdtempSync(join(tmpdir(), 'eks-upgrade-versions-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'deprecated-versions:\n  - version: example.com/v1beta1\n    kind: Widget\n    removed-in: soon\n',
    );
    expect(await bad(['-f', file])).toContain('deprecated-versions.0.removed-in');
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
    expect(stdout).toContain('Readiness of vintage for 1.32 → 1.33: BLOCKED (4 blockers, 5 warnings, 0 info)');
    expect(stdout).toContain('✖ blocker coredns-upstream');
  });

  it('says that AWS replaces the nodes of an EKS Auto Mode cluster, naming its NodePools, and exits 0', async () => {
    const { code, stdout } = await cli([
      'readiness',
      '--cluster',
      'autopilot',
      '--target',
      '1.34',
      '--scenario',
      'scenarios/auto-mode.yaml',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('Readiness of autopilot for 1.33 → 1.34: ready (0 blockers, 0 warnings, 1 info)');
    expect(stdout).toMatch(/info auto-mode-nodes: EKS Auto Mode runs this cluster's nodes: AWS replaces them/);
    expect(stdout).toContain('objects: nodepool/general-purpose (4 nodes); nodepool/system (2 nodes)');
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

  it('exits 1, never a findings code, for a mistyped target or a scenario file that is not there', async () => {
    const args = ['readiness', '--cluster', 'demo', '--scenario', 'scenarios/demo.yaml'];
    const [typo, missing] = await Promise.all([
      cli([...args, '--target', 'abc']),
      cli(['readiness', '--cluster', 'demo', '--target', '1.33', '--scenario', 'scenarios/nope.yaml']),
    ]);
    expect(typo).toMatchObject({ code: 1, stderr: expect.stringContaining('"abc" is not a Kubernetes version') });
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot read scenario file') });
  });
});
