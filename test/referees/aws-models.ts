/**
 * The AWS service models as referee: runs botocore_conformance.py (botocore's official models, installed on every
 * machine of this kind) over recorded calls of the simulated AWS, and lists the operations the product calls.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AwsCallRecord, ObservedService } from '../../sim/aws/recorder.js';

const script = fileURLToPath(new URL('./botocore_conformance.py', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));

export interface ConformanceReport {
  distinctCalls: number;
  mismatches: Array<{ call: string; where: string; problem: string }>;
  /** By `service.Operation`. */
  operations: Record<string, { calls: number; errors: Record<string, number>; outputPaths: string[] }>;
  /** Every output member path the model defines, by `service.Operation` (of the operations called). */
  model: Record<string, string[]>;
  /** By `service.Waiter`: how many answers each acceptor state matched (`none`: the waiter keeps polling). */
  waiters: Record<string, { success: number; failure: number; retry: number; none: number }>;
  /** Calls the simulator refused as not modelled, by `service.Operation`. */
  notSimulated: Record<string, number>;
}

/** Checks the JSON-lines files of recorded calls against botocore's models. */
export function checkCallFiles(files: string[]): ConformanceReport {
  const run = spawnSync('python3', [script, ...files], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (run.error || run.status !== 0) {
    throw new Error(
      `the botocore referee could not run (python3 with botocore is needed; it ships on every machine of this ` +
        `kind): ${run.error?.message ?? run.stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
  }
  return JSON.parse(run.stdout) as ConformanceReport;
}

/** Checks recorded calls against botocore's models. */
export function checkCalls(calls: readonly AwsCallRecord[]): ConformanceReport {
  const dir = mkdtempSync(join(tmpdir(), 'aws-calls-'));
  try {
    const file = join(dir, 'calls.jsonl');
    writeFileSync(file, calls.map((c) => JSON.stringify(c)).join('\n'));
    return checkCallFiles([file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per mismatch, for an assertion message. */
export function mismatchLines(report: ConformanceReport): string {
  return report.mismatches.map((m) => `${m.call} ${m.where}: ${m.problem}`).join('\n');
}

const clientService: Record<string, ObservedService> = {
  '@aws-sdk/client-eks': 'eks',
  '@aws-sdk/client-auto-scaling': 'autoscaling',
  '@aws-sdk/client-ec2': 'ec2',
  '@aws-sdk/client-ssm': 'ssm',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-sts': 'sts',
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-sfn': 'sfn',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(root, dir, f));
}

/**
 * Every AWS operation the product's code calls, as `service.Operation`: the commands and paginators lib/ and
 * functions/ import from the SDK clients and use.
 */
export function productOperations(): string[] {
  const ops = new Set<string>();
  for (const file of [...sourceFiles('lib'), ...sourceFiles('functions')]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(@aws-sdk\/client-[a-z0-9-]+)'/g)) {
      const service = clientService[m[2] ?? ''];
      if (!service) continue;
      for (const raw of (m[1] ?? '').split(',')) {
        const name = raw.trim().replace(/^type\s+/, '');
        const command = /^([A-Z]\w+)Command$/.exec(name)?.[1];
        const paginated = /^paginate([A-Z]\w+)$/.exec(name)?.[1];
        const op = command ?? paginated;
        if (!op) continue;
        const used = command ? new RegExp(`new ${name}\\(`).test(text) : new RegExp(`${name}\\(`).test(text);
        if (used) ops.add(`${service}.${op}`);
      }
    }
  }
  return [...ops].sort();
}
