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

/** An execution's history events with their data, page by page (newest first with `reverseOrder`). */
async function* historyEvents(
  deps: { sfn: SFNClient },
  executionArn: string,
  reverseOrder = false,
): AsyncGenerator<HistoryEvent> {
  let nextToken: string | undefined;
  do {
    const page = await deps.sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        ...(reverseOrder ? { reverseOrder } : {}),
        includeExecutionData: true,
        maxResults: 200,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    yield* page.events ?? [];
    nextToken = page.nextToken;
  } while (nextToken);
}

/**
 * The most recent approval gate of an execution, open or closed, read from its history newest first. Gates of
 * one execution never run at the same time (one hop at a time), so the latest gate is the only one that can be
 * open. Undefined when the execution has not reached a gate.
 */
export async function latestGate(deps: { sfn: SFNClient }, executionArn: string): Promise<GateRecord | undefined> {
  let open = true;
  let slackMessage: SlackMessageRef | undefined;
  for await (const event of historyEvents(deps, executionArn, true)) {
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

/** How a closed gate ended: decided (by whom, when) or timed out; `ended` when its execution stopped first. */
export type GateClosing =
  | { kind: 'decided'; approved: boolean; approver: string; decidedAt: string; channel?: string }
  | { kind: 'timed-out'; at: string }
  | { kind: 'ended' };

function closingOf(event: HistoryEvent): GateClosing | undefined {
  const at = (event.timestamp ?? new Date(0)).toISOString();
  const decisionOf = (value: unknown): GateClosing | undefined => {
    const d = value as { approved?: unknown; approver?: unknown; decidedAt?: unknown; channel?: unknown } | undefined;
    if (typeof d?.approved !== 'boolean' || typeof d.approver !== 'string') return undefined;
    return {
      kind: 'decided',
      approved: d.approved,
      approver: d.approver,
      decidedAt: typeof d.decidedAt === 'string' ? d.decidedAt : at,
      ...(typeof d.channel === 'string' ? { channel: d.channel } : {}),
    };
  };
  if (event.type === 'TaskSucceeded') return decisionOf(parseJson(event.taskSucceededEventDetails?.output));
  if (event.type === 'TaskFailed') {
    const cause = parseJson(event.taskFailedEventDetails?.cause) as { decision?: unknown } | undefined;
    return decisionOf(cause?.decision) ?? { kind: 'ended' };
  }
  if (event.type === 'TaskTimedOut') return { kind: 'timed-out', at };
  return undefined;
}

/**
 * One gate of an execution by its id, with how it closed when it did: what a repeated decision answers with
 * ("already approved by … at …"). Undefined when the execution never had that gate.
 */
export async function gateById(
  deps: { sfn: SFNClient },
  executionArn: string,
  gateId: string,
): Promise<{ gate: GateRecord; closing?: GateClosing } | undefined> {
  let found: Omit<GateRecord, 'open'> | undefined;
  let closing: GateClosing | undefined;
  let slackMessage: SlackMessageRef | undefined;
  for await (const event of historyEvents(deps, executionArn)) {
    if (!found) {
      if (event.type === 'TaskScheduled') {
        const gate = gateOf(event, executionArn);
        if (gate?.gateId === gateId) found = gate;
      }
      continue;
    }
    if (event.type === 'TaskSubmitted') slackMessage ??= slackMessageOf(event);
    if (event.type && closingEvents.has(event.type)) closing = closingOf(event) ?? { kind: 'ended' };
    if (event.type && /^Execution(Failed|Aborted|TimedOut|Succeeded)$/.test(event.type)) closing ??= { kind: 'ended' };
    if (closing) break;
  }
  if (!found) return undefined;
  return {
    gate: { ...found, open: closing === undefined, ...(slackMessage ? { slackMessage } : {}) },
    ...(closing ? { closing } : {}),
  };
}

const closingEvents = new Set(['TaskSucceeded', 'TaskFailed', 'TaskTimedOut']);

/** A sentence on how a closed gate ended, for a 409 and for a repeated command. */
export function closingLine(closing: GateClosing): string {
  if (closing.kind === 'decided') {
    return `already ${closing.approved ? 'approved' : 'rejected'} by ${closing.approver} at ${closing.decidedAt}`;
  }
  if (closing.kind === 'timed-out') return `timed out at ${closing.at} without a decision`;
  return 'closed: its upgrade ended before a decision';
}
