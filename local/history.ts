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
