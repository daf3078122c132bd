import { handler as addons } from '../functions/addons.js';
import { handler as approvalCallback } from '../functions/approvalCallback.js';
import { handler as approvalRequest } from '../functions/approvalRequest.js';
import { handler as consoleApi } from '../functions/console.js';
import { handler as controlPlane } from '../functions/controlPlane.js';
import { handler as maintenanceWindow } from '../functions/maintenanceWindow.js';
import { handler as nodegroups } from '../functions/nodegroups.js';
import { handler as notify } from '../functions/notify.js';
import { handler as plan } from '../functions/plan.js';
import { handler as readiness } from '../functions/readiness.js';
import { handler as slackInteractivity } from '../functions/slackInteractivity.js';
import { handler as validate } from '../functions/validate.js';

/** The real Lambda handlers, by their serverless.yml function names. */
export const localFunctions: Record<string, (event: unknown) => Promise<unknown>> = {
  plan,
  readiness,
  controlPlane,
  addons,
  nodegroups,
  validate,
  maintenanceWindow,
  approvalRequest,
  notify,
  // Behind the HTTP API: the local API server (local/api-server.ts) serves them.
  approvalCallback,
  slackInteractivity,
  console: consoleApi,
};
