import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, ScenarioError } from '../../sim/scenario.js';

const scenariosDir = new URL('../../scenarios/', import.meta.url);

describe('scenario files', () => {
  it('ships scenarios that all validate', () => {
    const files = readdirSync(scenariosDir).filter((f) => f.endsWith('.yaml'));
    expect(files).toContain('demo.yaml');
    for (const f of files) expect(() => loadScenario(new URL(f, scenariosDir).pathname)).not.toThrow();
  });

  it('the demo is a 1.32 cluster targeting 1.34 with PDB-protected workloads on a managed node group', () => {
    const demo = loadScenario(new URL('demo.yaml', scenariosDir).pathname);
    const cluster = demo.clusters[0];
    expect(cluster?.version).toBe('1.32');
    expect(cluster?.policy.target).toBe('1.34');
    expect(cluster?.managedNodegroups.length).toBeGreaterThan(0);
    expect(cluster?.workloads.some((w) => w.pdb)).toBe(true);
  });

  it('names the field at fault and how to fix it', () => {
    const bad = {
      name: 'x',
      clusters: [
        {
          name: 'a',
          region: 'eu-west-1',
          version: 1.32,
          managedNodegroups: [{ name: 'g', desiredSize: 2, maxSize: 1 }],
        },
      ],
    };
    try {
      parseScenario(bad, 'bad.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      const message = (e as Error).message;
      expect(message).toContain('bad.yaml is not a valid scenario');
      expect(message).toContain('clusters.0.version: must be a quoted Kubernetes minor version');
    }
  });

  it('refuses unknown keys instead of ignoring a typo', () => {
    const bad = { name: 'x', clusters: [{ name: 'a', region: 'eu-west-1', version: '1.32', nodegroups: [] }] };
    expect(() => parseScenario(bad)).toThrow(/Unrecognized key.*nodegroups.*docs\/scenarios.md/s);
  });

  it('refuses a workload pinned to a node group the cluster lacks, and impossible sizes', () => {
    const bad = {
      name: 'x',
      clusters: [
        {
          name: 'a',
          region: 'eu-west-1',
          version: '1.32',
          managedNodegroups: [{ name: 'general', desiredSize: 3, maxSize: 2 }],
          workloads: [{ kind: 'Deployment', name: 'web', nodegroup: 'gpu' }],
        },
      ],
    };
    expect(() => parseScenario(bad)).toThrow(/node group "gpu".*have: general/);
    expect(() => parseScenario(bad)).toThrow(/minSize <= desiredSize <= maxSize/);
  });

  it('says so when the file is missing or is not YAML', () => {
    expect(() => loadScenario('/nonexistent/scenario.yaml')).toThrow(/cannot read scenario file/);
  });
});
