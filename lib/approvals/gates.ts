import {
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { type GateRequest, gateIdFor, gateRequestSchema } from './gate.js';
import type { SlackMessageRef } from './slack.js';

/**
 * A gate as the execution history records it. Step Functions keeps everything a decision needs: TaskScheduled
 * holds the resolved Parameters (the Payload with the task token), TaskSubmitted the approvalRequest function's
 * response (where the Slack message went), and a TaskSucceeded, TaskFailed or TaskTimedOut closes it. No other
 * datastore is needed, and the history is the audit trail.
 */
export interface GateRecord {
  gateId: string;
  executionArn: string;
  taskToken: string;
  request: GateRequest;
  scheduledAt: Date;
  expiresAt: Date;
  open: boolean;
  slackMessage?: SlackMessageRef;
}

const closing = new Set(['TaskSucceeded', 'TaskFailed', 'TaskTimedOut', 'TaskStartFailed', 'TaskSubmitFailed']);

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function gateOf(event: HistoryEvent, executionArn: string): Omit<GateRecord, 'open'> | undefined {
  const details = event.taskScheduledEventDetails;
  if (details?.resourceType !== 'lambda' || details.resource !== 'invoke.waitForTaskToken') return;
  const payload = (parseJson(details.parameters) as { Payload?: { taskToken?: unknown } } | undefined)?.Payload;
  const parsed = gateRequestSchema.safeParse(payload);
  if (!parsed.success || typeof payload?.taskToken !== 'string') return;
  const scheduledAt = event.timestamp ?? new Date(0);
  return {
    gateId: gateIdFor(payload.taskToken),
    executionArn,
    taskToken: payload.taskToken,
    request: parsed.data,
    scheduledAt,
    expiresAt: new Date(scheduledAt.getTime() + (details.timeoutInSeconds ?? 99_999_999) * 1000),
  };
}

function slackMessageOf(event: HistoryEvent): SlackMessageRef | undefined {
  const output = parseJson(event.taskSubmittedEventDetails?.output) as
    | { Payload?: { channels?: { slack?: { channel?: unknown; ts?: unknown } } } }
    | undefined;
  const slack = output?.Payload?.channels?.slack;
  return typeof slack?.channel === 'string' && typeof slack.ts === 'string'
    ? { channel: slack.channel, ts: slack.ts }
    : undefined;
}

/**
 * The most recent approval gate of an execution, open or closed, read from its history newest first. Gates of
 * one execution never run at the same time (one hop at a time), so the latest gate is the only one that can be
 * open. Undefined when the execution has not reached a gate.
 */
export async function latestGate(deps: { sfn: SFNClient }, executionArn: string): Promise<GateRecord | undefined> {
  let open = true;
  let slackMessage: SlackMessageRef | undefined;
  let nextToken: string | undefined;
  do {
    const page = await deps.sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        reverseOrder: true,
        includeExecutionData: true,
        maxResults: 200,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    for (const event of page.events ?? []) {
      if (event.type && closing.has(event.type)) open = false;
      if (event.type === 'TaskSubmitted') slackMessage ??= slackMessageOf(event);
      if (event.type === 'TaskScheduled') {
        const gate = gateOf(event, executionArn);
        if (gate) return { ...gate, open, ...(slackMessage ? { slackMessage } : {}) };
        // A task scheduled after the gate closed belongs to something else; start over for the next one.
        open = true;
        slackMessage = undefined;
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

/** Every gate waiting for a decision, across the running executions of the state machine, oldest first. */
export async function pendingGates(deps: { sfn: SFNClient }, stateMachineArn: string): Promise<GateRecord[]> {
  const gates: GateRecord[] = [];
  let nextToken: string | undefined;
  do {
    const page = await deps.sfn.send(
      new ListExecutionsCommand({
        stateMachineArn,
        statusFilter: 'RUNNING',
        maxResults: 100,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    for (const execution of page.executions ?? []) {
      if (!execution.executionArn) continue;
      const gate = await latestGate(deps, execution.executionArn);
      if (gate?.open) gates.push(gate);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return gates.sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime());
}

/** The ARN prefix of this state machine's executions; anything else is not ours to decide. */
export function executionArnPrefix(stateMachineArn: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:`;
}
