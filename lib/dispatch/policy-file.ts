import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { InvalidPolicy } from '../errors.js';
import { scheduleProblems, type WindowSchedule } from '../fleet/windows.js';
import {
  approvalPolicySchema,
  autoApproveSchema,
  durationMs,
  durationSchema,
  exclusionSchema,
  maintenanceWindowSchema,
  nodeRotationSchema,
  type UpgradePolicy,
  upgradePolicySchema,
} from '../planning/index.js';

/** Where the policy file is looked for when POLICY_FILE does not say (bundled with the dispatch function). */
export const defaultPolicyFile = 'config/upgrade-policy.yaml';

const name = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase name (a-z, 0-9 and "-"), as the tags spell it');

const startSchema = z.union(
  [z.literal('asap'), z.object({ daysBeforeEndOfSupport: z.number().int().min(1).max(3650) }).strict()],
  { errorMap: () => ({ message: 'must be "asap" or { daysBeforeEndOfSupport: N }' }) },
);

const shape = upgradePolicySchema.shape;

/** What defaults and every policy group may set; a group overrides the defaults field by field. */
const policyFields = {
  /** `latest`, `latest-1`, or a pinned minor such as "1.34". */
  target: shape.target.removeDefault().optional(),
  /** `asap`: as soon as waves and windows allow; `{ daysBeforeEndOfSupport: N }`: not before N days ahead of it. */
  start: startSchema.optional(),
  /** A planned start closer than this to the end of standard support puts the cluster at risk. */
  marginDays: z.number().int().min(0).max(365).optional(),
  maintenanceWindows: z.array(maintenanceWindowSchema).optional(),
  exclusions: z.array(exclusionSchema).optional(),
  /** A window must stay open at least this long for an upgrade (or a hop's control plane update) to start in it. */
  minWindowRemaining: durationSchema.optional(),
  approvals: approvalPolicySchema.optional(),
  /** `false` turns off an autoApprove rule the defaults set. */
  autoApprove: z.union([z.literal(false), autoApproveSchema]).optional(),
  nodeRotation: nodeRotationSchema.optional(),
  nodegroupConcurrency: shape.nodegroupConcurrency.removeDefault().optional(),
  force: shape.force.removeDefault().optional(),
  /** Where approval requests go: a Slack channel id or #name, and whether email (SNS) is sent. */
  notifications: z
    .object({ slackChannel: z.string().min(1).max(80).optional(), email: z.boolean().optional() })
    .strict()
    .optional(),
};

const groupSchema = z.object({ ...policyFields, wave: name.optional() }).strict();

export const policyFileSchema = z
  .object({
    version: z.literal(1, { errorMap: () => ({ message: 'must be 1 (the policy file format this version reads)' }) }),
    defaults: z.object(policyFields).strict().default({}),
    policies: z
      .record(name, groupSchema)
      .refine((p) => Object.keys(p).length > 0, 'name at least one policy group (clusters select one by tag)'),
    waves: z
      .object({
        order: z.array(name).min(1, 'list the waves, earliest first'),
        /** Per wave: how long the previous wave must have run the target, without a failed upgrade, first. */
        soak: z.record(name, durationSchema).default({}),
      })
      .strict()
      .optional(),
    /** The group an enrolled cluster without the eks-upgrade/policy tag gets; unset, such a cluster is refused. */
    defaultPolicy: name.optional(),
  })
  .strict()
  .superRefine((file, ctx) => {
    const order = file.waves?.order ?? [];
    if (new Set(order).size !== order.length) {
      ctx.addIssue({ code: 'custom', path: ['waves', 'order'], message: 'names a wave twice' });
    }
    for (const wave of Object.keys(file.waves?.soak ?? {})) {
      if (!order.includes(wave)) {
        ctx.addIssue({
          code: 'custom',
          path: ['waves', 'soak', wave],
          message: `is not a wave of waves.order (${order.join(', ')})`,
        });
      } else if (wave === order[0]) {
        ctx.addIssue({
          code: 'custom',
          path: ['waves', 'soak', wave],
          message: 'is the first wave: no earlier wave soaks before it; remove it',
        });
      }
    }
    for (const [group, policy] of Object.entries(file.policies)) {
      if (policy.wave && !order.includes(policy.wave)) {
        ctx.addIssue({
          code: 'custom',
          path: ['policies', group, 'wave'],
          message: file.waves
            ? `"${policy.wave}" is not a wave of waves.order (${order.join(', ')})`
            : `"${policy.wave}" needs a waves section that lists it in waves.order`,
        });
      }
    }
    if (file.defaultPolicy && !file.policies[file.defaultPolicy]) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultPolicy'],
        message: `"${file.defaultPolicy}" is not a policy group (have: ${Object.keys(file.policies).join(', ')})`,
      });
    }
    const scopes: Array<[Array<string>, z.infer<typeof groupSchema>]> = [
      [['defaults'], file.defaults],
      ...Object.entries(file.policies).map(([g, p]): [string[], z.infer<typeof groupSchema>] => [['policies', g], p]),
    ];
    for (const [path, fields] of scopes) {
      const problems = scheduleProblems({
        windows: fields.maintenanceWindows ?? [],
        exclusions: fields.exclusions ?? [],
      });
      for (const problem of problems) {
        // `windows[0].cron: ...` → policies.<group>.maintenanceWindows[0].cron
        const m = /^(windows|exclusions)\[(\d+)\]\.(\w+): ([\s\S]*)$/.exec(problem);
        const list = m?.[1] === 'windows' ? 'maintenanceWindows' : 'exclusions';
        ctx.addIssue({
          code: 'custom',
          path: m ? [...path, list, Number(m[2]), m[3] as string] : path,
          message: m ? (m[4] as string) : problem,
        });
      }
    }
  });

export type PolicyFile = z.infer<typeof policyFileSchema>;
type GroupFields = z.infer<typeof groupSchema>;

/** One policy group resolved against the defaults: what dispatch decides with and what the execution carries. */
export interface GroupPolicy {
  group: string;
  wave?: string;
  start: 'asap' | { daysBeforeEndOfSupport: number };
  marginDays: number;
  schedule: WindowSchedule;
  minWindowRemainingMs: number;
  /** How long the previous wave must have run the target before this group's wave starts. */
  soakMs: number;
  /** The execution input's policy (maintenance windows, exclusions and autoApprove included). */
  upgrade: UpgradePolicy;
}

const defaultMarginDays = 14;
const defaultMinWindowRemaining = '1h';

function pathOf(path: Array<string | number>): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

function describe(source: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const hint = issue.code === 'unrecognized_keys' ? ' (remove it or check its spelling in docs/fleet.md)' : '';
    return `  - ${pathOf(issue.path) || '(top level)'}: ${issue.message}${hint}`;
  });
  return `${source} is not a valid upgrade policy file:\n${lines.join('\n')}`;
}

/** Merges the defaults and a group, field by field, into what the execution carries. Throws InvalidPolicy. */
function upgradePolicyOf(source: string, group: string, fields: GroupFields): UpgradePolicy {
  const approvals = fields.approvals ?? approvalPolicySchema.parse('auto');
  const slackChannel = fields.notifications?.slackChannel;
  const parsed = upgradePolicySchema.safeParse({
    ...(fields.target ? { target: fields.target } : {}),
    approvals: {
      ...approvals,
      ...(slackChannel && !approvals.slack ? { slack: { channel: slackChannel } } : {}),
      ...(fields.notifications?.email !== undefined ? { email: fields.notifications.email } : {}),
    },
    ...(fields.nodegroupConcurrency !== undefined ? { nodegroupConcurrency: fields.nodegroupConcurrency } : {}),
    ...(fields.force !== undefined ? { force: fields.force } : {}),
    ...(fields.nodeRotation ? { nodeRotation: fields.nodeRotation } : {}),
    ...(fields.maintenanceWindows?.length ? { maintenanceWindows: fields.maintenanceWindows } : {}),
    ...(fields.exclusions?.length ? { exclusions: fields.exclusions } : {}),
    minWindowRemaining: fields.minWindowRemaining ?? defaultMinWindowRemaining,
    ...(fields.autoApprove ? { autoApprove: fields.autoApprove } : {}),
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  - policies.${group}.${pathOf(i.path)}: ${i.message}`);
    throw new InvalidPolicy(`${source} is not a valid upgrade policy file:\n${issues.join('\n')}`);
  }
  return parsed.data;
}

/** Every group of a policy file, resolved against the defaults. */
export class FleetPolicy {
  readonly groups: ReadonlyMap<string, GroupPolicy>;

  constructor(
    readonly file: PolicyFile,
    readonly source: string,
  ) {
    const groups = new Map<string, GroupPolicy>();
    for (const [group, own] of Object.entries(file.policies)) {
      const fields: GroupFields = { ...file.defaults, ...stripUndefined(own) };
      const upgrade = upgradePolicyOf(source, group, fields);
      groups.set(group, {
        group,
        ...(own.wave ? { wave: own.wave } : {}),
        start: fields.start ?? 'asap',
        marginDays: fields.marginDays ?? defaultMarginDays,
        schedule: { windows: fields.maintenanceWindows ?? [], exclusions: fields.exclusions ?? [] },
        minWindowRemainingMs: durationMs(upgrade.minWindowRemaining ?? defaultMinWindowRemaining),
        soakMs: own.wave && file.waves?.soak[own.wave] ? durationMs(file.waves.soak[own.wave] as string) : 0,
        upgrade,
      });
    }
    this.groups = groups;
  }

  /** Waves, earliest first; empty when the file has no waves. */
  get waveOrder(): readonly string[] {
    return this.file.waves?.order ?? [];
  }

  /**
   * The group a cluster's policy tag selects (or the file's defaultPolicy). Throws InvalidPolicy saying which tag
   * to set or which groups exist.
   */
  groupFor(tag: string | undefined): GroupPolicy {
    const wanted = tag ?? this.file.defaultPolicy;
    if (!wanted) {
      throw new InvalidPolicy(
        `the cluster has no ${policyTag} tag and ${this.source} sets no defaultPolicy; tag it with one of: ${[...this.groups.keys()].join(', ')}`,
      );
    }
    const group = this.groups.get(wanted);
    if (!group) {
      throw new InvalidPolicy(
        `${policyTag}=${wanted} names no policy group of ${this.source} (have: ${[...this.groups.keys()].join(', ')}); fix the tag or add the group`,
      );
    }
    return group;
  }
}

/** The tag that selects a cluster's policy group. */
export const policyTag = 'eks-upgrade/policy';

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Validates a policy file's text. Throws InvalidPolicy naming the file, and every field at fault or the YAML line. */
export function parsePolicyFile(text: string, source: string): FleetPolicy {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true });
  } catch (cause) {
    const at = cause instanceof YAMLParseError && cause.linePos ? ` at line ${cause.linePos[0].line}` : '';
    throw new InvalidPolicy(
      `${source} is not valid YAML${at}: ${(cause as Error).message.split('\n')[0]}; fix the file and deploy again`,
      { cause },
    );
  }
  const parsed = policyFileSchema.safeParse(doc ?? {});
  if (!parsed.success) throw new InvalidPolicy(describe(source, parsed.error));
  return new FleetPolicy(parsed.data, source);
}

/** Reads and validates the policy file (relative paths from the function's root). Throws InvalidPolicy. */
export function loadPolicyFile(path: string, root = process.env.LAMBDA_TASK_ROOT ?? process.cwd()): FleetPolicy {
  const full = isAbsolute(path) ? path : resolve(root, path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (cause) {
    throw new InvalidPolicy(
      `cannot read the upgrade policy file ${path} (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}); set POLICY_FILE to a file bundled with the function`,
      { cause },
    );
  }
  return parsePolicyFile(text, path);
}
