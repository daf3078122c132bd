/**
 * The middleware that serves SDK v3 commands from the simulated account. It sits at the top of the `initialize`
 * step and never calls `next`, so nothing is serialized, signed or sent: the command's input goes to the simulated
 * service and its answer comes back as the command's output (or as the SDK's exception).
 */
import type {
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  InitializeHandlerOutput,
  MetadataBearer,
  MiddlewareStack,
  Pluggable,
} from '@smithy/types';
import type { AwsServiceName, ClientInterceptor } from '../../aws/clients.js';
import type { SimServiceName } from './types.js';

/** Answers one command: the output without `$metadata`, or throws the SDK error. */
export type SimDispatch = (call: {
  service: SimServiceName;
  region: string;
  /** As the SDK names it in the handler context, e.g. `DescribeClusterCommand`. */
  commandName: string;
  clientName: string;
  input: unknown;
}) => { output: object; requestId: string };

const SIMULATED: ReadonlySet<AwsServiceName> = new Set(['eks', 'autoscaling', 'ec2', 'ssm', 'sns', 'sts']);

/** Builds the interceptor for `createAwsClients`. Step Functions is left alone (another part simulates it). */
export function simulatorInterceptor(dispatch: SimDispatch): ClientInterceptor {
  return ({ service, region }) => ({
    applyToStack(stack: MiddlewareStack<object, object>) {
      if (!SIMULATED.has(service)) return;
      stack.add(
        (_next: InitializeHandler<object, object>, context: HandlerExecutionContext) =>
          async (args: InitializeHandlerArguments<object>): Promise<InitializeHandlerOutput<object>> => {
            const { output, requestId } = dispatch({
              service: service as SimServiceName,
              region,
              commandName: context.commandName ?? '',
              clientName: context.clientName ?? '',
              input: args.input,
            });
            const $metadata: MetadataBearer['$metadata'] = {
              httpStatusCode: 200,
              requestId,
              attempts: 1,
              totalRetryDelay: 0,
            };
            return { output: { ...output, $metadata }, response: {} };
          },
        { step: 'initialize', priority: 'high', name: 'simulatedAwsAccount', tags: ['SIMULATOR'] },
      );
    },
  });
}

/** Combines interceptors (e.g. this account's and the Step Functions simulator's) into one. */
export function combineInterceptors(...interceptors: ClientInterceptor[]): ClientInterceptor {
  return (client) => {
    const pluggables: Pluggable<object, object>[] = interceptors.map((i) => i(client));
    return {
      applyToStack(stack: MiddlewareStack<object, object>) {
        for (const p of pluggables) p.applyToStack(stack);
      },
    };
  };
}
