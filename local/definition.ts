import { readFileSync } from 'node:fs';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { parse as parseYaml } from 'yaml';

export interface TaskBinding {
  state: string;
  functionName: string;
  waitForTaskToken: boolean;
  /** `TimeoutSeconds` as written; with `TimeoutSecondsPath` the value arrives in the input under timeoutParameter. */
  timeoutSeconds?: number;
  timeoutFromPath: boolean;
}

/**
 * Step Functions resolves `TimeoutSecondsPath` against the state's input (the AWS docs' example reads
 * `$.params.maxTime` in a state whose Parameters do not have it); aws-local-stepfunctions resolves it against
 * the Parameters' result. The loader carries the value through Parameters under this key, and the local Step
 * Functions removes it before the function sees its input.
 */
export const timeoutParameter = '__localTimeoutSeconds';

export interface LoadedDefinition {
  definition: StateMachineDefinition;
  tasks: Map<string, TaskBinding>;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function getAttFunction(value: Json | undefined): string | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const att = value['Fn::GetAtt'];
    if (Array.isArray(att) && typeof att[0] === 'string' && att[1] === 'Arn') return att[0];
  }
  return undefined;
}

/**
 * Loads a state machine as serverless-step-functions will deploy it, binding every Task to a local function.
 * `Fn::GetAtt: [fn, Arn]` references become local Lambda ARNs. A Task that invokes anything else is refused:
 * locally, no Task may fall through to a real AWS call.
 */
export function loadDefinition(path: string, options: { region: string; accountId: string }): LoadedDefinition {
  const doc = parseYaml(readFileSync(path, 'utf8'), { merge: true }) as Json;
  const tasks = new Map<string, TaskBinding>();
  const arn = (fn: string) => `arn:aws:lambda:${options.region}:${options.accountId}:function:${fn}`;

  const visitStates = (states: Record<string, Json>) => {
    for (const [name, raw] of Object.entries(states)) {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) continue;
      const state = raw as Record<string, Json>;
      if (state.Type === 'Task') {
        const direct = getAttFunction(state.Resource);
        const params = state.Parameters as Record<string, Json> | undefined;
        const viaInvoke =
          typeof state.Resource === 'string' && state.Resource.startsWith('arn:aws:states:::lambda:invoke')
            ? getAttFunction(params?.FunctionName)
            : undefined;
        const fn = direct ?? viaInvoke;
        if (!fn)
          throw new Error(
            `Task "${name}" in ${path} does not invoke one of the project's functions; cannot run it locally`,
          );
        if (tasks.has(name))
          throw new Error(`Task name "${name}" appears twice in ${path}; local handlers are bound by state name`);
        const timeoutPath = typeof state.TimeoutSecondsPath === 'string' ? state.TimeoutSecondsPath : undefined;
        if (timeoutPath && params) {
          params[`${timeoutParameter}.$`] = timeoutPath;
          state.TimeoutSecondsPath = `$.${timeoutParameter}`;
        }
        tasks.set(name, {
          state: name,
          functionName: fn,
          waitForTaskToken: typeof state.Resource === 'string' && state.Resource.endsWith('.waitForTaskToken'),
          timeoutFromPath: Boolean(timeoutPath && params),
          ...(typeof state.TimeoutSeconds === 'number' ? { timeoutSeconds: state.TimeoutSeconds } : {}),
        });
        if (direct) state.Resource = arn(fn);
        else if (params) params.FunctionName = arn(fn);
      }
      for (const key of ['ItemProcessor', 'Iterator']) {
        const inner = state[key] as { States?: Record<string, Json> } | undefined;
        if (inner?.States) visitStates(inner.States);
      }
      for (const branch of (state.Branches as Array<{ States?: Record<string, Json> }> | undefined) ?? []) {
        if (branch.States) visitStates(branch.States);
      }
    }
  };
  const root = doc as { States?: Record<string, Json> };
  if (!root?.States) throw new Error(`${path} has no States`);
  visitStates(root.States);
  return { definition: doc as unknown as StateMachineDefinition, tasks };
}
