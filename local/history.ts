import type { HistoryEvent as SdkHistoryEvent } from '@aws-sdk/client-sfn';
import type { HistoryEvent } from './stepfunctions.js';

const json = (value: unknown): string => JSON.stringify(value ?? null);

/**
 * A local history event in the shape GetExecutionHistory returns
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html): the details object
 * named after the event type; inputs, outputs and parameters as JSON strings, left out when
 * `includeExecutionData` is false (errors and causes stay).
 */
export function toSdkHistoryEvent(
  event: HistoryEvent,
  options: { withData: boolean; region: string },
): SdkHistoryEvent {
  const data = <T extends object>(details: T): T | Record<string, never> => (options.withData ? details : {});
  const base: SdkHistoryEvent = {
    id: event.id,
    timestamp: event.timestamp,
    type: event.type as SdkHistoryEvent['type'],
    ...(event.previousEventId ? { previousEventId: event.previousEventId } : {}),
  };
  const task = { resourceType: event.resourceType ?? 'lambda', resource: event.resource ?? 'invoke' };
  switch (event.type) {
    case 'ExecutionStarted':
      return { ...base, executionStartedEventDetails: data({ input: json(event.input) }) };
    case 'ExecutionSucceeded':
      return { ...base, executionSucceededEventDetails: data({ output: json(event.output) }) };
    case 'ExecutionFailed':
      return { ...base, executionFailedEventDetails: { error: event.error, cause: event.cause } };
    case 'ExecutionAborted':
      return {
        ...base,
        executionAbortedEventDetails: {
          ...(event.error !== undefined ? { error: event.error } : {}),
          ...(event.cause !== undefined ? { cause: event.cause } : {}),
        },
      };
    case 'TaskScheduled':
      return {
        ...base,
        taskScheduledEventDetails: {
          ...task,
          region: options.region,
          parameters: options.withData ? json(event.parameters) : undefined,
          ...(event.timeoutInSeconds ? { timeoutInSeconds: event.timeoutInSeconds } : {}),
        },
      };
    case 'TaskStarted':
      return { ...base, taskStartedEventDetails: task };
    case 'TaskSubmitted':
      return { ...base, taskSubmittedEventDetails: { ...task, ...data({ output: json(event.output) }) } };
    case 'TaskSucceeded':
      return { ...base, taskSucceededEventDetails: { ...task, ...data({ output: json(event.output) }) } };
    case 'TaskFailed':
      return { ...base, taskFailedEventDetails: { ...task, error: event.error, cause: event.cause } };
    case 'TaskTimedOut':
      return { ...base, taskTimedOutEventDetails: { ...task, error: event.error, cause: event.cause } };
    case 'MapIterationStarted':
      return { ...base, mapIterationStartedEventDetails: { name: event.stateName, index: event.mapIndex } };
    case 'MapIterationSucceeded':
      return { ...base, mapIterationSucceededEventDetails: { name: event.stateName, index: event.mapIndex } };
    case 'MapIterationFailed':
      return { ...base, mapIterationFailedEventDetails: { name: event.stateName, index: event.mapIndex } };
    default:
      if (event.type.endsWith('StateEntered'))
        return { ...base, stateEnteredEventDetails: { name: event.stateName, ...data({ input: json(event.input) }) } };
      if (event.type.endsWith('StateExited'))
        return { ...base, stateExitedEventDetails: { name: event.stateName, ...data({ output: json(event.output) }) } };
      return base;
  }
}

/**
 * Whether Step Functions itself writes an event of this type. The local interpreter also records its own
 * (`StateCaught`, `StateRetried`, `ParallelBranch*`, a `<Type>StateFailed` for every state that fails) for the
 * runner and its tests; GetExecutionHistory leaves them out, as AWS has none of them: a failed Task shows its
 * `TaskFailed` and then either the `TaskStateExited` of its Catch or `ExecutionFailed`, a Fail state its
 * `FailStateEntered` and then `ExecutionFailed` (HistoryEventType in the API reference).
 */
export function writtenByStepFunctions(type: string): boolean {
  if (type === 'StateCaught' || type === 'StateRetried' || type === 'Unknown') return false;
  if (type.startsWith('ParallelBranch')) return false;
  if (type.endsWith('StateFailed')) return type === 'MapStateFailed' || type === 'ParallelStateFailed';
  return true;
}

/**
 * The history as Step Functions records it: only the events it writes, numbered from 1 without gaps, each
 * `previousEventId` pointing at the nearest event that is kept.
 */
export function stepFunctionsHistory(events: readonly HistoryEvent[]): HistoryEvent[] {
  const renumbered = new Map<number, number>();
  const out: HistoryEvent[] = [];
  for (const event of events) {
    const previous = event.previousEventId ? (renumbered.get(event.previousEventId) ?? 0) : 0;
    if (!writtenByStepFunctions(event.type)) {
      renumbered.set(event.id, previous);
      continue;
    }
    const id = out.length + 1;
    renumbered.set(event.id, id);
    const { previousEventId: _previous, ...rest } = event;
    out.push({ ...rest, id, ...(previous ? { previousEventId: previous } : {}) });
  }
  return out;
}
