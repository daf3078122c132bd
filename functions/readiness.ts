import { z } from 'zod';
import { checkReadiness } from '../lib/readiness/index.js';
import { defineHandler } from '../lib/runtime/index.js';
import { clusterRef, hopSchema } from './schemas.js';

const event = z.object({ ...clusterRef, hop: hopSchema });

/** Runs the pre-flight for one hop; blockers stop the execution with the report as the cause. */
export const handler = defineHandler('readiness', event, async (input, deps) => {
  const aws = deps.aws(input.region);
  const kube = await deps.kube({ name: input.cluster, region: input.region });
  const report = await checkReadiness(
    { eks: aws.eks, kube },
    {
      cluster: input.cluster,
      from: input.hop.from,
      to: input.hop.to,
      controlPlane: input.hop.controlPlane,
      addons: input.hop.addons,
    },
  );
  deps.metrics.addMetric('ReadinessWarnings', 'Count', report.warnings);
  // Keep the state payload small: the first objects of each finding are enough for people and the console.
  return { ...report, findings: report.findings.map((f) => ({ ...f, objects: f.objects.slice(0, 10) })) };
});
