/**
 * Records every call the simulated AWS answers in this test file (when the global setup asked for it), for the
 * model check that runs once the whole run has ended (test/setup/aws-conformance.ts).
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { observeAwsCalls } from '../../sim/aws/recorder.js';

const dir = process.env.AWS_CALL_LOG_DIR;
if (dir) {
  const lines = new Set<string>();
  const stop = observeAwsCalls((call) => {
    lines.add(JSON.stringify(call));
  });
  afterAll(() => {
    stop();
    if (lines.size > 0) writeFileSync(join(dir, `${process.pid}-${randomUUID()}.jsonl`), [...lines].join('\n'));
  });
}
