import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiVerdict,
  judgeUsage,
  type LiveScan,
  scanExitCode,
  scanLiveObjects,
  scanManifestPaths,
} from '../../lib/readiness/index.js';
import { addMinor } from '../../lib/versions/index.js';
import { startKube } from './harness.js';
import { waves } from './waves.js';

const fixtures = fileURLToPath(new URL('./fixtures/waves', import.meta.url));
const noStdin = { stdin: () => Readable.from([]) };
const key = (v: { apiVersion: string; kind: string; name: string }) => `${v.apiVersion} ${v.kind} ${v.name}`;
const waveKeys = (wave: string, filter: (o: (typeof waves)[string][number]) => boolean = () => true) =>
  (waves[wave] ?? []).filter(filter).map(key).sort();

describe.each(Object.keys(waves))('removal wave %s', (wave) => {
  describe('in manifest files', () => {
    it(`finds every object of the wave removed in ${wave}, and nothing else, with exit code 3`, async () => {
      // Act
      const scan = await scanManifestPaths(noStdin, { paths: [fixtures], target: wave });

      // Assess
      const removedHere = scan.verdicts.filter((v) => v.removedIn === wave);
      expect(removedHere.map(key).sort()).toEqual(waveKeys(wave));
      expect(removedHere.every((v) => v.status === 'removed' && v.source.type === 'file')).toBe(true);
      expect(scan.unreadable).toEqual([]);
      expect(scanExitCode(scan.verdicts)).toBe(3);
    });

    it('calls them deprecated the release before, when the guide had deprecated them by then', async () => {
      // Prepare
      const before = addMinor(wave, -1);

      // Act
      const scan = await scanManifestPaths(noStdin, { paths: [fixtures], target: before });

      // Assess
      const ofWave = scan.verdicts.filter((v) => v.removedIn === wave);
      expect(ofWave.every((v) => v.status === 'deprecated')).toBe(true);
      expect(ofWave.map(key).sort()).toEqual(
        scan.verdicts
          .filter((v) => v.removedIn === wave && Number(v.deprecatedIn.split('.')[1]) <= Number(before.split('.')[1]))
          .map(key)
          .sort(),
      );
      expect(ofWave.length).toBeGreaterThan(0);
    });
  });
});

describe.each(Object.keys(waves))('removal wave %s in a simulated cluster', (wave) => {
  const stored = (waves[wave] ?? []).filter((o) => o.liveSource !== 'none');
  let cluster: Awaited<ReturnType<typeof startKube>>;
  let scan: LiveScan;

  beforeAll(async () => {
    cluster = await startKube({
      // Every object was applied with kubectl, in the version it was written in.
      objects: stored.map(({ liveSource: _where, ...o }) => ({ ...o, lastAppliedApiVersion: o.apiVersion })),
      helmReleases: [
        {
          name: 'legacy',
          namespace: 'charts',
          chart: 'legacy',
          revision: 2,
          manifests: stored.map(({ apiVersion, kind, name }) => ({ apiVersion, kind, name })),
        },
      ],
    });
    // A small page size makes every resource take several pages.
    scan = await scanLiveObjects(cluster.kube, { pageSize: 3 });
  });

  afterAll(async () => {
    await cluster?.close();
  });

  const verdicts = (source: string): ApiVerdict[] =>
    scan.usages
      .filter((u) => u.source.type === source)
      .map((u) => judgeUsage(u, wave))
      .filter((v): v is ApiVerdict => v !== undefined);

  it('finds each object live when the cluster serves no newer version of it, by its last-applied annotation otherwise', () => {
    // Act
    const live = verdicts('live');
    const applied = verdicts('last-applied');

    // Assess
    for (const o of stored) {
      const seenLive = live.filter((v) => v.name === o.name);
      if (o.liveSource === 'live') {
        expect(seenLive.length, `${o.apiVersion} ${o.kind} live`).toBe(1);
      } else {
        // Served through the newer version, the object no longer says how it was written: only the annotation does.
        expect(seenLive, `${o.apiVersion} ${o.kind} live`).toEqual([]);
        expect(
          applied.filter((v) => key(v) === key(o)),
          `${o.apiVersion} ${o.kind} last-applied`,
        ).toHaveLength(1);
      }
    }
    expect([...live, ...applied].every((v) => v.status === 'removed' && v.removedIn !== undefined)).toBe(true);
  });

  it('finds each object in the manifest of the deployed Helm release', () => {
    // Act
    const helm = verdicts('helm');

    // Assess
    expect(helm.map(key).sort()).toEqual(stored.map(key).sort());
    expect(helm.every((v) => v.status === 'removed')).toBe(true);
    expect(helm[0]?.source).toEqual({ type: 'helm', release: 'charts/legacy', revision: 2 });
    expect(scan.helmReleases).toBe(1);
    expect(scan.incomplete).toEqual([]);
  });

  it('finds nothing removed the release before the wave', () => {
    const earlier = scan.usages.map((u) => judgeUsage(u, addMinor(wave, -1)));
    expect(earlier.filter((v) => v?.status === 'removed' && v.removedIn === wave)).toEqual([]);
  });
});
