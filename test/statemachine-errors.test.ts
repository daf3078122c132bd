import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as errors from '../lib/errors.js';

// asl-validator ships CommonJS without type declarations.
type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

const stateMachineDir = join(import.meta.dirname, '..', 'statemachines');
const definitions = readdirSync(stateMachineDir)
  .filter((file) => file.endsWith('.asl.yaml'))
  .map((file) => ({ file, definition: parse(readFileSync(join(stateMachineDir, file), 'utf8')) as unknown }));

/**
 * Errors the Lambda service raises on an invoke, which Step Functions surfaces under these names, and those of a
 * function that ran out of time or memory (Sandbox.Timedout, Lambda.Unknown).
 */
const lambdaServiceErrors = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Sandbox.Timedout',
  'Lambda.Unknown',
];

/** Every `ErrorEquals` list in a definition, with the path of the state that holds it. */
function errorEqualsIn(node: unknown, path: string[] = []): { at: string; names: string[] }[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => errorEqualsIn(item, [...path, String(i)]));
  if (!node || typeof node !== 'object') return [];
  const found: { at: string; names: string[] }[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'ErrorEquals') found.push({ at: path.join(' > '), names: value as string[] });
    else found.push(...errorEqualsIn(value, [...path, key]));
  }
  return found;
}

/** The definition as Step Functions would see it once CloudFormation resolved `Fn::GetAtt: [fn, Arn]`. */
function withPlaceholderArns(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withPlaceholderArns);
  if (!node || typeof node !== 'object') return node;
  const getAtt = (node as Record<string, unknown>)['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return `arn:aws:lambda:eu-west-1:123456789012:function:${String(getAtt[0])}`;
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withPlaceholderArns(value)]));
}

describe('state machine error names', () => {
  it('finds state machine definitions with Retry and Catch blocks', () => {
    // Prepare / Act
    const lists = definitions.flatMap(({ definition }) => errorEqualsIn(definition));

    // Assess
    expect(definitions.length).toBeGreaterThan(0);
    expect(lists.length).toBeGreaterThan(0);
  });

  it.each(definitions)(
    '$file matches only States.*, Lambda service errors and lib/errors.ts names',
    ({ definition }) => {
      // Prepare
      const known = new Set<string>([...lambdaServiceErrors, ...errors.errorNames]);

      // Act
      const unknown = errorEqualsIn(definition).flatMap(({ at, names }) =>
        names.filter((name) => !name.startsWith('States.') && !known.has(name)).map((name) => `${name} at ${at}`),
      );

      // Assess
      expect(unknown).toEqual([]);
    },
  );

  it('names in errorNames are error classes whose instances carry that name', () => {
    // Prepare
    const exported = errors as unknown as Record<string, unknown>;

    // Act
    const mismatches = errors.errorNames.flatMap((name) => {
      const ErrorClass = exported[name];
      if (typeof ErrorClass !== 'function') return [`${name}: no class of that name is exported`];
      const instance = new (ErrorClass as new (message: string) => Error)('probe');
      if (!(instance instanceof Error)) return [`${name}: not an Error`];
      return instance.name === name ? [] : [`${name}: instance.name is ${instance.name}`];
    });

    // Assess
    expect(mismatches).toEqual([]);
  });
});

describe('state machine definitions', () => {
  it.each(definitions)('$file is valid Amazon States Language', ({ definition }) => {
    // Prepare
    const resolved = withPlaceholderArns(definition);

    // Act
    const result = aslValidator(resolved, { checkPaths: true, checkArn: true });

    // Assess
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('the validator rejects a definition whose transition target does not exist', () => {
    // Prepare: a control, so that a validator that accepts everything cannot pass the test above.
    const broken = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Missing' } } };

    // Act
    const result = aslValidator(broken, { checkPaths: true, checkArn: true });

    // Assess
    expect(result.isValid).toBe(false);
  });
});
