import { z } from 'zod';
import { InvalidInput } from '../errors.js';

/** The clusters a trigger asks about: all enrolled ones (schedule), or the ones a Health event names. */
export type DispatchTrigger =
  | { kind: 'schedule'; regions?: string[]; dryRun?: boolean }
  | { kind: 'health'; eventArn?: string; clusters: Array<{ name: string; region: string; accountId: string }> };

const scheduleEvent = z
  .object({
    source: z.literal('eks-upgrade.schedule'),
    regions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/)).optional(),
    /** Decide and report, start nothing (the CLI's `dispatch` without --apply). */
    dryRun: z.boolean().optional(),
  })
  .strict();

/** AWS Health has announced EKS version end of support under both categories. */
const lifecycleCategories = ['scheduledChange', 'plannedChange'] as const;

const healthEvent = z
  .object({
    source: z.literal('aws.health'),
    'detail-type': z.literal('AWS Health Event'),
    detail: z
      .object({
        service: z.literal('EKS'),
        eventTypeCode: z.literal('AWS_EKS_PLANNED_LIFECYCLE_EVENT'),
        eventArn: z.string().optional(),
        eventTypeCategory: z.enum(lifecycleCategories).optional(),
        eventRegion: z.string().optional(),
        affectedEntities: z.array(z.object({ entityValue: z.string() }).passthrough()).default([]),
      })
      .passthrough(),
  })
  .passthrough();

const clusterArn = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):(\d{12}):cluster\/([0-9A-Za-z][A-Za-z0-9\-_]*)$/;

/** Reads a Scheduler or AWS Health event. Throws InvalidInput for anything else, saying what was expected. */
export function parseDispatchEvent(event: unknown): DispatchTrigger {
  const schedule = scheduleEvent.safeParse(event);
  if (schedule.success)
    return {
      kind: 'schedule',
      ...(schedule.data.regions ? { regions: schedule.data.regions } : {}),
      ...(schedule.data.dryRun ? { dryRun: true } : {}),
    };
  const health = healthEvent.safeParse(event);
  if (health.success) {
    const seen = new Set<string>();
    const clusters = health.data.detail.affectedEntities.flatMap((e) => {
      const m = clusterArn.exec(e.entityValue);
      if (!m || seen.has(e.entityValue)) return [];
      seen.add(e.entityValue);
      return [{ region: m[1] as string, accountId: m[2] as string, name: m[3] as string }];
    });
    if (clusters.length === 0) {
      throw new InvalidInput(
        'the AWS Health event names no EKS cluster ARN in detail.affectedEntities[].entityValue; nothing to dispatch',
      );
    }
    return {
      kind: 'health',
      ...(health.data.detail.eventArn ? { eventArn: health.data.detail.eventArn } : {}),
      clusters,
    };
  }
  const source = (event as { source?: unknown } | null)?.source;
  const problem = (
    source === 'aws.health' ? health.error : source === 'eks-upgrade.schedule' ? schedule.error : undefined
  )?.issues
    .map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`)
    .join('; ');
  if (problem) {
    throw new InvalidInput(
      `dispatch accepts a schedule event ({"source":"eks-upgrade.schedule"}) or an AWS Health AWS_EKS_PLANNED_LIFECYCLE_EVENT for EKS (category ${lifecycleCategories.join(' or ')}); this ${String(source)} event does not match: ${problem}`,
    );
  }
  throw new InvalidInput(
    `dispatch accepts a schedule event ({"source":"eks-upgrade.schedule"}) or an AWS Health AWS_EKS_PLANNED_LIFECYCLE_EVENT for EKS (category ${lifecycleCategories.join(' or ')}); got source ${JSON.stringify(source ?? null)}`,
  );
}
