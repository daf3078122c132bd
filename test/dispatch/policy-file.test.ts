import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicyFile, parsePolicyFile } from '../../lib/dispatch/index.js';
import { InvalidPolicy } from '../../lib/errors.js';

const shipped = readFileSync(new URL('../../config/upgrade-policy.yaml', import.meta.url), 'utf8');

function problemsOf(text: string): string {
  try {
    parsePolicyFile(text, 'fleet.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPolicy);
    return (error as Error).message;
  }
  throw new Error('the policy file was accepted');
}

describe('the policy file', () => {
  it('ships a valid default that resolves every group against the defaults', () => {
    // Act
    const policy = loadPolicyFile('config/upgrade-policy.yaml');

    // Assess
    expect([...policy.groups.keys()]).toEqual(['dev', 'staging', 'prod', 'batch']);
    const prod = policy.groups.get('prod');
    expect(prod?.wave).toBe('prod');
    expect(prod?.soakMs).toBe(5 * 86_400_000);
    expect(prod?.start).toEqual({ daysBeforeEndOfSupport: 120 });
    expect(prod?.upgrade.approvals).toMatchObject({ mode: 'people', slack: { channel: '#platform-upgrades' } });
    expect(prod?.upgrade.autoApprove).toEqual({ readinessClean: true, endOfStandardSupportWithinDays: 14 });
    // Inherited from the defaults, field by field.
    expect(prod?.upgrade.maintenanceWindows).toEqual([
      { cron: '0 2 * * TUE-THU', duration: '4h', timezone: 'Europe/Berlin' },
    ]);
    expect(policy.groups.get('batch')?.upgrade.maintenanceWindows?.[0]?.cron).toBe('0 22 * * SAT');
    expect(policy.groups.get('dev')?.upgrade.approvals.mode).toBe('auto');
    expect(policy.groupFor(undefined).group).toBe('dev');
  });

  it('names every field at fault, with the file', () => {
    // Prepare
    const text = shipped
      .replace('cron: "0 22 * * SAT"', 'cron: "0 22 * * SAT *"')
      .replace('timezone: Europe/Berlin }\n  exclusions', 'timezone: Europe/Berlni }\n  exclusions')
      .replace('marginDays: 21', 'marginDays: -3')
      .replace('    prod: 5d', '    prod: 5 days');

    // Act
    const message = problemsOf(text);

    // Assess
    expect(message).toContain('fleet.yaml is not a valid upgrade policy file');
    expect(message).toMatch(/policies\.batch\.maintenanceWindows\[0\]\.cron: "0 22 \* \* SAT \*" has 6 fields/);
    expect(message).toMatch(/defaults\.maintenanceWindows\[0\]\.timezone: "Europe\/Berlni" is not an IANA time zone/);
    expect(message).toMatch(/policies\.prod\.marginDays: Number must be greater than or equal to 0/);
    expect(message).toMatch(/waves\.soak\.prod: must be a duration such as "4h"/);
  });

  it('refuses waves, groups and keys that do not exist', () => {
    const message = problemsOf(
      [
        'version: 1',
        'policies:',
        '  prod: { wave: production, targett: latest }',
        'waves: { order: [dev, prod], soak: { dev: 1d, qa: 2d } }',
        'defaultPolicy: dev',
      ].join('\n'),
    );
    expect(message).toContain('policies.prod.wave: "production" is not a wave of waves.order (dev, prod)');
    expect(message).toMatch(
      /policies\.prod: Unrecognized key\(s\) in object: 'targett' \(remove it or check its spelling/,
    );
    expect(message).toContain('waves.soak.dev: is the first wave');
    expect(message).toContain('waves.soak.qa: is not a wave of waves.order');
    expect(message).toContain('defaultPolicy: "dev" is not a policy group (have: prod)');
  });

  it('points at the line of a YAML mistake', () => {
    expect(problemsOf('version: 1\npolicies:\n  dev: { wave: dev\n  prod: {}\n')).toMatch(
      /^fleet\.yaml is not valid YAML at line \d+:/,
    );
  });

  it('says which tag to set when a cluster selects no group', () => {
    const policy = parsePolicyFile('version: 1\npolicies: { dev: {}, prod: {} }\n', 'fleet.yaml');
    expect(() => policy.groupFor(undefined)).toThrow(
      /no eks-upgrade\/policy tag and fleet\.yaml sets no defaultPolicy; tag it with one of: dev, prod/,
    );
    expect(() => policy.groupFor('gold')).toThrow(
      /eks-upgrade\/policy=gold names no policy group of fleet\.yaml \(have: dev, prod\)/,
    );
  });

  it('says what to fix when the file cannot be read', () => {
    expect(() => loadPolicyFile('config/missing.yaml')).toThrow(
      /cannot read the upgrade policy file config\/missing\.yaml \(ENOENT\); set POLICY_FILE/,
    );
  });
});
