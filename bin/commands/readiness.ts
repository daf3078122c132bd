import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { type Command, Option } from 'commander';
import { createAwsClients } from '../../lib/aws/clients.js';
import { everyAwsClient } from '../../lib/aws/every-client.js';
import { connectToCluster, type KubeApis } from '../../lib/kube/index.js';
import {
  checkReadiness,
  type ReadinessDeps,
  type ReadinessReport,
  renderMarkdown,
  renderText,
} from '../../lib/readiness/index.js';
import { compareMinor, minorOf } from '../../lib/versions/index.js';
import { connectToScenario } from '../../local/inspect.js';
import { loadScenario } from '../../sim/scenario.js';

interface Options {
  cluster: string;
  target: string;
  scenario?: string;
  region?: string;
  output: 'text' | 'json' | 'markdown';
}

/** Clients for a scenario's simulated world, or for the real cluster with the caller's AWS credentials. */
async function connect(options: Options): Promise<{ deps: ReadinessDeps; close: () => Promise<void> }> {
  const now = () => new Date();
  if (options.scenario) {
    const world = await connectToScenario(loadScenario(options.scenario), options.cluster);
    return { deps: { ...world.aws, kube: world.kube, now }, close: world.close };
  }
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('say which region the cluster is in: --region, or AWS_REGION in the environment');
  const aws = createAwsClients({ classes: everyAwsClient, region });
  const kube: KubeApis = await connectToCluster({ aws, now }, { name: options.cluster });
  return { deps: { ...aws, kube, now }, close: async () => {} };
}

function render(report: ReadinessReport, output: Options['output']): string {
  if (output === 'json') return JSON.stringify(report, null, 2);
  return output === 'markdown' ? renderMarkdown(report, { maxObjects: 20 }) : renderText(report);
}

/**
 * `eks-upgrade readiness`: the pre-flight the pipeline runs before a hop, read-only, against a real cluster or a
 * scenario. Exits 3 when something blocks the hop, 2 when only warnings remain, 0 when nothing is in the way.
 */
export function registerReadiness(program: Command): void {
  program
    .command('readiness')
    .description('Check whether a cluster is ready to upgrade to a version (read-only)')
    .requiredOption('--cluster <name>', 'the EKS cluster (or the scenario cluster with --scenario)')
    .requiredOption('--target <version>', 'the Kubernetes version to upgrade to, such as 1.33')
    .option('--scenario <file>', 'check a cluster of a scenario in the simulator instead of a real one')
    .option('--region <region>', 'the AWS region of a real cluster (default: AWS_REGION)')
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .action(async (options: Options) => {
      const { deps, close } = await connect(options);
      try {
        const { cluster } = await deps.eks.send(new DescribeClusterCommand({ name: options.cluster }));
        const from = minorOf(cluster?.version ?? '0.0');
        const to = minorOf(options.target);
        if (compareMinor(to, from) < 0) throw new Error(`--target ${to} is older than the cluster's ${from}`);
        const report = await checkReadiness(deps, { cluster: options.cluster, from, to });
        process.stdout.write(`${render(report, options.output)}\n`);
        process.exitCode = report.counts.blocker > 0 ? 3 : report.counts.warning > 0 ? 2 : 0;
      } finally {
        await close();
      }
    });
}
