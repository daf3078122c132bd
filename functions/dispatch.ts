import { z } from 'zod';
import { dispatchUpgrades, parseDispatchEvent } from '../lib/dispatch/index.js';
import { InvalidInput } from '../lib/errors.js';
import { defineHandler } from '../lib/runtime/index.js';

/** Starts upgrade executions for the clusters a schedule or an AWS Health event concerns. */
export const handler = defineHandler('dispatch', z.unknown(), async (event, deps) => {
  const trigger = parseDispatchEvent(event);
  const stateMachineArn = deps.settings.stateMachineArn;
  if (!stateMachineArn)
    throw new InvalidInput('STATE_MACHINE_ARN is not set on the dispatch function; deploy with serverless.yml');
  const decisions = await dispatchUpgrades(
    {
      eks: (region) => deps.aws(region).eks,
      autoscaling: (region) => deps.aws(region).autoscaling,
      sfn: deps.aws(deps.settings.region).sfn,
      log: deps.log,
      now: () => deps.clock.now(),
    },
    { trigger, stateMachineArn, defaultRegion: deps.settings.region },
  );
  return { started: decisions.filter((d) => d.decision === 'started').length, decisions };
});
