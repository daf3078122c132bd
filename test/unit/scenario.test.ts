import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { AddonIssueCode, ClusterIssueCode, ErrorCode, NodegroupIssueCode } from '@aws-sdk/client-eks';
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

describe('scenario fault codes, held to the EKS service model', () => {
  const withFault = (fault: Record<string, unknown>) => ({
    name: 'x',
    clusters: [
      {
        name: 'a',
        region: 'eu-west-1',
        version: '1.32',
        addons: [{ name: 'coredns' }],
        managedNodegroups: [{ name: 'general', desiredSize: 2 }],
        faults: [fault],
      },
    ],
  });

  it.each([
    [{ type: 'controlPlaneUpdateFails', toVersion: '1.33', errorCode: 'Boom' }, 'ErrorCode'],
    [{ type: 'addonUpdateFails', addon: 'coredns', errorCode: 'AddonBroken' }, 'ErrorCode'],
    [{ type: 'clusterHealthIssue', code: 'SubnetGone' }, 'ClusterIssueCode'],
    [{ type: 'nodegroupDegraded', nodegroup: 'general', code: 'NodesSad' }, 'NodegroupIssueCode'],
    [{ type: 'addonDegraded', addon: 'coredns', code: 'Unhealthy' }, 'AddonIssueCode'],
  ])('refuses %o, a code EKS never sends, listing the codes of %s', (fault, enumName) => {
    expect(() => parseScenario(withFault(fault), 'bad.yaml')).toThrow(
      new RegExp(`faults\\.0\\.(errorCode|code): must be one of the codes EKS sends as ${enumName}: .*AccessDenied`),
    );
  });

  it('accepts every code the model lists, with the defaults among them', () => {
    expect(() =>
      parseScenario(withFault({ type: 'controlPlaneUpdateFails', toVersion: '1.33', errorCode: 'SubnetNotFound' })),
    ).not.toThrow();
    const parsed = parseScenario(withFault({ type: 'nodegroupDegraded', nodegroup: 'general' }));
    expect(parsed.clusters[0]?.faults[0]).toMatchObject({ code: 'AsgInstanceLaunchFailures' });
  });

  it('uses the same enums as botocore’s EKS model', () => {
    const run = spawnSync(
      'python3',
      [
        '-c',
        'import botocore.session,json;m=botocore.session.get_session().get_service_model("eks");' +
          'print(json.dumps({n:sorted(m.shape_for(n).enum) for n in ["ErrorCode","NodegroupIssueCode","AddonIssueCode","ClusterIssueCode"]}))',
      ],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    const botocore = JSON.parse(run.stdout) as Record<string, string[]>;
    const sdk = { ErrorCode, NodegroupIssueCode, AddonIssueCode, ClusterIssueCode };
    for (const [name, values] of Object.entries(sdk))
      expect(Object.values(values).sort(), name).toEqual(botocore[name]);
  });

  it('refuses a throttle fault on an operation the service does not have', () => {
    expect(() =>
      parseScenario(withFault({ type: 'throttle', service: 'eks', operation: 'DescribeClusters', times: 1 })),
    ).toThrow(/faults\.0\.operation: eks has no operation "DescribeClusters".*DescribeCluster\)/);
    expect(() =>
      parseScenario(
        withFault({ type: 'throttle', service: 'autoscaling', operation: 'DescribeAutoScalingGroups', times: 1 }),
      ),
    ).not.toThrow();
  });
});
