import { randomBytes } from 'node:crypto';
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SFNServiceException,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { InitializeHandlerArguments, InitializeHandlerOutput, Pluggable } from '@smithy/types';
import { StateMachine } from 'aws-local-stepfunctions';
import { reportAwsCall } from '../sim/aws/recorder.js';
import type { VirtualClock } from '../sim/clock.js';
import { type LoadedDefinition, loadDefinition, timeoutParameter } from './definition.js';
import { stepFunctionsHistory, toSdkHistoryEvent } from './history.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface HistoryEvent {
  id: number;
  previousEventId?: number;
  timestamp: Date;
  type: string;
  stateName?: string;
  stateType?: string;
  input?: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  mapIndex?: number;
  /** Task* events of service integrations (`lambda:invoke.waitForTaskToken`): what and where. */
  resourceType?: string;
  resource?: string;
  /** TaskScheduled: the resolved Parameters, task token included, as Step Functions records them. */
  parameters?: unknown;
  timeoutInSeconds?: number;
}

export interface LocalExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate?: Date;
  history: HistoryEvent[];
  done: Promise<void>;
}

interface PendingTask {
  executionArn: string;
  state: string;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

/** A past execution the environment starts with (scenario `executions`): history dispatch can read. */
export interface PastExecution {
  name?: string | undefined;
  cluster: string;
  accountId?: string | undefined;
  region?: string | undefined;
  target: string;
  status: Exclude<ExecutionStatus, 'RUNNING'>;
  startedAt: string;
  stoppedAt: string;
}

/** With no TimeoutSeconds, a Step Functions task may run as long as its execution (a year at most). */
const defaultTaskTimeoutSeconds = 99_999_999;
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

type LocalHandler = (event: unknown) => Promise<unknown>;
type RunResult = ReturnType<StateMachine['run']>;
type EventLog = RunResult['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
type JSONValue = Parameters<StateMachine['run']>[0];

class TaskFailure extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** The task's TimeoutSeconds elapsed before its token was answered; the state machine sees `States.Timeout`. */
class TaskTimeout extends Error {
  constructor() {
    super('The task timed out before its token was answered');
    this.name = 'States.Timeout';
  }
}

/** Step Functions answers its modelled errors with HTTP 400. */
const serviceMeta = { $metadata: { httpStatusCode: 400 } };

/**
 * A local Step Functions: runs the project's state machine with aws-local-stepfunctions, every Task bound to
 * the real handler, and answers the Step Functions API (start, list, describe, history, task tokens) to the real
 * SDK client through an interceptor, so the product's code is the same locally and deployed.
 */
export class LocalStepFunctions {
  readonly stateMachineArn: string;
  private readonly loaded: LoadedDefinition;
  private readonly executions = new Map<string, LocalExecution>();
  private readonly tokens = new Map<string, PendingTask>();
  private readonly closedTokens = new Set<string>();
  private readonly listeners = new Set<(execution: LocalExecution, event: HistoryEvent) => void>();
  /** How to stop each running execution (StopExecution). */
  private readonly aborts = new Map<string, () => void>();
  private machine: StateMachine | undefined;

  constructor(
    private readonly options: {
      definitionPath: string;
      stateMachineName: string;
      region: string;
      accountId: string;
      clock: VirtualClock;
      functions: Record<string, LocalHandler>;
      /** Executions that ran before the environment starts, as ListExecutions and DescribeExecution report them. */
      history?: readonly PastExecution[];
    },
  ) {
    this.stateMachineArn = `arn:aws:states:${options.region}:${options.accountId}:stateMachine:${options.stateMachineName}`;
    this.loaded = loadDefinition(options.definitionPath, options);
    for (const task of this.loaded.tasks.values()) {
      if (!options.functions[task.functionName]) {
        throw new Error(`Task "${task.state}" invokes function "${task.functionName}", which has no local handler`);
      }
    }
    for (const past of options.history ?? []) this.seedExecution(past);
  }

  /**
   * Records an execution that already ended, with the input dispatch gives (cluster, region, account, target) and
   * the start and end events of its history. Named as dispatch names executions unless it says otherwise.
   */
  seedExecution(past: PastExecution): LocalExecution {
    const startDate = new Date(past.startedAt);
    const day = past.startedAt.slice(0, 10).replace(/-/g, '');
    const name = past.name ?? `${past.cluster}-${past.target.replace('.', '-')}-${day}`.slice(0, 80);
    const executionArn = `arn:aws:states:${this.options.region}:${this.options.accountId}:execution:${this.options.stateMachineName}:${name}`;
    if (this.executions.has(executionArn)) {
      throw new Error(`two seeded executions are named ${name}; give one of them a name`);
    }
    const input = {
      cluster: past.cluster,
      region: past.region ?? this.options.region,
      ...(past.accountId ? { accountId: past.accountId } : {}),
      policy: { target: past.target },
    };
    const stopDate = new Date(past.stoppedAt);
    const ended =
      past.status === 'SUCCEEDED'
        ? { type: 'ExecutionSucceeded', output: {} }
        : past.status === 'FAILED'
          ? { type: 'ExecutionFailed', error: 'States.TaskFailed', cause: 'seeded by the scenario' }
          : { type: past.status === 'ABORTED' ? 'ExecutionAborted' : 'ExecutionTimedOut' };
    const execution: LocalExecution = {
      executionArn,
      stateMachineArn: this.stateMachineArn,
      name,
      status: past.status,
      input,
      ...(past.status === 'SUCCEEDED' ? { output: {} } : {}),
      ...(past.status === 'FAILED' ? { error: 'States.TaskFailed', cause: 'seeded by the scenario' } : {}),
      startDate,
      stopDate,
      history: [
        { id: 1, timestamp: startDate, type: 'ExecutionStarted', input },
        { id: 2, previousEventId: 1, timestamp: stopDate, ...ended },
      ],
      done: Promise.resolve(),
    };
    this.executions.set(executionArn, execution);
    return execution;
  }

  /** Called for every history event of every execution (the CLI's live progress uses it). */
  onEvent(listener: (execution: LocalExecution, event: HistoryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts an execution. Same name and input while running is idempotent, as in Step Functions. */
  startExecution(request: { name?: string; input: unknown }): LocalExecution {
    const name = request.name ?? randomBytes(16).toString('hex');
    const executionArn = `arn:aws:states:${this.options.region}:${this.options.accountId}:execution:${this.options.stateMachineName}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && JSON.stringify(existing.input) === JSON.stringify(request.input))
        return existing;
      throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${executionArn}'`, ...serviceMeta });
    }
    const startDate = this.options.clock.now();
    const execution: LocalExecution = {
      executionArn,
      stateMachineArn: this.stateMachineArn,
      name,
      status: 'RUNNING',
      input: request.input,
      startDate,
      history: [],
      done: Promise.resolve(),
    };
    this.executions.set(executionArn, execution);

    // Validating the definition takes a while (~0.1 s); one machine runs every execution.
    this.machine ??= new StateMachine(this.loaded.definition, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
    const run = this.machine.run(request.input as JSONValue, {
      overrides: { taskResourceLocalHandlers: this.bindHandlers(executionArn) },
      context: {
        Execution: {
          Id: executionArn,
          Name: name,
          StartTime: startDate.toISOString(),
          Input: request.input as JSONValue,
        },
        StateMachine: { Id: this.stateMachineArn, Name: this.options.stateMachineName },
        Task: { Token: 'replaced-per-task' },
      },
    });
    this.aborts.set(executionArn, run.abort);
    const events = this.collect(execution, run.eventLogs);
    execution.done = run.result
      .then(
        (output) => {
          execution.status = 'SUCCEEDED';
          execution.output = output;
        },
        (error: Error & { cause?: unknown }) => {
          // Stopped (StopExecution): its status, error and cause are already recorded.
          if (error.name === 'ExecutionAbortedError') return;
          const inner = (error.cause ?? error) as Error;
          execution.status = error.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED';
          execution.error = inner.name;
          execution.cause = inner.message;
        },
      )
      .then(async () => {
        this.aborts.delete(executionArn);
        execution.stopDate ??= this.options.clock.now();
        await events;
        if (execution.status === 'ABORTED' && !execution.history.some((e) => e.type === 'ExecutionAborted')) {
          this.append(execution, {
            type: 'ExecutionAborted',
            ...(execution.error !== undefined ? { error: execution.error } : {}),
            ...(execution.cause !== undefined ? { cause: execution.cause } : {}),
          });
        }
        for (const [token, task] of this.tokens) {
          if (task.executionArn === executionArn) {
            this.tokens.delete(token);
            this.closedTokens.add(token);
            task.reject(new Error(`execution ${execution.status}`));
          }
        }
      });
    return execution;
  }

  private bindHandlers(executionArn: string): Record<string, (input: JSONValue) => Promise<JSONValue>> {
    const bound: Record<string, (input: JSONValue) => Promise<JSONValue>> = {};
    for (const task of this.loaded.tasks.values()) {
      const handler = this.options.functions[task.functionName] as LocalHandler;
      bound[task.state] = async (input) => {
        const params = { ...(input as Record<string, unknown>) };
        const fromPath = params[timeoutParameter];
        delete params[timeoutParameter];
        if (!task.waitForTaskToken) return (await this.options.clock.track(() => handler(params))) as JSONValue;
        const timeoutSeconds =
          task.timeoutSeconds ?? (typeof fromPath === 'number' ? fromPath : defaultTaskTimeoutSeconds);
        return (await this.runCallbackTask({ executionArn, task, params, timeoutSeconds, handler })) as JSONValue;
      };
    }
    return bound;
  }

  /**
   * `lambda:invoke.waitForTaskToken`: invokes the function with the Payload (task token included), then waits
   * for SendTaskSuccess/SendTaskFailure or the task's timeout, recording the Task* history events Step
   * Functions records (TaskScheduled holds the resolved Parameters, TaskSubmitted the function's response).
   */
  private async runCallbackTask(call: {
    executionArn: string;
    task: { state: string };
    params: Record<string, unknown>;
    timeoutSeconds: number;
    handler: LocalHandler;
  }): Promise<unknown> {
    const { executionArn, task, params, timeoutSeconds, handler } = call;
    const clock = this.options.clock;
    const token = randomBytes(48).toString('base64url');
    const payload = { ...((params.Payload as Record<string, unknown> | undefined) ?? {}), taskToken: token };
    const parameters = { ...params, Payload: payload };
    const decision = new Promise<unknown>((resolve, reject) => {
      this.tokens.set(token, { executionArn, state: task.state, resolve, reject });
    });
    // The answer may come (or the execution end) before anyone awaits it.
    decision.catch(() => undefined);
    // Armed before any await, so it fires before the interpreter's own timer for the same instant and closes the
    // token the way Step Functions does: a late answer gets TaskTimedOut.
    const deadlineMs = clock.now().getTime() + timeoutSeconds * 1000;
    const timer = setTimeout(() => this.closeToken(token)?.reject(new TaskTimeout()), timeoutSeconds * 1000);
    const execution = this.describeExecution(executionArn);
    const integration = { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' };
    let previous = 0;
    try {
      const submitted = await clock.track(async () => {
        await this.caughtUp(execution, task.state);
        previous = this.append(execution, {
          type: 'TaskScheduled',
          ...integration,
          parameters,
          timeoutInSeconds: timeoutSeconds,
        });
        previous = this.append(execution, { type: 'TaskStarted', previousEventId: previous, ...integration });
        try {
          return await handler(payload);
        } catch (error) {
          this.closeToken(token);
          throw error;
        }
      });
      previous = this.append(execution, {
        type: 'TaskSubmitted',
        previousEventId: previous,
        ...integration,
        output: { ExecutedVersion: '$LATEST', Payload: submitted ?? null, StatusCode: 200 },
      });
      const output = await clock.waitForPerson(decision, { deadlineMs });
      this.append(execution, { type: 'TaskSucceeded', previousEventId: previous, ...integration, output });
      return output;
    } catch (raw) {
      const error = raw instanceof Error ? raw : new Error(String(raw));
      if (execution.status === 'RUNNING') {
        this.append(execution, {
          type: error instanceof TaskTimeout ? 'TaskTimedOut' : 'TaskFailed',
          previousEventId: previous,
          ...integration,
          error: error.name,
          cause: error.message,
        });
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes a token (answered, timed out, or its execution ended); a later answer gets TaskTimedOut. */
  private closeToken(token: string): PendingTask | undefined {
    const task = this.tokens.get(token);
    this.tokens.delete(token);
    this.closedTokens.add(token);
    return task;
  }

  /**
   * Waits until the interpreter's events for this task's state are in the history, so that the Task* events
   * follow the state's TaskStateEntered as in Step Functions (the interpreter calls the handler right away; its
   * event stream is read a few turns later).
   */
  private async caughtUp(execution: LocalExecution, state: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const last = execution.history.findLast((e) => e.stateName === state);
      if (last && (last.type === 'TaskStateEntered' || last.type === 'StateRetried')) return;
      await turn();
    }
  }

  /** Appends an event to an execution's history and tells the listeners; returns its id. */
  private append(execution: LocalExecution, event: Omit<HistoryEvent, 'id' | 'timestamp'>): number {
    const recorded: HistoryEvent = { id: execution.history.length + 1, timestamp: this.options.clock.now(), ...event };
    execution.history.push(recorded);
    for (const listener of this.listeners) listener(execution, recorded);
    return recorded.id;
  }

  private async collect(execution: LocalExecution, logs: AsyncGenerator<EventLog>): Promise<void> {
    for await (const log of logs) {
      const { id: _id, ...event } = this.toHistoryEvent(0, log);
      // A stopped execution records nothing after its ExecutionAborted event.
      if (execution.history.some((e) => e.type === 'ExecutionAborted')) continue;
      if (event.type === 'ExecutionAborted') {
        if (execution.error !== undefined) event.error = execution.error;
        if (execution.cause !== undefined) event.cause = execution.cause;
      }
      this.append(execution, event);
    }
  }

  private toHistoryEvent(id: number, log: EventLog): HistoryEvent {
    const base = { id, timestamp: new Date(log.timestamp) };
    switch (log.type) {
      case 'ExecutionStarted':
        return { ...base, type: 'ExecutionStarted', input: log.input };
      case 'ExecutionSucceeded':
        return { ...base, type: 'ExecutionSucceeded', output: log.output };
      case 'ExecutionFailed':
        return { ...base, type: 'ExecutionFailed', error: log.Error, cause: String(log.Cause) };
      case 'ExecutionAborted':
      case 'ExecutionTimeout':
        return { ...base, type: log.type === 'ExecutionAborted' ? 'ExecutionAborted' : 'ExecutionTimedOut' };
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        return { ...base, type: log.type, stateName: log.parentState.name, mapIndex: log.index };
      case 'ParallelBranchStarted':
      case 'ParallelBranchSucceeded':
      case 'ParallelBranchFailed':
        return { ...base, type: log.type, stateName: log.parentState.name };
      case 'StateEntered':
        return {
          ...base,
          type: `${log.state.type}StateEntered`,
          stateName: log.state.name,
          stateType: log.state.type,
          input: log.state.input,
        };
      case 'StateExited':
        return {
          ...base,
          type: `${log.state.type}StateExited`,
          stateName: log.state.name,
          stateType: log.state.type,
          output: log.state.output,
        };
      case 'StateFailed':
        return {
          ...base,
          type: `${log.state.type}StateFailed`,
          stateName: log.state.name,
          stateType: log.state.type,
          error: log.Error,
          cause: String(log.Cause),
        };
      case 'StateRetried':
        return { ...base, type: 'StateRetried', stateName: log.state.name, stateType: log.state.type };
      case 'StateCaught':
        return { ...base, type: 'StateCaught', stateName: log.state.name, stateType: log.state.type };
      default:
        return { ...base, type: 'Unknown' };
    }
  }

  /**
   * StopExecution: the execution ends ABORTED with the caller's error and cause (DescribeExecution and its
   * ExecutionAborted event carry them), its open task tokens close, and no later state runs. A task already
   * running finishes on its own, as a Lambda invocation does. Stopping an execution that has ended changes nothing.
   */
  stopExecution(executionArn: string, request: { error?: string; cause?: string } = {}): { stopDate: Date } {
    const execution = this.describeExecution(executionArn);
    const abort = this.aborts.get(executionArn);
    if (execution.status !== 'RUNNING' || !abort) return { stopDate: execution.stopDate ?? this.options.clock.now() };
    execution.status = 'ABORTED';
    execution.stopDate = this.options.clock.now();
    if (request.error !== undefined) execution.error = request.error;
    if (request.cause !== undefined) execution.cause = request.cause;
    this.aborts.delete(executionArn);
    abort();
    return { stopDate: execution.stopDate };
  }

  describeExecution(executionArn: string): LocalExecution {
    const execution = this.executions.get(executionArn);
    if (!execution)
      throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${executionArn}'`, ...serviceMeta });
    return execution;
  }

  /** Newest first, like ListExecutions. */
  listExecutions(filter: { status?: ExecutionStatus } = {}): LocalExecution[] {
    return [...this.executions.values()]
      .filter((e) => !filter.status || e.status === filter.status)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  }

  /** Task tokens still waiting for an answer. */
  pendingTasks(): Array<{ token: string; executionArn: string; state: string }> {
    return [...this.tokens.entries()].map(([token, t]) => ({ token, executionArn: t.executionArn, state: t.state }));
  }

  private takeToken(token: string): PendingTask {
    const task = this.tokens.has(token) ? this.closeToken(token) : undefined;
    if (task) return task;
    // Step Functions answers TaskTimedOut for a token whose task already closed (answered, timed out, or its
    // execution ended), and InvalidToken for something that never was a token.
    if (this.closedTokens.has(token)) throw new TaskTimedOut({ message: 'Task Timed Out', ...serviceMeta });
    throw new InvalidToken({ message: 'Invalid Token', ...serviceMeta });
  }

  sendTaskSuccess(token: string, output: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new SFNServiceException({
        name: 'InvalidOutput',
        $fault: 'client',
        message: 'Invalid Output: not JSON',
        ...serviceMeta,
      });
    }
    this.takeToken(token).resolve(parsed);
  }

  sendTaskFailure(token: string, error = 'TaskFailed', cause = ''): void {
    this.takeToken(token).reject(new TaskFailure(error, cause));
  }

  /** GetExecutionHistory: events oldest first (or newest first), paged, with or without execution data. */
  private history(input: Record<string, unknown>): object {
    const execution = this.describeExecution(String(input.executionArn));
    const recorded = stepFunctionsHistory(execution.history);
    const ordered = input.reverseOrder === true ? recorded.reverse() : recorded;
    const start = input.nextToken ? Number(Buffer.from(String(input.nextToken), 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(start) || start < 0) {
      throw new InvalidToken({
        message: 'Invalid Token: the nextToken was not issued by GetExecutionHistory',
        ...serviceMeta,
      });
    }
    const size = Math.min(Number(input.maxResults ?? 1000) || 1000, 1000);
    const withData = input.includeExecutionData !== false;
    const page = ordered
      .slice(start, start + size)
      .map((h) => toSdkHistoryEvent(h, { withData, region: this.options.region }));
    return {
      events: page,
      ...(start + size < ordered.length ? { nextToken: Buffer.from(String(start + size)).toString('base64url') } : {}),
    };
  }

  /** Serves the Step Functions API to the real SFNClient. */
  interceptor(): Pluggable<object, object> {
    return {
      applyToStack: (stack) => {
        stack.add(
          (_next, context) =>
            async (args: InitializeHandlerArguments<object>): Promise<InitializeHandlerOutput<object>> => {
              const operation = context.commandName ?? '';
              let output: object;
              try {
                output = await this.dispatch(operation, args.input as Record<string, unknown>);
              } catch (error) {
                const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
                const code = e.name ?? 'Error';
                const httpStatusCode = e.$metadata?.httpStatusCode ?? 500;
                reportAwsCall({ service: 'sfn', operation, input: args.input, error: { code, httpStatusCode } });
                throw error;
              }
              reportAwsCall({ service: 'sfn', operation, input: args.input, output });
              return {
                output: { ...output, $metadata: { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 } },
                response: {},
              };
            },
          { step: 'initialize', priority: 'high', name: 'localStepFunctions' },
        );
      },
    };
  }

  private async dispatch(command: string, input: Record<string, unknown>): Promise<object> {
    // ExecutionListItem: what ListExecutions says of each; DescribeExecution adds the input, output and error.
    const listItem = (e: LocalExecution) => ({
      executionArn: e.executionArn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: e.startDate,
      ...(e.stopDate ? { stopDate: e.stopDate } : {}),
    });
    const describe = (e: LocalExecution) => ({
      ...listItem(e),
      input: JSON.stringify(e.input),
      ...(e.output !== undefined ? { output: JSON.stringify(e.output) } : {}),
      ...(e.error ? { error: e.error, cause: e.cause } : {}),
    });
    switch (command) {
      case 'StartExecutionCommand': {
        const e = this.startExecution({
          ...(typeof input.name === 'string' ? { name: input.name } : {}),
          input: JSON.parse(String(input.input ?? '{}')),
        });
        return { executionArn: e.executionArn, startDate: e.startDate };
      }
      case 'DescribeExecutionCommand':
        return describe(this.describeExecution(String(input.executionArn)));
      case 'ListExecutionsCommand': {
        const all = this.listExecutions(input.statusFilter ? { status: input.statusFilter as ExecutionStatus } : {});
        const start = input.nextToken ? Number(input.nextToken) : 0;
        const size = Number(input.maxResults ?? 100) || 100;
        const page = all.slice(start, start + size);
        return {
          executions: page.map(listItem),
          ...(start + size < all.length ? { nextToken: String(start + size) } : {}),
        };
      }
      case 'StopExecutionCommand': {
        const { stopDate } = this.stopExecution(String(input.executionArn), {
          ...(typeof input.error === 'string' ? { error: input.error } : {}),
          ...(typeof input.cause === 'string' ? { cause: input.cause } : {}),
        });
        return { stopDate };
      }
      case 'GetExecutionHistoryCommand':
        return this.history(input);
      case 'SendTaskSuccessCommand':
        this.sendTaskSuccess(String(input.taskToken), String(input.output));
        return {};
      case 'SendTaskFailureCommand':
        this.sendTaskFailure(
          String(input.taskToken),
          input.error as string | undefined,
          input.cause as string | undefined,
        );
        return {};
      case 'SendTaskHeartbeatCommand':
        if (!this.tokens.has(String(input.taskToken)))
          throw new TaskDoesNotExist({ message: 'Task Does Not Exist', ...serviceMeta });
        return {};
      default:
        throw new SFNServiceException({
          name: 'UnknownOperationException',
          $fault: 'client',
          message: `${command} is not served by the local Step Functions`,
          ...serviceMeta,
        });
    }
  }
}
