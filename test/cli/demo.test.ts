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

  it('exits non-zero and says why when a scenario fails', async () => {
    const attempt = cli('demo', '--scenario', 'scenarios/control-plane-fails.yaml');
    await expect(attempt).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining('stopped by ControlPlaneUpdateFailed'),
    });
  });

  it('exits 1 naming the field when the scenario is invalid', async () => {
    const attempt = cli('demo', '--scenario', 'package.json');
    await expect(attempt).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is not a valid scenario'),
    });
  });
});
