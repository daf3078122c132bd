/**
 * Holds every AWS call the simulator answered during the test run to botocore's service models: each test file
 * records its calls (test/setup/record-aws-calls.ts), and when the run ends they are checked together. A call
 * that leaves the model (a member, type, enum value, range, error code or HTTP status AWS would not send or
 * accept) fails the run, naming the call and the place.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCallFiles, mismatchLines } from '../referees/aws-models.js';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'aws-calls-'));
  process.env.AWS_CALL_LOG_DIR = dir;
  return () => {
    try {
      const files = readdirSync(dir).map((f) => join(dir, f));
      if (files.length === 0) return;
      const report = checkCallFiles(files);
      if (report.mismatches.length > 0) {
        throw new Error(
          `${report.mismatches.length} of the simulated AWS's answers leave botocore's service models ` +
            `(${report.distinctCalls} distinct calls checked):\n${mismatchLines(report)}`,
        );
      }
      process.stdout.write(
        `AWS model conformance: ${report.distinctCalls} distinct calls to ${Object.keys(report.operations).length} operations, 0 mismatches\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
