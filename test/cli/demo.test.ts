import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

describe('eks-upgrade demo', () => {
  it('upgrades the embedded demo and prints the JSON summary as the last line', async () => {
    const { stdout } = await cli('demo', '--json');
    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      clusters: Array<Record<string, unknown>>;
    };
    const demo = summary.clusters[0];
    expect(demo).toMatchObject({
      name: 'demo',
      fromVersion: '1.32',
      toVersion: '1.34',
      status: 'SUCCEEDED',
      controlPlaneVersion: '1.34',
      pdbViolations: 0,
      podsLost: 0,
    });
    expect(demo?.kubeletVersions).toEqual([expect.stringMatching(/^v1\.34\./)]);
    expect(Object.keys(demo ?? {}).sort()).toEqual(
      [
        'addons',
        'controlPlaneVersion',
        'fromVersion',
        'kubeletVersions',
        'name',
        'pdbViolations',
        'podsLost',
        'simulatedSeconds',
        'status',
        'toVersion',
      ].sort(),
    );
    expect(demo?.simulatedSeconds).toBeGreaterThan(1800);
  });

  it('upgrades the fleet scenario, member accounts included, to a summary line per cluster', async () => {
    const { stdout } = await cli('demo', '--scenario', 'scenarios/fleet.yaml', '--json');
    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      clusters: Array<{ name: string; status: string; toVersion: string; controlPlaneVersion: string }>;
    };
    expect(summary.clusters).toHaveLength(9);
    for (const c of summary.clusters) {
      expect(c, c.name).toMatchObject({ status: 'SUCCEEDED', controlPlaneVersion: c.toVersion });
    }
    // ledger, reports and legacy live in member accounts: reached through their role, and upgraded there.
    expect(summary.clusters.find((c) => c.name === 'ledger')).toMatchObject({ controlPlaneVersion: '1.35' });
  });

  it('exits non-zero and says why when a scenario fails, with the target and where the cluster stopped', async () => {
    const attempt = cli('demo', '--scenario', 'scenarios/control-plane-fails.yaml');
    await expect(attempt).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining('stopped by ControlPlaneUpdateFailed'),
    });
    await expect(attempt).rejects.toMatchObject({
      stdout: expect.stringContaining('✖ fragile: 1.32 → 1.33, stopped at 1.32 (FAILED)'),
    });
    // The failure notice's progress line says why, as the notification it sends does.
    await expect(attempt).rejects.toMatchObject({
      stdout: expect.stringMatching(
        /fragile \[hop 1\/1 1\.32 → 1\.33\] Notify failure: ControlPlaneUpdateFailed \(control plane update to 1\.33 failed .*ClusterUnreachable/,
      ),
    });
  });

  it('names a hop that only brings lagging nodes up as a catch-up, not as a version change to itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eks-upgrade-demo-'));
    const file = join(dir, 'catch-up.yaml');
    writeFileSync(
      file,
      [
        'name: catch-up',
        'clusters:',
        '  - { name: behind, region: eu-west-1, version: "1.33", policy: { target: "1.33" },',
        '      managedNodegroups: [{ name: general, version: "1.32", desiredSize: 2, maxSize: 3 }] }',
      ].join('\n'),
    );
    const { stdout } = await cli('demo', '--scenario', file);
    expect(stdout).toContain('[hop 1/1 catch-up of the nodes at 1.33]');
    expect(stdout).not.toContain('1.33 → 1.33]');
    expect(stdout).toContain('✔ behind: 1.33 → 1.33 (SUCCEEDED)');
  });

  it('shows node counts only on the steps of the node group they were counted on', async () => {
    const { stdout } = await cli('demo', '--scenario', 'scenarios/auto-mode.yaml');
    const lines = stdout.split('\n');
    expect(lines.find((l) => l.includes('Validate hop'))).not.toContain('nodes on the new version');
    expect(lines.find((l) => l.includes('Notify hop done'))).not.toContain('nodes on the new version');
    // The second pool's first step does not show the first pool's count.
    const firstOfSystem = lines.find((l) => l.includes('Upgrade node group automode:system'));
    expect(firstOfSystem).not.toContain('4/4');
  });

  it('exits 1 naming the field when the scenario is invalid', async () => {
    const attempt = cli('demo', '--scenario', 'package.json');
    await expect(attempt).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is not a valid scenario'),
    });
  });
});
