import { z } from 'zod';
import { hopWindow } from '../lib/dispatch/index.js';
import { defineHandler } from '../lib/runtime/index.js';
import { clusterRef, hopSchema, policy } from './schemas.js';

const event = z.object({ ...clusterRef, hop: hopSchema.passthrough(), policy });

/** Says whether a hop's control plane update may start now, or until when the state machine waits. */
export const handler = defineHandler('maintenanceWindow', event, {}, async (input, deps) => {
  const window = hopWindow(input.policy, deps.clock.now());
  deps.log.info('maintenance window', { open: window.open, reason: window.reason });
  return window;
});
