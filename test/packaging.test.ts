import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadScenario, parseScenario } from '../sim/scenario.js';
import { invokeDispatch, schedule, shippedPolicy, withFleet } from './dispatch/helpers.js';
import { type MotoServer, startMoto } from './moto.js';
import { unzip } from './zip.js';

/**
 * Packages the service with the real Serverless Framework (offline, no credentials) and checks the CloudFormation
 * template it would deploy. CI packages once and points PACKAGED_TEMPLATE at the result to avoid a second run.
 */

const root = join(import.meta.dirname, '..');
const packageTimeoutMs = 10 * 60_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
interface Resource {
  Type: string;
  Properties: JsonObject;
  Condition?: string;
  DependsOn?: string | string[];
}
interface Template {
  Resources: Record<string, Resource>;
  Conditions?: JsonObject;
  Parameters?: JsonObject;
}

const functionNames = [
  'plan',
  'readiness',
  'controlPlane',
  'addons',
  'nodegroups',
  'validate',
  'maintenanceWindow',
  'approvalRequest',
  'approvalCallback',
  'slackInteractivity',
  'notify',
  'dispatch',
  'console',
];

/** The logical id the Serverless Framework gives a function (`controlPlane` → `ControlPlaneLambdaFunction`). */
function functionLogicalId(name: string): string {
  const normalised = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalised.charAt(0).toUpperCase()}${normalised.slice(1)}LambdaFunction`;
}

function packagedTemplatePath(): string {
  const reused = process.env.PACKAGED_TEMPLATE;
  if (reused && existsSync(reused)) return reused;
  const run = spawnSync('npm', ['run', 'package'], {
    cwd: root,
    encoding: 'utf8',
    timeout: packageTimeoutMs,
    env: { ...process.env, CI: 'true', SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
  });
  if (run.status !== 0) {
    throw new Error(`npm run package failed (${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
  }
  return join(root, '.serverless', 'cloudformation-template-update-stack.json');
}

let templatePath: string;
let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  templatePath = packagedTemplatePath();
  template = JSON.parse(readFileSync(templatePath, 'utf8')) as Template;
  resources = template.Resources;
}, packageTimeoutMs);

function resource(logicalId: string, type: string): Resource {
  const found = resources[logicalId];
  expect(found, `${logicalId} is missing from the template`).toBeDefined();
  expect(found?.Type).toBe(type);
  return found as Resource;
}

function resourcesOfType(type: string): [string, Resource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

function getAtt(logicalId: string): Json {
  return { 'Fn::GetAtt': [logicalId, 'Arn'] };
}

/** The logical ids behind a list of `Fn::GetAtt: [id, Arn]`, sorted; anything else is kept as JSON. */
function getAttIds(values: Json[]): string[] {
  return values
    .map((v) => {
      const att = v && typeof v === 'object' && !Array.isArray(v) ? v['Fn::GetAtt'] : undefined;
      return Array.isArray(att) && att[1] === 'Arn' ? String(att[0]) : JSON.stringify(v);
    })
    .sort();
}

const asList = (value: Json | undefined): Json[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The Node.js the npm scripts use (the `node` devDependency, 22), else the one running the tests. */
function lambdaLikeNode(): string {
  const pinned = join(root, 'node_modules', '.bin', 'node');
  return existsSync(pinned) ? pinned : process.execPath;
}

// ------------------------------------------------------------------ state machine normalisation

const placeholder = (logicalId: string): string => `arn:placeholder:lambda:${logicalId}`;

/** Resolves the plugin's `DefinitionString` (a string, `Fn::Sub` with variables, or `Fn::Join`) to a definition. */
function resolveDefinitionString(value: Json): unknown {
  const asText = (part: Json): string => {
    if (typeof part === 'string') return part;
    if (part && typeof part === 'object' && !Array.isArray(part)) {
      const att = part['Fn::GetAtt'];
      if (Array.isArray(att) && att[1] === 'Arn') return placeholder(String(att[0]));
      if (typeof part['Fn::Sub'] === 'string') return part['Fn::Sub'];
    }
    throw new Error(`unexpected intrinsic in DefinitionString: ${JSON.stringify(part)}`);
  };
  if (typeof value === 'string') return JSON.parse(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const sub = value['Fn::Sub'];
    if (typeof sub === 'string') return JSON.parse(sub);
    if (Array.isArray(sub)) {
      const [text, variables] = sub as [string, Record<string, Json>];
      const resolved = text.replace(/\$\{([^}!]+)\}/g, (whole, name: string) =>
        name in variables ? asText(variables[name] as Json) : whole,
      );
      return JSON.parse(resolved);
    }
    const join = value['Fn::Join'];
    if (Array.isArray(join)) {
      const [separator, parts] = join as [string, Json[]];
      return JSON.parse(parts.map(asText).join(separator));
    }
  }
  throw new Error(`unexpected DefinitionString: ${JSON.stringify(value).slice(0, 200)}`);
}

/** Maps the YAML's `Fn::GetAtt: [fn, Arn]` to the same placeholder the packaged definition resolves to. */
function resolveYamlFunctions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(resolveYamlFunctions);
  if (!node || typeof node !== 'object') return node;
  const att = (node as Record<string, unknown>)['Fn::GetAtt'];
  if (Array.isArray(att) && att[1] === 'Arn') return placeholder(functionLogicalId(String(att[0])));
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolveYamlFunctions(value)]));
}

/**
 * serverless-step-functions' validator writes the default `QueryLanguage: JSONPath` into every state; a definition
 * without it means the same thing.
 */
function withoutDefaultQueryLanguage(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDefaultQueryLanguage);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'QueryLanguage' && value === 'JSONPath'))
      .map(([key, value]) => [key, withoutDefaultQueryLanguage(value)]),
  );
}

/** Every Task resource ARN a definition invokes, including `lambda:invoke` FunctionNames. */
function invokedFunctions(node: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) {
      n.forEach(walk);
      return;
    }
    if (!n || typeof n !== 'object') return;
    for (const [key, value] of Object.entries(n)) {
      if (
        (key === 'Resource' || key === 'FunctionName') &&
        typeof value === 'string' &&
        value.startsWith('arn:placeholder:')
      ) {
        found.add(value.replace('arn:placeholder:lambda:', ''));
      } else walk(value);
    }
  };
  walk(node);
  return found;
}

// ------------------------------------------------------------------ IAM

interface Statement {
  Effect: string;
  Action?: Json;
  NotAction?: Json;
  Resource?: Json;
  Principal?: Json;
  Condition?: JsonObject;
}

/** Every policy statement in the template: role trust and inline policies, managed policies, key and resource policies. */
function policyStatements(node: Json, path: string[] = []): { at: string; statement: Statement }[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => policyStatements(item, [...path, String(i)]));
  if (!node || typeof node !== 'object') return [];
  const out: { at: string; statement: Statement }[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'Statement') {
      asList(value).forEach((s, i) => {
        out.push({ at: [...path, key, String(i)].join('.'), statement: s as unknown as Statement });
      });
    } else out.push(...policyStatements(value, [...path, key]));
  }
  return out;
}

/**
 * A Deny that only refuses unencrypted transport (the Framework's deployment-bucket policy) narrows access; a
 * wildcard there grants nothing.
 */
function deniesInsecureTransportOnly(s: Statement): boolean {
  const bool = s.Condition?.Bool as JsonObject | undefined;
  return (
    s.Effect === 'Deny' &&
    Object.keys(s.Condition ?? {}).length === 1 &&
    String(bool?.['aws:SecureTransport']) === 'false'
  );
}

function actionsOf(s: Statement): string[] {
  return [...asList(s.Action), ...asList(s.NotAction)].map(String);
}

/** The inline policy statements of a role. */
function roleStatements(roleId: string): Statement[] {
  const role = resource(roleId, 'AWS::IAM::Role');
  return asList(role.Properties.Policies).flatMap((p) =>
    asList(((p as JsonObject).PolicyDocument as JsonObject).Statement).map((s) => s as unknown as Statement),
  );
}

function roleIdOf(functionName: string): string {
  const role = resource(functionLogicalId(functionName), 'AWS::Lambda::Function').Properties.Role as JsonObject;
  const att = role['Fn::GetAtt'] as string[];
  return String(att[0]);
}

function actionsOfRole(roleId: string): string[] {
  return roleStatements(roleId)
    .filter((s) => s.Effect === 'Allow')
    .flatMap(actionsOf)
    .sort();
}

// ------------------------------------------------------------------ tests

describe('packaged functions', () => {
  it.each(functionNames)('%s is a Node.js 22 arm64 function with its handler', (name) => {
    // Act
    const fn = resource(functionLogicalId(name), 'AWS::Lambda::Function');

    // Assess
    expect(fn.Properties.Runtime).toBe('nodejs22.x');
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    expect(fn.Properties.Handler).toBe(`functions/${name}.handler`);
    expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it('ships ESM bundles that Node.js 22 can import, CommonJS dependencies included', () => {
    // Prepare: unzip every function's artifact, as Lambda would.
    const unpacked = mkdtempSync(join(tmpdir(), 'eks-upgrade-bundles-'));
    const entries = functionNames.map((name) => {
      const files = unzip(join(dirname(templatePath), `${name}.zip`), join(unpacked, name));
      expect(files, name).toContain(`functions/${name}.mjs`);
      // Source maps stay out of the deployment package: they would count against it and slow every cold start.
      expect(
        files.filter((file) => file.endsWith('.map')),
        name,
      ).toEqual([]);
      return join(unpacked, name, 'functions', `${name}.mjs`);
    });
    const probe = `for (const file of ${JSON.stringify(entries)}) {
      const loaded = await import(file);
      if (typeof loaded.handler !== 'function') throw new Error(file + ' exports no handler');
    }
    console.log(process.version);`;

    // Act
    const run = spawnSync(lambdaLikeNode(), ['--no-deprecation', '--input-type=module', '-e', probe], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'eu-west-1',
        NOTIFY_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:t',
      },
    });

    // Assess
    // The tail carries the error; the head would be a line of minified bundle.
    expect(run.stderr.slice(-1500)).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toMatch(/^v22\./);
  }, 120_000);

  it('serves the console shell and every asset from the packaged console function, the same bytes as the sources', () => {
    // Prepare: the packaged console function, answering API Gateway events as in Lambda.
    const unpacked = mkdtempSync(join(tmpdir(), 'eks-upgrade-console-'));
    unzip(join(dirname(templatePath), 'console.zip'), unpacked);
    const bundle = join(unpacked, 'functions', 'console.mjs');
    const assetsDir = join(root, 'lib', 'console', 'assets');
    const probe = `const { handler } = await import(${JSON.stringify(bundle)});
    const get = (path, claims) => handler({ rawPath: path, requestContext: { http: { method: 'GET' }, ...(claims ? { authorizer: { jwt: { claims } } } : {}) } });
    const shell = await get('/console');
    const base = /src="(\\/console\\/assets\\/[^/]+)\\/app\\.js"/.exec(shell.body)[1];
    const files = {};
    for (const name of ${JSON.stringify(['app.js', 'app.css', 'ui.js', 'api.js', 'auth.js', 'router.js', 'fleet.js', 'executions.js', 'approvals.js'])}) {
      const r = await get(base + '/' + name);
      files[name] = { status: r.statusCode, type: r.headers['content-type'], body: r.body };
    }
    const config = await get('/console/config.json');
    const api = await get('/api/fleet');
    console.log(JSON.stringify({ shell: shell.statusCode, csp: shell.headers['content-security-policy'], files, config: config.body, api: api.statusCode }));`;

    // Act
    const run = spawnSync(lambdaLikeNode(), ['--no-deprecation', '--input-type=module', '-e', probe], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'eu-west-1',
        STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:s',
        CONSOLE_OIDC_ISSUER: 'https://example.auth0.com/',
        CONSOLE_OIDC_CLIENT_ID: 'spa',
      },
    });

    // Assess (Powertools may warn on stderr that a request published no metrics; failures show there too)
    expect(run.status, run.stderr.slice(-1500)).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
      shell: number;
      csp: string;
      files: Record<string, { status: number; type: string; body: string }>;
      config: string;
      api: number;
    };
    expect(out.shell).toBe(200);
    expect(out.csp).toContain("script-src 'self'");
    for (const [name, file] of Object.entries(out.files)) {
      expect(file.status, name).toBe(200);
      expect(file.type, name).toMatch(name.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      expect(file.body, name).toBe(readFileSync(join(assetsDir, name), 'utf8'));
    }
    expect(JSON.parse(out.config)).toMatchObject({
      auth: 'oidc',
      issuer: 'https://example.auth0.com/',
      clientId: 'spa',
    });
    expect(out.api).toBe(401);
  }, 120_000);

  it('packages exactly the twelve functions and nothing the Framework would add', () => {
    // Act
    const packaged = resourcesOfType('AWS::Lambda::Function').map(([id]) => id);

    // Assess: no custom-resource helper functions, no shared default role.
    expect(packaged.sort()).toEqual(functionNames.map(functionLogicalId).sort());
    expect(resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('gives each function a role of its own that only Lambda can assume', () => {
    // Act
    const roles = functionNames.map(roleIdOf);

    // Assess
    expect(new Set(roles).size).toBe(functionNames.length);
    for (const roleId of roles) {
      const trust = asList(resource(roleId, 'AWS::IAM::Role').Properties.AssumeRolePolicyDocument as Json);
      const statements = policyStatements(trust as Json).map((s) => s.statement);
      expect(statements).toEqual([
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]);
    }
  });

  it('lets each function write only to its own log group', () => {
    for (const name of functionNames) {
      // Act
      const logStatements = roleStatements(roleIdOf(name)).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('logs:')),
      );

      // Assess
      expect(logStatements, name).toHaveLength(1);
      expect(JSON.stringify(logStatements[0]?.Resource), name).toContain(
        `:log-group:/aws/lambda/eks-upgrade-orchestrator-dev-${name}:*`,
      );
    }
  });

  it('grants the EKS actions each task needs and no more', () => {
    // Prepare
    const eksActions = (name: string): string[] => actionsOfRole(roleIdOf(name)).filter((a) => a.startsWith('eks:'));

    // Act / Assess
    expect(eksActions('plan')).toEqual(
      [
        'eks:DescribeCluster',
        'eks:DescribeClusterVersions',
        'eks:DescribeNodegroup',
        'eks:ListAddons',
        'eks:ListFargateProfiles',
        'eks:ListNodegroups',
      ].sort(),
    );
    expect(eksActions('controlPlane')).toEqual(
      ['eks:DescribeCluster', 'eks:DescribeUpdate', 'eks:ListUpdates', 'eks:UpdateClusterVersion'].sort(),
    );
    expect(eksActions('addons')).toEqual(
      [
        'eks:DescribeAddon',
        'eks:DescribeAddonVersions',
        'eks:DescribeUpdate',
        'eks:ListUpdates',
        'eks:UpdateAddon',
      ].sort(),
    );
    expect(eksActions('nodegroups')).toEqual(
      [
        'eks:DescribeCluster',
        'eks:DescribeFargateProfile',
        'eks:DescribeNodegroup',
        'eks:DescribeUpdate',
        'eks:ListFargateProfiles',
        'eks:ListUpdates',
        'eks:UpdateNodegroupConfig',
        'eks:UpdateNodegroupVersion',
      ].sort(),
    );
    expect(eksActions('readiness')).toEqual(
      [
        'eks:DescribeAddon',
        'eks:DescribeAddonVersions',
        'eks:DescribeCluster',
        'eks:DescribeInsight',
        'eks:DescribeNodegroup',
        'eks:ListAddons',
        'eks:ListInsights',
        'eks:ListNodegroups',
      ].sort(),
    );
    expect(
      actionsOfRole(roleIdOf('readiness')).filter((a) => !a.startsWith('eks:') && !/^(logs|xray):/.test(a)),
    ).toEqual(['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeSubnets', 'sts:AssumeRole']);
    expect(eksActions('validate')).toEqual(['eks:DescribeAddon', 'eks:DescribeCluster']);
    expect(eksActions('console')).toEqual([]);
    expect(eksActions('notify')).toEqual([]);
  });

  it('wires the environment each function reads', () => {
    // Prepare
    const env = (name: string): JsonObject =>
      ((resource(functionLogicalId(name), 'AWS::Lambda::Function').Properties.Environment as JsonObject)?.Variables ??
        {}) as JsonObject;

    // Act / Assess
    for (const name of ['notify', 'approvalRequest', 'dispatch']) {
      expect(env(name).NOTIFY_TOPIC_ARN, name).toEqual({ Ref: 'NotificationTopic' });
    }
    for (const name of ['dispatch', 'console', 'approvalCallback', 'slackInteractivity']) {
      expect(env(name).STATE_MACHINE_ARN, name).toEqual({ Ref: 'UpgradeClusterStateMachine' });
    }
    for (const name of ['approvalRequest', 'approvalCallback']) {
      expect(env(name).APPROVAL_LINK_KEY_PARAMETER, name).toBe('/eks-upgrade-orchestrator/dev/approval-link-key');
    }
    for (const name of ['approvalRequest', 'approvalCallback', 'slackInteractivity', 'console']) {
      expect(env(name).SLACK_BOT_TOKEN_PARAMETER, name).toBe('/eks-upgrade-orchestrator/dev/slack-bot-token');
    }
    expect(env('slackInteractivity').SLACK_SIGNING_SECRET_PARAMETER).toBe(
      '/eks-upgrade-orchestrator/dev/slack-signing-secret',
    );
    // Approval links point at the HTTP API unless a custom address is given.
    expect(env('approvalRequest').APPROVAL_BASE_URL).toEqual({
      'Fn::If': ['HasApprovalBaseUrl', { Ref: 'ApprovalBaseUrl' }, { 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] }],
    });
    expect(template.Conditions?.HasApprovalBaseUrl).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ApprovalBaseUrl' }, ''] }],
    });
  });

  it('keeps secrets out of the template: functions get the names of SSM parameters, never values', () => {
    // Prepare
    const variables = functionNames.flatMap((name) =>
      Object.entries(
        ((resource(functionLogicalId(name), 'AWS::Lambda::Function').Properties.Environment as JsonObject)?.Variables ??
          {}) as JsonObject,
      ).map(([key, value]) => ({ name, key, value })),
    );

    // Act
    const secretish = variables.filter(({ key }) => /SECRET|TOKEN|KEY/.test(key));

    // Assess
    expect(secretish.length).toBeGreaterThan(0);
    for (const { name, key, value } of secretish) {
      expect(key, name).toMatch(/_PARAMETER$/);
      expect(String(value), `${name} ${key}`).toMatch(/^\/eks-upgrade-orchestrator\/dev\/[a-z-]+$/);
    }
    expect(JSON.stringify(template)).not.toMatch(/xox[bp]-/);
  });
});

describe('packaged state machine', () => {
  it('deploys statemachines/upgrade-cluster.asl.yaml as it is in the tree', () => {
    // Prepare
    const machine = resource('UpgradeClusterStateMachine', 'AWS::StepFunctions::StateMachine');
    const source = parse(readFileSync(join(root, 'statemachines', 'upgrade-cluster.asl.yaml'), 'utf8')) as unknown;

    // Act
    const packaged = withoutDefaultQueryLanguage(resolveDefinitionString(machine.Properties.DefinitionString as Json));
    const expected = withoutDefaultQueryLanguage(resolveYamlFunctions(source));

    // Assess
    expect(packaged).toEqual(expected);
    expect(machine.Properties.StateMachineName).toBe('eks-upgrade-orchestrator-dev-upgrade-cluster');
  });

  it('logs errors with execution data to its own log group and traces with X-Ray', () => {
    // Act
    const props = resource('UpgradeClusterStateMachine', 'AWS::StepFunctions::StateMachine').Properties;
    const logging = props.LoggingConfiguration as JsonObject;
    const destination = asList(logging.Destinations)[0] as JsonObject;
    const logGroup = (destination.CloudWatchLogsLogGroup as JsonObject).LogGroupArn as JsonObject;

    // Assess
    expect(logging.Level).toBe('ERROR');
    expect(logging.IncludeExecutionData).toBe(true);
    const logGroupId = String((logGroup['Fn::GetAtt'] as string[])[0]);
    expect(resource(logGroupId, 'AWS::Logs::LogGroup').Properties.RetentionInDays).toBeGreaterThan(0);
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('may invoke exactly the functions its definition calls, and nothing else but log delivery and X-Ray', () => {
    // Prepare
    const props = resource('UpgradeClusterStateMachine', 'AWS::StepFunctions::StateMachine').Properties;
    const roleId = String(((props.RoleArn as JsonObject)['Fn::GetAtt'] as string[])[0]);
    const invoked = invokedFunctions(resolveDefinitionString(props.DefinitionString as Json));

    // Act
    const statements = roleStatements(roleId);
    const invoke = statements.filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
    const others = statements.filter((s) => !actionsOf(s).includes('lambda:InvokeFunction'));

    // Assess
    expect(invoked.size).toBeGreaterThan(0);
    expect(invoke).toHaveLength(1);
    expect(actionsOf(invoke[0] as Statement)).toEqual(['lambda:InvokeFunction']);
    expect(getAttIds(asList(invoke[0]?.Resource))).toEqual([...invoked].sort());
    for (const s of others) {
      expect(
        actionsOf(s).every((a) => a.startsWith('logs:') || a.startsWith('xray:')),
        JSON.stringify(s),
      ).toBe(true);
    }
  });
});

describe('packaged triggers', () => {
  it('runs dispatch on an EventBridge Scheduler cron in a named time zone', () => {
    // Act
    const schedule = resource('DispatchSchedule', 'AWS::Scheduler::Schedule').Properties;
    const target = schedule.Target as JsonObject;
    const roleId = String(((target.RoleArn as JsonObject)['Fn::GetAtt'] as string[])[0]);

    // Assess
    expect(schedule.ScheduleExpression).toBe('cron(0 2 ? * MON-FRI *)');
    expect(schedule.ScheduleExpressionTimezone).toBe('Europe/Berlin');
    expect(schedule.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    expect(target.Arn).toEqual(getAtt('DispatchLambdaFunction'));
    expect(JSON.parse(String(target.Input))).toEqual({ source: 'eks-upgrade.schedule' });
    expect(roleStatements(roleId)).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: getAtt('DispatchLambdaFunction') },
    ]);
  });

  it('runs dispatch on AWS Health planned lifecycle events for EKS', () => {
    // Act
    const rules = resourcesOfType('AWS::Events::Rule').filter(([, r]) =>
      asList(r.Properties.Targets).some(
        (t) => JSON.stringify((t as JsonObject).Arn) === JSON.stringify(getAtt('DispatchLambdaFunction')),
      ),
    );

    // Assess
    expect(rules).toHaveLength(1);
    expect(rules[0]?.[1].Properties.EventPattern).toEqual({
      source: ['aws.health'],
      'detail-type': ['AWS Health Event'],
      detail: { service: ['EKS'], eventTypeCode: ['AWS_EKS_PLANNED_LIFECYCLE_EVENT'] },
    });
  });

  it("admits the fleet's accounts' AWS Health events on the event bus, and nothing else from them", () => {
    const policy = resource('HealthEventsFromFleetAccounts', 'AWS::Events::EventBusPolicy');

    expect(policy.Condition).toBe('HasFleetAccounts');
    expect(template.Conditions?.HasFleetAccounts).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'FleetAccounts' }, ''] }],
    });
    const fleetAccounts = (template.Parameters?.FleetAccounts ?? {}) as JsonObject;
    const accounts = new RegExp(String(fleetAccounts.AllowedPattern));
    expect(['', '111122223333', '111122223333,444455556666'].every((v) => accounts.test(v))).toBe(true);
    expect(['11112222333', '111122223333, 444455556666', 'all'].some((v) => accounts.test(v))).toBe(false);
    expect(policy.Properties.EventBusName).toBe('default');
    expect(policy.Properties.Statement).toMatchObject({
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Condition: { StringEquals: { 'events:source': 'aws.health' } },
    });
  });
});

describe('packaged notifications', () => {
  it('encrypts the topic with a rotated customer-managed key', () => {
    // Act
    const topic = resource('NotificationTopic', 'AWS::SNS::Topic').Properties;
    const keyId = String((topic.KmsMasterKeyId as JsonObject).Ref);
    const key = resource(keyId, 'AWS::KMS::Key').Properties;

    // Assess
    expect(key.EnableKeyRotation).toBe(true);
    const users = policyStatements(key.KeyPolicy as Json)
      .map((s) => s.statement)
      .filter((s) => actionsOf(s).includes('kms:Decrypt'));
    const roles = users.filter((s) => (s.Principal as JsonObject | undefined)?.AWS !== undefined);
    const services = users.filter((s) => (s.Principal as JsonObject | undefined)?.Service !== undefined);
    expect(roles).toHaveLength(1);
    expect(getAttIds(asList((roles[0]?.Principal as JsonObject | undefined)?.AWS))).toEqual(
      ['approvalRequest', 'dispatch', 'notify'].map(roleIdOf).sort(),
    );
    // CloudWatch may use the key only to publish this stack's own alarm.
    expect(services).toHaveLength(1);
    expect(services[0]?.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    const alarm = resource('NotificationPublishFailedAlarm', 'AWS::CloudWatch::Alarm').Properties;
    expect(JSON.stringify(services[0]?.Condition)).toContain(`:alarm:${String(alarm.AlarmName)}`);
  });

  it('alarms on notifications that could not be published, on the metric the notify function counts', () => {
    // Act
    const alarm = resource('NotificationPublishFailedAlarm', 'AWS::CloudWatch::Alarm').Properties;
    const notifySource = readFileSync(join(root, 'functions/notify.ts'), 'utf8');

    // Assess
    expect(notifySource).toContain(`addMetric('${String(alarm.MetricName)}', 'Count', 1)`);
    expect(alarm).toMatchObject({
      Namespace: 'EksUpgradeOrchestrator',
      Dimensions: [{ Name: 'service', Value: 'eks-upgrade-orchestrator' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: 'NotificationTopic' }],
    });
  });

  it('subscribes an email address only when one is given', () => {
    // Act
    const subscription = resourcesOfType('AWS::SNS::Subscription');

    // Assess
    expect(subscription).toHaveLength(1);
    const condition = subscription[0]?.[1].Condition;
    expect(condition).toBeDefined();
    // A real condition: CloudFormation evaluates it at deploy time against the stack parameter, whose default is
    // the stage's `notifyEmail` (empty here), and whose pattern refuses anything but one address.
    expect(template.Conditions?.[String(condition)]).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'NotifyEmail' }, ''] }],
    });
    expect(subscription[0]?.[1].Properties.Endpoint).toEqual({ Ref: 'NotifyEmail' });
    const parameter = template.Parameters?.NotifyEmail as JsonObject;
    expect(parameter.Default).toBe('');
    const pattern = new RegExp(String(parameter.AllowedPattern));
    expect(['', 'platform-team@example.com'].map((v) => pattern.test(v))).toEqual([true, true]);
    expect(['platform-team', 'a@b.c, d@e.f'].map((v) => pattern.test(v))).toEqual([false, false]);
  });
});

describe('packaged HTTP API', () => {
  it('protects the console with the JWT authorizer and leaves signed links and Slack to verifying functions', () => {
    // Prepare
    const authorizers = resourcesOfType('AWS::ApiGatewayV2::Authorizer');
    const routes = Object.fromEntries(
      resourcesOfType('AWS::ApiGatewayV2::Route').map(([, r]) => [String(r.Properties.RouteKey), r.Properties]),
    );

    // Act
    const authorizerOf = (routeKey: string): Json | undefined => routes[routeKey]?.AuthorizerId;
    /** The function behind a route: route → integration → the Lambda function it invokes. */
    const functionOf = (routeKey: string): string => {
      const target = JSON.stringify(routes[routeKey]?.Target);
      const integrationId = /"Ref":"([^"]+)"/.exec(target)?.[1] ?? '';
      const uri = resource(integrationId, 'AWS::ApiGatewayV2::Integration').Properties.IntegrationUri;
      return String(((uri as JsonObject)['Fn::GetAtt'] as string[])[0]);
    };

    // Assess
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0] as [string, Resource];
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(authorizer.Properties.Name).toBe('consoleAuthorizer');
    expect(Object.keys(routes).sort()).toEqual(
      [
        'GET /',
        'GET /console',
        'GET /console/{proxy+}',
        'GET /api/{proxy+}',
        'POST /api/{proxy+}',
        'GET /approvals/{token}',
        'POST /approvals/{token}',
        'POST /slack/interactivity',
      ].sort(),
    );
    for (const key of ['GET /api/{proxy+}', 'POST /api/{proxy+}']) {
      expect(routes[key]?.AuthorizationType, key).toBe('JWT');
      expect(authorizerOf(key), key).toEqual({ Ref: authorizerId });
      expect(functionOf(key), key).toBe('ConsoleLambdaFunction');
    }
    // The console's shell, assets and settings hold no data (page loads carry no bearer token); / redirects there.
    for (const key of ['GET /', 'GET /console', 'GET /console/{proxy+}']) {
      expect(routes[key]?.AuthorizationType ?? 'NONE', key).toBe('NONE');
      expect(functionOf(key), key).toBe('ConsoleLambdaFunction');
    }
    // No IAM or JWT auth on the callbacks: each state change there is verified by the function behind it, the
    // approval link by its AES-GCM seal and expiry, Slack's requests by their signature (test/approvals/).
    const verifiedBy: Record<string, string> = {
      'GET /approvals/{token}': 'ApprovalCallbackLambdaFunction',
      'POST /approvals/{token}': 'ApprovalCallbackLambdaFunction',
      'POST /slack/interactivity': 'SlackInteractivityLambdaFunction',
    };
    for (const [key, fn] of Object.entries(verifiedBy)) {
      expect(routes[key]?.AuthorizationType ?? 'NONE', key).toBe('NONE');
      expect(authorizerOf(key), key).toBeUndefined();
      expect(functionOf(key), key).toBe(fn);
    }
  });
});

describe('packaged IAM', () => {
  // CloudFormation's ${...} placeholders, written with % so they read as plain strings here.
  const sub = (text: string): string => text.replace(/%\{/g, '${');
  const stateMachineArn = {
    'Fn::Sub': sub(
      'arn:%{AWS::Partition}:states:%{AWS::Region}:%{AWS::AccountId}:stateMachine:eks-upgrade-orchestrator-dev-upgrade-cluster',
    ),
  };

  it('lets only the gate functions answer task tokens, and only for the upgrade state machine', () => {
    // Act
    const answering = functionNames.filter((name) =>
      actionsOfRole(roleIdOf(name)).some((a) => a === 'states:SendTaskSuccess' || a === 'states:SendTaskFailure'),
    );
    const statements = answering.flatMap((name) =>
      roleStatements(roleIdOf(name))
        .filter((s) => actionsOf(s).some((a) => a.startsWith('states:SendTask')))
        .map((s) => ({ name, s })),
    );

    // Assess
    expect(answering.sort()).toEqual(['approvalCallback', 'approvalRequest', 'console', 'slackInteractivity']);
    for (const { name, s } of statements) {
      expect(actionsOf(s), name).toEqual(expect.arrayContaining(['states:SendTaskSuccess', 'states:SendTaskFailure']));
      expect(s.Resource, name).toEqual(stateMachineArn);
    }
  });

  it('reads each secret only where it is needed, from its own SSM parameter', () => {
    // Prepare
    const parameter = (name: string) =>
      sub(`arn:%{AWS::Partition}:ssm:%{AWS::Region}:%{AWS::AccountId}:parameter/eks-upgrade-orchestrator/dev/${name}`);

    // Act
    const reads = Object.fromEntries(
      functionNames.map((name) => [
        name,
        roleStatements(roleIdOf(name))
          .filter((s) => actionsOf(s).includes('ssm:GetParameter'))
          .flatMap((s) => {
            expect(actionsOf(s), name).toEqual(['ssm:GetParameter']);
            return asList(s.Resource).map((r) => String((r as JsonObject)['Fn::Sub']));
          })
          // The public EKS AMI parameters (/aws/service/...) hold no secret.
          .filter((arn) => !arn.includes(':parameter/aws/service/'))
          .sort(),
      ]),
    );

    // Assess
    expect(reads.approvalRequest).toEqual([parameter('approval-link-key'), parameter('slack-bot-token')]);
    expect(reads.approvalCallback).toEqual([parameter('approval-link-key'), parameter('slack-bot-token')]);
    expect(reads.slackInteractivity).toEqual([parameter('slack-bot-token'), parameter('slack-signing-secret')]);
    expect(reads.console).toEqual([parameter('slack-bot-token')]);
    // Lifecycle notifications go to the policy's Slack channel too.
    expect(reads.notify).toEqual([parameter('slack-bot-token')]);
    for (const name of [
      'plan',
      'readiness',
      'controlPlane',
      'addons',
      'nodegroups',
      'validate',
      'dispatch',
      'maintenanceWindow',
    ])
      expect(reads[name], name).toEqual([]);
  });

  it('lets only the node rotation read the public EKS AMI parameters', () => {
    // Prepare
    const publicReads = (name: string) =>
      roleStatements(roleIdOf(name))
        .filter((s) => actionsOf(s).includes('ssm:GetParameter'))
        .flatMap((s) => asList(s.Resource).map((r) => String((r as JsonObject)['Fn::Sub'])))
        .filter((arn) => arn.includes(':parameter/aws/service/'));

    // Assess
    expect(publicReads('nodegroups').sort()).toEqual([
      sub('arn:%{AWS::Partition}:ssm:*::parameter/aws/service/bottlerocket/*'),
      sub('arn:%{AWS::Partition}:ssm:*::parameter/aws/service/eks/*'),
    ]);
    for (const name of functionNames.filter((n) => n !== 'nodegroups')) expect(publicReads(name), name).toEqual([]);
  });

  it('names every action explicitly: no "*" and no "service:*" anywhere', () => {
    // Prepare
    const statements = policyStatements(template.Resources as unknown as Json);

    // Act
    const wildcards = statements
      .filter(({ statement }) => !deniesInsecureTransportOnly(statement))
      .flatMap(({ at, statement }) =>
        actionsOf(statement)
          .filter((action) => action === '*' || action.endsWith(':*'))
          .map((action) => `${action} at ${at}`),
      );

    // Assess
    expect(statements.length).toBeGreaterThan(functionNames.length);
    expect(wildcards).toEqual([]);
  });

  it('grants "*" resources only for actions AWS cannot scope', () => {
    // Prepare: actions without resource-level permissions (Service Authorization Reference).
    const unscopable = new Set([
      'eks:DescribeClusterVersions',
      'eks:DescribeAddonVersions',
      'eks:ListClusters',
      // EC2 and Auto Scaling Describe* calls have no resource-level permissions (readiness reads subnets, groups).
      'ec2:DescribeSubnets',
      'ec2:DescribeLaunchTemplateVersions',
      'ec2:DescribeImages',
      'autoscaling:DescribeAutoScalingGroups',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ]);
    const roles = resourcesOfType('AWS::IAM::Role').map(([id]) => id);

    // Act
    const broad = roles.flatMap((roleId) =>
      roleStatements(roleId)
        .filter((s) => s.Effect === 'Allow' && asList(s.Resource).includes('*'))
        .flatMap(actionsOf)
        .filter((action) => !unscopable.has(action))
        .map((action) => `${action} in ${roleId}`),
    );

    // Assess
    expect(broad).toEqual([]);
  });
});

describe('the member role template for other accounts (deploy/member-role.yaml)', () => {
  // CloudFormation's short-form intrinsics, as `aws cloudformation deploy` reads them.
  const intrinsic = (name: string, fn: string, collection?: 'seq') => ({
    tag: `!${name}`,
    ...(collection ? { collection } : {}),
    resolve: (value: unknown) => ({ [fn]: (value as { toJSON?: () => unknown }).toJSON?.() ?? value }),
  });
  const cfnTags = [
    intrinsic('Sub', 'Fn::Sub'),
    intrinsic('Ref', 'Ref'),
    intrinsic('GetAtt', 'Fn::GetAtt'),
    intrinsic('If', 'Fn::If', 'seq'),
    intrinsic('Not', 'Fn::Not', 'seq'),
    intrinsic('Equals', 'Fn::Equals', 'seq'),
  ];
  const member = parse(readFileSync(join(root, 'deploy', 'member-role.yaml'), 'utf8'), {
    customTags: cfnTags,
  }) as Template & { AWSTemplateFormatVersion: string; Parameters: JsonObject };
  const role = member.Resources.MemberRole as Resource;
  const statements = asList(
    asList(role.Properties.Policies as Json).flatMap(
      (p) => ((p as JsonObject).PolicyDocument as JsonObject).Statement as Json,
    ),
  ) as JsonObject[];
  const actions = (s: JsonObject) => asList(s.Action).map(String);

  it('is a CloudFormation template with one IAM role named by its RoleName parameter', () => {
    expect(member.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.Properties.RoleName).toEqual({ Ref: 'RoleName' });
    expect((member.Parameters.RoleName as JsonObject).Default).toBe('eks-upgrade-orchestrator-member');
  });

  it('names every action explicitly, and grants "*" resources only for actions AWS cannot scope', () => {
    const wildcards = statements.flatMap(actions).filter((a) => a === '*' || a.endsWith(':*'));
    const broad = statements
      .filter((s) => asList(s.Resource).includes('*'))
      .flatMap(actions)
      .filter(
        (a) =>
          ![
            'eks:ListClusters',
            'eks:DescribeClusterVersions',
            'eks:DescribeAddonVersions',
            'autoscaling:DescribeAutoScalingGroups',
            'ec2:DescribeSubnets',
            'ec2:DescribeLaunchTemplateVersions',
            'ec2:DescribeImages',
          ].includes(a),
      );

    expect(statements.length).toBeGreaterThan(5);
    expect(wildcards).toEqual([]);
    expect(broad).toEqual([]);
  });

  it('grants what the cluster-touching functions do in their own account, and trusts only their roles', () => {
    const granted = new Set(statements.flatMap(actions));
    const trust = (role.Properties.AssumeRolePolicyDocument as JsonObject).Statement as JsonObject[];
    const conditions = JSON.stringify(trust[0]?.Condition);

    for (const action of [
      'eks:ListClusters',
      'eks:DescribeCluster',
      'eks:UpdateClusterVersion',
      'eks:UpdateAddon',
      'eks:UpdateNodegroupVersion',
      'autoscaling:TerminateInstanceInAutoScalingGroup',
    ]) {
      expect(granted, action).toContain(action);
    }
    expect(trust).toHaveLength(1);
    expect(trust[0]?.Action).toBe('sts:AssumeRole');
    expect(conditions).toContain('aws:PrincipalArn');
    expect(conditions).toContain('sts:ExternalId');
  });

  it('grants dispatch, and the member role, every AWS call a real fleet dispatch makes in their accounts', async () => {
    // Prepare: the fleet scenario, in its window, in the simulator; each call is recorded in the account it reached.
    const fleet = loadScenario(join(root, 'scenarios', 'fleet.yaml'));
    const scenario = parseScenario({ ...fleet, startTime: '2026-12-01T02:00:00Z' }, 'scenarios/fleet.yaml');
    const iamAction = (c: { service: string; command: string }) =>
      // HeadObject is authorised as s3:GetObject.
      `${c.service}:${c.service === 's3' && c.command === 'HeadObject' ? 'GetObject' : c.command}`;
    const made = await withFleet(scenario, shippedPolicy, async (env) => {
      // A dry run: the upgrades it would start (whose tasks have roles of their own) do not run alongside.
      const members = [...env.world.cloud.accounts.values()].filter((a) => a !== env.world.account);
      const before = new Map([env.world.account, ...members].map((a) => [a, a.calls.length]));
      const result = await invokeDispatch(env, { ...schedule, dryRun: true });
      expect(result.decisions.filter((d) => d.decision === 'would-start').length).toBeGreaterThan(0);
      const since = (a: (typeof members)[number]) => a.calls.slice(before.get(a));
      expect(members.length).toBeGreaterThan(0);
      return {
        central: [...new Set(since(env.world.account).map(iamAction))].sort(),
        member: [...new Set(members.flatMap(since).map(iamAction))].sort(),
      };
    });
    // GetCallerIdentity needs no permission.
    const needed = (actions: string[]) => actions.filter((a) => a !== 'sts:GetCallerIdentity');

    // Assess
    const dispatchGrants = new Set(actionsOfRole(roleIdOf('dispatch')));
    const memberGrants = new Set(statements.flatMap(actions));
    expect(made.central).toEqual(
      expect.arrayContaining(['eks:DescribeCluster', 'eks:ListNodegroups', 'eks:DescribeNodegroup', 'sts:AssumeRole']),
    );
    expect(needed(made.central).filter((a) => !dispatchGrants.has(a))).toEqual([]);
    expect(made.member).toEqual(expect.arrayContaining(['eks:ListClusters', 'eks:DescribeCluster']));
    expect(needed(made.member).filter((a) => !memberGrants.has(a))).toEqual([]);
  });

  it("forwards the account's EKS end of support events to the orchestrator's bus with the pattern dispatch matches", () => {
    const rule = member.Resources.HealthEventsToOrchestrator as Resource;
    const forwarder = member.Resources.HealthEventsForwarderRole as Resource;
    const target = asList(rule.Properties.Targets)[0] as JsonObject;
    const central = resourcesOfType('AWS::Events::Rule').find(([, r]) =>
      asList(r.Properties.Targets).some(
        (t) => JSON.stringify((t as JsonObject).Arn) === JSON.stringify(getAtt('DispatchLambdaFunction')),
      ),
    );
    const forwarderStatements = asList(
      asList(forwarder.Properties.Policies as Json).flatMap(
        (p) => ((p as JsonObject).PolicyDocument as JsonObject).Statement as Json,
      ),
    ) as JsonObject[];

    expect(rule.Properties.EventPattern).toEqual(central?.[1].Properties.EventPattern);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation !Sub placeholder, not a JS template
    const orchestratorBus = ':${OrchestratorAccountId}:event-bus/default';
    expect(JSON.stringify(target.Arn)).toContain(orchestratorBus);
    expect(target.RoleArn).toEqual({ 'Fn::GetAtt': 'HealthEventsForwarderRole.Arn' });
    expect(forwarderStatements).toHaveLength(1);
    expect(forwarderStatements[0]?.Action).toBe('events:PutEvents');
    expect(JSON.stringify(forwarderStatements[0]?.Resource)).toContain(orchestratorBus);
  });

  it('keeps the fleet snapshot in a private, encrypted, versioned, TLS-only bucket only dispatch writes', () => {
    const bucket = resource('FleetBucket', 'AWS::S3::Bucket').Properties;
    const policy = resource('FleetBucketPolicy', 'AWS::S3::BucketPolicy').Properties.PolicyDocument as JsonObject;
    const variables = (name: string) =>
      ((resource(functionLogicalId(name), 'AWS::Lambda::Function').Properties.Environment as JsonObject).Variables ??
        {}) as JsonObject;
    const s3Grants = Object.keys(resources)
      .filter((id) => resources[id]?.Type === 'AWS::IAM::Role')
      .flatMap((id) =>
        policyStatements(resources[id]?.Properties as unknown as Json)
          .filter(({ statement }) => asList(statement.Action).some((a) => String(a).startsWith('s3:')))
          .map(({ statement }) => `${id} ${asList(statement.Action).join(',')}`),
      )
      .sort();

    expect(JSON.stringify(bucket.BucketEncryption)).toContain('AES256');
    expect(Object.values(bucket.PublicAccessBlockConfiguration as JsonObject)).toEqual([true, true, true, true]);
    expect((bucket.VersioningConfiguration as JsonObject).Status).toBe('Enabled');
    expect(JSON.stringify(policy.Statement)).toContain('"aws:SecureTransport":"false"');
    expect(variables('dispatch').FLEET_BUCKET).toEqual({ Ref: 'FleetBucket' });
    expect(variables('console').FLEET_BUCKET).toEqual({ Ref: 'FleetBucket' });
    expect(variables('plan').MEMBER_ROLE_NAME).toBe('eks-upgrade-orchestrator-member');
    expect(s3Grants).toEqual(['ConsoleRole s3:GetObject', 'ConsoleRole s3:ListBucket', 'DispatchRole s3:PutObject']);
  });

  it('is the role the function roles may assume, and nothing broader', () => {
    // Trust policies say sts:AssumeRole too, without a Resource: only permissions are looked at.
    const assume = policyStatements(template.Resources as unknown as Json).filter(
      ({ statement }) => statement.Resource !== undefined && asList(statement.Action).includes('sts:AssumeRole'),
    );

    expect(assume.length).toBeGreaterThanOrEqual(7);
    for (const { statement } of assume) {
      expect(JSON.stringify(statement.Resource)).toContain(':role/eks-upgrade-orchestrator-member');
    }
  });
});

describe('the packaged dispatch function, run as Lambda runs it, against moto', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMoto();
  }, 30_000);
  afterAll(async () => {
    await moto?.stop();
  });

  it('lists and describes the fleet, decides per cluster, and writes the snapshot, with only its own bundle', async () => {
    // Prepare: a fleet in moto, through the real SDK clients; the function's zip unpacked as Lambda would.
    const config = {
      region: 'eu-west-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    };
    const role = 'arn:aws:iam::123456789012:role/cluster';
    const eks = new EKSClient(config);
    for (const [name, tags] of [
      ['orders', { 'eks-upgrade/enabled': 'true', 'eks-upgrade/policy': 'dev' }],
      ['sandbox', {}],
    ] as const) {
      await eks.send(
        new CreateClusterCommand({
          name,
          version: '1.33',
          roleArn: role,
          resourcesVpcConfig: { subnetIds: ['subnet-1'] },
          tags,
        }),
      );
    }
    const machine = await new SFNClient(config).send(
      new CreateStateMachineCommand({
        name: 'upgrade-cluster',
        roleArn: role,
        definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } }),
      }),
    );
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    await s3.send(
      new CreateBucketCommand({ Bucket: 'fleet', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
    );
    const topic = await new SNSClient(config).send(new CreateTopicCommand({ Name: 'notifications' }));
    const unpacked = mkdtempSync(join(tmpdir(), 'eks-upgrade-dispatch-'));
    unzip(join(dirname(templatePath), 'dispatch.zip'), unpacked);

    // Act: a fresh Node 22, the zip's root as its working directory, the environment serverless.yml gives it.
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { handler } = await import('./functions/dispatch.mjs');
         const result = await handler({ source: 'eks-upgrade.schedule' });
         process.stdout.write('RESULT ' + JSON.stringify(result) + '\\n');`,
      ],
      {
        cwd: unpacked,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH ?? '',
          AWS_REGION: 'eu-west-1',
          AWS_ENDPOINT_URL: moto.endpoint,
          AWS_ACCESS_KEY_ID: 'testing',
          AWS_SECRET_ACCESS_KEY: 'testing',
          AWS_ACCOUNT_ID: '123456789012',
          AWS_LAMBDA_FUNCTION_NAME: 'eks-upgrade-orchestrator-dev-dispatch',
          STATE_MACHINE_ARN: machine.stateMachineArn ?? '',
          NOTIFY_TOPIC_ARN: topic.TopicArn ?? '',
          FLEET_BUCKET: 'fleet',
          POLICY_FILE: 'config/upgrade-policy.yaml',
        },
      },
    );

    // Assess: what it decides depends on today (windows, freezes), so only what does not is asserted.
    expect(run.status, run.stderr).toBe(0);
    const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    const result = JSON.parse(line?.slice('RESULT '.length) ?? '{}') as {
      started: number;
      decisions: Array<{ cluster: { name: string }; enrolled: boolean; decision: string; version: string }>;
      problems: unknown[];
    };
    expect(result.problems).toEqual([]);
    expect(result.decisions.map((d) => [d.cluster.name, d.enrolled, d.version]).sort()).toEqual([
      ['orders', true, '1.33'],
      ['sandbox', false, '1.33'],
    ]);
    expect(result.decisions.find((d) => d.cluster.name === 'sandbox')?.decision).toBe('not-enrolled');
    expect(result.started).toBe(result.decisions.filter((d) => d.decision === 'start').length);
    // moto has no DescribeClusterVersions: the function says so and falls back to its calendar.
    expect(run.stdout + run.stderr).toContain('EKS DescribeClusterVersions failed; using the support dates bundled');
    const snapshot = await s3.send(new GetObjectCommand({ Bucket: 'fleet', Key: 'fleet/latest.json' }));
    const fleet = JSON.parse((await snapshot.Body?.transformToString()) ?? '{}') as { clusters: unknown[] };
    expect(fleet.clusters).toHaveLength(2);
  }, 90_000);
});
