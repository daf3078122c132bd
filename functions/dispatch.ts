import { z } from 'zod';
import {
  defaultPolicyFile,
  dispatchFleet,
  dispatchNeeds,
  loadPolicyFile,
  parseDispatchEvent,
} from '../lib/dispatch/index.js';
import { InvalidInput } from '../lib/errors.js';
import { fleetStoreNeeds, s3FleetStore } from '../lib/fleet/index.js';
import { defineHandler } from '../lib/runtime/index.js';

/**
 * Decides, for the clusters a schedule or an AWS Health event concerns, what to do now, starts the upgrades that
 * are due (none with `dryRun`), and writes the fleet snapshot. A bad policy file stops it before anything starts.
 */
export const handler = defineHandler('dispatch', z.unknown(), [dispatchNeeds, fleetStoreNeeds], async (event, deps) => {
  const trigger = parseDispatchEvent(event);
  const { stateMachineArn, region, fleetBucket, fleetAccounts, fleetRegions } = deps.settings;
  if (!stateMachineArn)
    throw new InvalidInput('STATE_MACHINE_ARN is not set on the dispatch function; deploy with serverless.yml');
  const policy = loadPolicyFile(deps.settings.policyFile ?? defaultPolicyFile);
  const own = deps.aws(region);
  const run = await dispatchFleet(
    {
      eks: (cluster) => deps.aws(cluster.region, cluster.accountId).eks,
      supportEks: own.eks,
      sfn: own.sfn,
      clock: deps.clock,
      log: deps.log,
      ...(fleetBucket ? { store: s3FleetStore({ s3: own.s3, bucket: fleetBucket }) } : {}),
      ...(deps.settings.topicArn ? { notify: { sns: own.sns, topicArn: deps.settings.topicArn } } : {}),
    },
    {
      trigger,
      policy,
      stateMachineArn,
      accounts: fleetAccounts ?? [],
      regions: fleetRegions ?? [region],
      apply: !(trigger.kind === 'schedule' && trigger.dryRun),
    },
  );
  return { started: run.started, decisions: run.clusters, problems: run.problems };
});
