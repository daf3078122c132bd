import { z } from 'zod';
import { checkReadiness, readinessNeeds, readinessSummary, renderMarkdown } from '../lib/readiness/index.js';
import { defineHandler } from '../lib/runtime/index.js';
import { clusterRef, hopSchema } from './schemas.js';

const event = z.object({ ...clusterRef, hop: hopSchema });

/**
 * Runs the pre-flight for one hop and returns its summary. The state machine routes blockers to the readiness
 * override gate, which stops the upgrade with ReadinessBlocked (nothing changed) unless the policy lets a person
 * override soft blockers; blockers marked hard are never offered.
 */
export const handler = defineHandler('readiness', event, readinessNeeds, async (input, deps) => {
  const aws = deps.aws(input.region, input.accountId);
  const kube = await deps.kube({ name: input.cluster, region: input.region, accountId: input.accountId });
  const report = await checkReadiness(
    { eks: aws.eks, ec2: aws.ec2, autoscaling: aws.autoscaling, kube, now: () => deps.clock.now() },
    {
      cluster: input.cluster,
      from: input.hop.from,
      to: input.hop.to,
      addons: input.hop.addons,
      nodegroups: input.hop.nodegroups,
    },
  );
  const summary = readinessSummary(report);
  deps.metrics.addMetric('ReadinessBlockers', 'Count', summary.blockers);
  deps.metrics.addMetric('ReadinessWarnings', 'Count', summary.warnings);
  // The whole report goes to the log, where the console and people can read it; the execution keeps the summary.
  deps.log.info('readiness checked', {
    ready: report.ready,
    counts: report.counts,
    scanned: report.scanned,
    report: renderMarkdown(report, { maxObjects: 20 }),
  });
  return summary;
});
