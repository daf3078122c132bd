/**
 * The middleware that serves SDK v3 commands from the simulated account. It sits in the `finalizeRequest` step
 * right after request signing and never calls `next`, so nothing is sent: the command's input goes to the
 * simulated service and its answer comes back as the command's output (or as the SDK's exception). Sitting after
 * the SDK's retry middleware, its errors are retried as AWS's would be (throttling, 5xx) when the client allows
 * more than one attempt; sitting after signing, it knows which credentials signed the call.
 */
import type {
  FinalizeHandler,
  FinalizeHandlerArguments,
  FinalizeHandlerOutput,
  HandlerExecutionContext,
  MetadataBearer,
  MiddlewareStack,
  Pluggable,
} from '@smithy/types';
import type { AwsServiceName, ClientInterceptor } from '../../lib/aws/clients.js';
import type { SimServiceName } from './types.js';

/** Answers one command: the output without `$metadata`, or throws the SDK error. */
export type SimDispatch = (call: {
  service: SimServiceName;
  region: string;
  /** As the SDK names it in the handler context, e.g. `DescribeClusterCommand`. */
  commandName: string;
  clientName: string;
  input: unknown;
  /** The access key id of the credentials that signed the call (SigV4 `Credential=`). */
  accessKeyId?: string;
}) => { output: object; requestId: string } | Promise<{ output: object; requestId: string }>;

const SIMULATED: ReadonlySet<AwsServiceName> = new Set(['eks', 'autoscaling', 'ec2', 'ssm', 'sns', 'sts', 's3']);

/** The access key id from a SigV4 `Authorization` header: `AWS4-HMAC-SHA256 Credential=<key>/<scope>, ...`. */
function signingKey(request: unknown): string | undefined {
  const headers = (request as { headers?: Record<string, string> } | undefined)?.headers ?? {};
  const authorization = headers.authorization ?? headers.Authorization ?? '';
  return /Credential=([^/,\s]+)\//.exec(authorization)?.[1];
}

/** Builds the interceptor for `createAwsClients`. Step Functions is left alone (another part simulates it). */
export function simulatorInterceptor(dispatch: SimDispatch): ClientInterceptor {
  return ({ service, region }) => ({
    applyToStack(stack: MiddlewareStack<object, object>) {
      if (!SIMULATED.has(service)) return;
      stack.addRelativeTo(
        (_next: FinalizeHandler<object, object>, context: HandlerExecutionContext) =>
          async (args: FinalizeHandlerArguments<object>): Promise<FinalizeHandlerOutput<object>> => {
            // The serializer passes the command's input along with the HTTP request it built.
            const input = (args as FinalizeHandlerArguments<object> & { input?: unknown }).input;
            const accessKeyId = signingKey(args.request);
            const { output, requestId } = await dispatch({
              service: service as SimServiceName,
              region,
              commandName: context.commandName ?? '',
              clientName: context.clientName ?? '',
              input,
              ...(accessKeyId ? { accessKeyId } : {}),
            });
            const $metadata: MetadataBearer['$metadata'] = {
              httpStatusCode: 200,
              requestId,
              attempts: 1,
              totalRetryDelay: 0,
            };
            return { output: { ...output, $metadata }, response: {} };
          },
        {
          relation: 'after',
          toMiddleware: 'httpSigningMiddleware',
          name: 'simulatedAwsAccount',
          tags: ['SIMULATOR'],
        },
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
