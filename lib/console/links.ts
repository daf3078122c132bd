/**
 * Links from an execution to where AWS shows it: the Step Functions console's page of the execution, the state
 * machine's log group, and a CloudWatch Logs Insights query over the task functions' logs for this execution
 * (every task logs the execution's name under the key `execution`).
 */

export interface AwsLink {
  label: string;
  url: string;
}

/** The functions the upgrade state machine's tasks run (serverless.yml names them `<prefix>-<function>`). */
const taskFunctions = [
  'plan',
  'readiness',
  'maintenanceWindow',
  'controlPlane',
  'addons',
  'nodegroups',
  'validate',
  'approvalRequest',
  'notify',
] as const;

const consoleHost = (region: string): string =>
  region.startsWith('cn-')
    ? `https://${region}.console.amazonaws.cn`
    : region.startsWith('us-gov-')
      ? `https://console.amazonaws-us-gov.com`
      : `https://${region}.console.aws.amazon.com`;

/**
 * The CloudWatch console's fragment encoding: values in its JSURL-like notation (`'` before a string, `*XX` for
 * a character outside letters, digits, `-`, `.` and `_`), then the whole fragment percent-encoded with `$` for `%`.
 */
function jsurlString(text: string): string {
  return `'${[...text]
    .map((c) => {
      if (/[A-Za-z0-9_.-]/.test(c)) return c;
      const code = c.charCodeAt(0);
      return code < 256 ? `*${code.toString(16).padStart(2, '0')}` : `**${code.toString(16).padStart(4, '0')}`;
    })
    .join('')}`;
}

const cloudWatchFragment = (path: string): string => encodeURIComponent(path).replace(/%/g, '$');

export function executionLinks(
  executionArn: string,
  window: { startedAt?: string; stoppedAt?: string; now: string },
): AwsLink[] {
  const parts = executionArn.split(':');
  const region = parts[3] ?? '';
  const stateMachine = parts[6] ?? '';
  const execution = parts[7] ?? '';
  if (!region || !stateMachine || !execution) return [];
  const host = consoleHost(region);
  const prefix = stateMachine.replace(/-upgrade-cluster$/, '');
  const stateMachineLogGroup = `/aws/vendedlogs/states/${stateMachine}`;
  const start = new Date(Date.parse(window.startedAt ?? window.now) - 5 * 60_000).toISOString();
  const end = new Date(Date.parse(window.stoppedAt ?? window.now) + 5 * 60_000).toISOString();
  const query = [
    'fields @timestamp, function, level, message, cluster',
    `| filter execution = "${execution}"`,
    '| sort @timestamp asc',
    '| limit 10000',
  ].join('\n');
  const groups = taskFunctions.map((f) => `/aws/lambda/${prefix}-${f}`);
  const detail = `~(end~${jsurlString(end)}~start~${jsurlString(start)}~timeType~'ABSOLUTE~tz~'UTC~editorString~${jsurlString(query)}~source~(${groups.map((g) => `~${jsurlString(g)}`).join('')}))`;
  return [
    {
      label: 'Step Functions console',
      url: `${host}/states/home?region=${region}#/v2/executions/details/${encodeURIComponent(executionArn)}`,
    },
    {
      label: 'Task logs for this execution (CloudWatch Logs Insights)',
      url: `${host}/cloudwatch/home?region=${region}#logsV2:${cloudWatchFragment(`logs-insights?queryDetail=${detail}`)}`,
    },
    {
      label: `State machine log group ${stateMachineLogGroup}`,
      url: `${host}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${cloudWatchFragment(encodeURIComponent(stateMachineLogGroup))}`,
    },
  ];
}
