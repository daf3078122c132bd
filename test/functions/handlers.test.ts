import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handler as controlPlane } from '../../functions/controlPlane.js';
import { handler as dispatch } from '../../functions/dispatch.js';
import { handler as notify } from '../../functions/notify.js';
import { systemClock } from '../../lib/clock.js';
import { InvalidInput } from '../../lib/errors.js';
import { MemoryLog, MemoryMetrics, setDependencyProvider } from '../../lib/runtime/index.js';

const log = new MemoryLog();
const untouchable = () => {
  throw new Error('a handler reached AWS with an invalid event');
};

describe('handlers refuse malformed events before touching anything', () => {
  beforeEach(() => {
    setDependencyProvider(() => ({
      aws: untouchable,
      kube: untouchable,
      clock: systemClock,
      log,
      metrics: new MemoryMetrics(),
      settings: { region: 'eu-west-1', topicArn: 'arn:aws:sns:eu-west-1:111122223333:t', stateMachineArn: 'arn:sm' },
    }));
  });
  afterEach(() => setDependencyProvider(undefined));

  it('names every bad field and where to look', async () => {
    const attempt = controlPlane({ action: 'check', cluster: 'demo', region: 'Ireland', toVersion: '1.33' });
    await expect(attempt).rejects.toThrow(InvalidInput);
    await expect(attempt).rejects.toThrow(/region: must be an AWS region.*updateId: Required.*Parameters/);
  });

  it('refuses an unknown action', async () => {
    await expect(
      controlPlane({ action: 'rollback', cluster: 'demo', region: 'eu-west-1', toVersion: '1.33' }),
    ).rejects.toThrow(/Invalid discriminator value/);
  });

  it('rejects a foreign event at dispatch with a clear log line and starts nothing', async () => {
    await expect(dispatch({ source: 'aws.s3', 'detail-type': 'Object Created' })).rejects.toThrow(InvalidInput);
    const line = log.records.at(-1);
    expect(line?.level).toBe('ERROR');
    expect(String(line?.error)).toContain('dispatch accepts a schedule event');
  });

  it('rejects a notification of an unknown kind', async () => {
    await expect(notify({ kind: 'party', cluster: 'demo', region: 'eu-west-1' })).rejects.toThrow(
      /kind: Invalid enum value/,
    );
  });
});
