import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidToken,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { executionArnPrefix } from '../approvals/index.js';
import { InvalidInput } from '../errors.js';

/** One history event as the execution page's event table shows it: what the Step Functions console shows. */
export interface ExecutionEventView {
  id: number;
  previousEventId?: number;
  timestamp: string;
  /** Seconds since the execution started. */
  elapsedSeconds: number;
  type: string;
  /** The state the event belongs to, when it belongs to one. */
  state?: string;
  /** Map iterations: the item's index. */
  index?: number;
  /** Task events: the integration and the function or resource called. */
  resource?: string;
  /** The state's input (entered), output (exited), a task's parameters or result: JSON text, bounded. */
  input?: string;
  output?: string;
  parameters?: string;
  error?: string;
  cause?: string;
  /** A payload was longer than the page shows: the first characters are kept. */
  truncated?: boolean;
}

export interface ExecutionEventsPage {
  execution: string;
  events: ExecutionEventView[];
  /** Pass back as `next` for the following page. */
  next?: string;
}

/** A state's input or output can be 256 KiB; the page shows the first 32 KiB of each. */
const maxPayloadChars = 32 * 1024;

function bounded(text: string | undefined, view: { truncated?: boolean }): string | undefined {
  if (text === undefined) return undefined;
  let pretty = text;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not JSON: shown as it is.
  }
  if (pretty.length <= maxPayloadChars) return pretty;
  view.truncated = true;
  return `${pretty.slice(0, maxPayloadChars)}…`;
}

function eventView(e: HistoryEvent, startedAt: Date | undefined): ExecutionEventView {
  const at = e.timestamp ?? new Date(0);
  const view: ExecutionEventView = {
    id: e.id ?? 0,
    ...(e.previousEventId ? { previousEventId: e.previousEventId } : {}),
    timestamp: at.toISOString(),
    elapsedSeconds: startedAt ? Math.max(0, (at.getTime() - startedAt.getTime()) / 1000) : 0,
    type: e.type ?? 'Unknown',
  };
  const set = (key: 'input' | 'output' | 'parameters', text: string | undefined) => {
    const value = bounded(text, view);
    if (value !== undefined) view[key] = value;
  };
  const entered = e.stateEnteredEventDetails;
  if (entered?.name) view.state = entered.name;
  set('input', entered?.input);
  const exited = e.stateExitedEventDetails;
  if (exited?.name) view.state = exited.name;
  set('output', exited?.output);
  const iteration =
    e.mapIterationStartedEventDetails ??
    e.mapIterationSucceededEventDetails ??
    e.mapIterationFailedEventDetails ??
    e.mapIterationAbortedEventDetails;
  if (iteration?.name) view.state = iteration.name;
  if (iteration?.index !== undefined) view.index = iteration.index;
  set('input', e.executionStartedEventDetails?.input);
  set('output', e.executionSucceededEventDetails?.output);
  const task =
    e.taskScheduledEventDetails ??
    e.taskStartedEventDetails ??
    e.taskSubmittedEventDetails ??
    e.taskSucceededEventDetails ??
    e.taskFailedEventDetails ??
    e.taskTimedOutEventDetails;
  if (task?.resourceType) view.resource = `${task.resourceType}:${task.resource}`;
  set('parameters', e.taskScheduledEventDetails?.parameters);
  set('output', e.taskSubmittedEventDetails?.output ?? e.taskSucceededEventDetails?.output);
  const lambda = e.lambdaFunctionScheduledEventDetails;
  if (lambda?.resource) view.resource = lambda.resource;
  set('input', lambda?.input);
  set('output', e.lambdaFunctionSucceededEventDetails?.output);
  const failed =
    e.taskFailedEventDetails ??
    e.taskTimedOutEventDetails ??
    e.taskStartFailedEventDetails ??
    e.taskSubmitFailedEventDetails ??
    e.lambdaFunctionFailedEventDetails ??
    e.lambdaFunctionTimedOutEventDetails ??
    e.executionFailedEventDetails ??
    e.executionAbortedEventDetails ??
    e.executionTimedOutEventDetails;
  if (failed?.error) view.error = failed.error;
  if (failed?.cause) view.cause = bounded(failed.cause, view) ?? failed.cause;
  return view;
}

/**
 * One page of an execution's event history, oldest first, with each state's input and output: the event table
 * of the execution page. Undefined when the state machine has no execution of that name.
 */
export async function executionEvents(
  deps: { sfn: SFNClient },
  request: { stateMachineArn: string; executionName: string; next?: string; limit?: number },
): Promise<ExecutionEventsPage | undefined> {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(request.executionName)) return undefined;
  const executionArn = `${executionArnPrefix(request.stateMachineArn)}${request.executionName}`;
  const limit = request.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new InvalidInput('limit must be a whole number from 1 to 500');
  try {
    const { startDate } = await deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const page = await deps.sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        includeExecutionData: true,
        maxResults: limit,
        ...(request.next ? { nextToken: request.next } : {}),
      }),
    );
    return {
      execution: request.executionName,
      events: (page.events ?? []).map((e) => eventView(e, startDate)),
      ...(page.nextToken ? { next: page.nextToken } : {}),
    };
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return undefined;
    if (error instanceof InvalidToken)
      throw new InvalidInput('next is not a page token of this execution: start again from the first page');
    throw error;
  }
}
