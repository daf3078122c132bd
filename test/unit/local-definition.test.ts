import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../local/definition.js';
import { defaultDefinitionPath } from '../../local/environment.js';
import { localFunctions } from '../../local/functions.js';

describe('local binding of the state machine', () => {
  it('binds every Task to one of the real handlers and resolves Fn::GetAtt to Lambda ARNs', () => {
    const { definition, tasks } = loadDefinition(defaultDefinitionPath, {
      region: 'eu-west-1',
      accountId: '111122223333',
    });
    expect(tasks.size).toBeGreaterThanOrEqual(12);
    for (const task of tasks.values()) expect(localFunctions[task.functionName], task.state).toBeTypeOf('function');
    expect(tasks.get('Approve hop')?.waitForTaskToken).toBe(true);
    expect(JSON.stringify(definition)).not.toContain('Fn::GetAtt');
    expect(JSON.stringify(definition)).toContain('arn:aws:lambda:eu-west-1:111122223333:function:plan');
  });
});
