import type { z } from 'zod';
import { InvalidInput } from '../errors.js';
import { currentDeps, type RuntimeDeps } from './deps.js';
import { toUpgradeError } from './errors.js';

/** The keys every log line of an invocation carries, when the input has them. */
function logKeys(input: unknown): Record<string, unknown> {
  if (!input || typeof input !== 'object') return {};
  const i = input as { cluster?: unknown; hop?: { to?: unknown }; executionName?: unknown; toVersion?: unknown };
  return {
    ...(typeof i.cluster === 'string' ? { cluster: i.cluster } : {}),
    ...(i.hop?.to ? { hop: i.hop.to } : typeof i.toVersion === 'string' ? { hop: i.toVersion } : {}),
    ...(typeof i.executionName === 'string' ? { execution: i.executionName } : {}),
  };
}

function describeInvalid(name: string, error: z.ZodError): string {
  const fields = error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');
  return `${name} received an invalid event (${fields}); check the state machine's Parameters for this task`;
}

/**
 * Wraps a domain call as a Lambda handler: validates the event, sets the log context, maps errors to the typed
 * names the state machine routes on, and publishes metrics.
 */
export function defineHandler<S extends z.ZodTypeAny, R>(
  name: string,
  schema: S,
  run: (input: z.infer<S>, deps: RuntimeDeps) => Promise<R>,
): (event: unknown) => Promise<R> {
  return async (event: unknown) => {
    const deps = currentDeps();
    deps.log.resetKeys();
    deps.log.appendKeys({ function: name, ...logKeys(event) });
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      const error = new InvalidInput(describeInvalid(name, parsed.error));
      deps.log.error('invalid event', { error: error.message });
      throw error;
    }
    try {
      return await run(parsed.data, deps);
    } catch (raw) {
      const error = toUpgradeError(raw);
      deps.log.error('task failed', { errorName: error.name, error: error.message });
      throw error;
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
}
