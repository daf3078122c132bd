import type { z } from 'zod';
import { InvalidInput } from '../errors.js';
import { currentDeps, type DeclaredNeeds, type HandlerNeeds, type RuntimeDeps } from './deps.js';
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

/** One set of needs from several (a function built on several rooms): every client any of them names. */
function combineNeeds(needs: HandlerNeeds | readonly HandlerNeeds[]): HandlerNeeds {
  const list: readonly HandlerNeeds[] = Array.isArray(needs) ? needs : [needs as HandlerNeeds];
  const kube = list.find((n) => n.kube)?.kube;
  return { aws: Object.assign({}, ...list.map((n) => n.aws ?? {})), ...(kube ? { kube } : {}) };
}

/**
 * Wraps a domain call as a Lambda handler: validates the event, sets the log context, maps errors to the typed
 * names the state machine routes on, and publishes metrics. `needs` names the AWS clients the function calls and
 * whether it talks to clusters; nothing else is built, or bundled.
 */
export function defineHandler<S extends z.ZodTypeAny, R>(
  name: string,
  schema: S,
  needs: HandlerNeeds | readonly HandlerNeeds[],
  run: (input: z.infer<S>, deps: RuntimeDeps) => Promise<R>,
): ((event: unknown) => Promise<R>) & { readonly needs: DeclaredNeeds } {
  const declared: DeclaredNeeds = { ...combineNeeds(needs), functionName: name };
  if (declared.kube && !declared.aws?.eks) {
    // Connecting to a cluster starts with EKS DescribeCluster.
    throw new Error(`the ${name} function talks to clusters, so its needs must include the EKS client`);
  }
  const handler = async (event: unknown) => {
    const deps = currentDeps(declared);
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
  // What the function declared, for the bundle checks (test/bundles.test.ts).
  return Object.assign(handler, { needs: declared });
}
