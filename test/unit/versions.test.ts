import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../lib/errors.js';
import { addMinor, compareAddonVersions, compareMinor, minorOf, minorsBetween } from '../../lib/versions/index.js';

describe('Kubernetes minor versions', () => {
  it('reads the minor version out of kubelet, AMI and plain version strings', () => {
    expect(minorOf('v1.32.9-eks-113cf36')).toBe('1.32');
    expect(minorOf('1.33')).toBe('1.33');
    expect(minorOf('1.34.2')).toBe('1.34');
  });

  it('refuses strings that are not versions, saying what to use', () => {
    expect(() => minorOf('latest')).toThrow(InvalidInput);
    expect(() => minorOf('latest')).toThrow(/minor version such as "1.32"/);
  });

  it('orders minors numerically, not as text', () => {
    expect(compareMinor('1.9', '1.10')).toBeLessThan(0);
    expect(compareMinor('1.34', '1.34')).toBe(0);
    expect(addMinor('1.32', 2)).toBe('1.34');
  });

  it('lists each minor after the start up to the target, one at a time', () => {
    expect(minorsBetween('1.32', '1.34')).toEqual(['1.33', '1.34']);
    expect(minorsBetween('1.34', '1.34')).toEqual([]);
    expect(minorsBetween('1.34', '1.32')).toEqual([]);
  });

  it('orders add-on versions by semver, then eksbuild', () => {
    const sorted = ['v1.19.2-eksbuild.1', 'v1.11.4-eksbuild.14', 'v1.11.4-eksbuild.2', 'v1.2.0-eksbuild.1'].sort(
      compareAddonVersions,
    );
    expect(sorted).toEqual(['v1.2.0-eksbuild.1', 'v1.11.4-eksbuild.2', 'v1.11.4-eksbuild.14', 'v1.19.2-eksbuild.1']);
  });
});
