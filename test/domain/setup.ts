import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import { expect } from 'vitest';
import 'aws-sdk-client-mock-vitest/extend';
import { MemoryLog } from '../../lib/runtime/index.js';

// The matcher package is typed against a newer vitest; the matchers themselves work on 3.2.
expect.extend(allCustomMatcher as unknown as Parameters<typeof expect.extend>[0]);

export const log = new MemoryLog();
export const now = () => new Date('2026-11-21T02:00:00Z');
export const meta = { $metadata: { httpStatusCode: 400 } };
