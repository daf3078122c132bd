/**
 * What the simulated AWS answered, for referees: every call the simulated account and the local Step Functions
 * serve (operation, input, and the output or the error code and HTTP status) goes to the observers registered
 * here, so a test can hold the simulator to the AWS service models (test/referees/). Nothing is recorded, and
 * nothing costs anything, while no one observes.
 */

/** The services whose calls are observed: the simulated account's, and Step Functions (`sfn`). */
export type ObservedService = 'eks' | 'autoscaling' | 'ec2' | 'ssm' | 'sns' | 'sts' | 's3' | 'sfn';

/** One call as the simulator answered it, with values encoded for JSON (see `encodeAwsValue`). */
export interface AwsCallRecord {
  service: ObservedService;
  /** As the API reference names it, e.g. `DescribeCluster`. */
  operation: string;
  input: unknown;
  output?: unknown;
  error?: AwsCallError;
}

/** How a call failed; `notSimulated` marks the simulator refusing what it does not model (not an AWS answer). */
export interface AwsCallError {
  code: string;
  httpStatusCode: number;
  notSimulated?: boolean;
}

export type AwsCallObserver = (call: AwsCallRecord) => void;

const observers = new Set<AwsCallObserver>();

/** Calls `observer` with every call answered from now on; returns the function that stops it. */
export function observeAwsCalls(observer: AwsCallObserver): () => void {
  observers.add(observer);
  return () => {
    observers.delete(observer);
  };
}

/** Reports one answered call to the observers (encoding it only when someone listens). */
export function reportAwsCall(call: {
  service: ObservedService;
  operation: string;
  input: unknown;
  output?: unknown;
  error?: AwsCallError;
}): void {
  if (observers.size === 0) return;
  const record: AwsCallRecord = {
    service: call.service,
    operation: call.operation.replace(/Command$/, ''),
    input: encodeAwsValue(call.input),
    ...(call.output !== undefined ? { output: encodeAwsValue(call.output) } : {}),
    ...(call.error ? { error: call.error } : {}),
  };
  for (const observer of observers) observer(record);
}

/**
 * A value as JSON can carry it without losing what the model checks: a Date becomes `{"$timestamp": iso}` (so a
 * string where the model wants a timestamp stays visible), bytes `{"$blob": length}`, a stream or any other
 * non-plain object `{"$stream": constructor}`; `undefined` members are dropped as the SDK drops them.
 */
export function encodeAwsValue(value: unknown, depth = 0): unknown {
  if (depth > 32) return { $tooDeep: true };
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? Number(value) : value;
  }
  if (value instanceof Date)
    return { $timestamp: Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString() };
  if (value instanceof Uint8Array) return { $blob: value.byteLength };
  if (Array.isArray(value)) return value.map((v) => encodeAwsValue(v, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return { $stream: value.constructor?.name ?? 'object' };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || k === '$metadata') continue;
    out[k] = encodeAwsValue(v, depth + 1);
  }
  return out;
}
