import { describe, expect, it } from 'vitest';
import { chooseVersion, FIRST_VERSION, nextPatch } from '../../src/publish/versions';

describe('nextPatch', () => {
  it('adds one to the patch of a release', () => {
    expect(nextPatch('1.2.3')).toBe('1.2.4');
    expect(nextPatch('0.1.9')).toBe('0.1.10');
  });

  it('takes a pre-release to its release, which is greater', () => {
    expect(nextPatch('1.3.0-rc.1')).toBe('1.3.0');
  });

  it('drops build metadata', () => {
    expect(nextPatch('1.3.0+build.7')).toBe('1.3.1');
  });
});

describe('chooseVersion', () => {
  it('starts at 0.1.0 on an empty KV', () => {
    expect(chooseVersion(undefined, [])).toBe(FIRST_VERSION);
    expect(FIRST_VERSION).toBe('0.1.0');
  });

  it('defaults to the highest version with patch + 1', () => {
    expect(chooseVersion(undefined, ['1.2.0', '1.10.0', '1.9.5'], '1.10.0')).toBe('1.10.1');
  });

  it('moves past a newer canary or rolled-back version rather than reusing it', () => {
    expect(chooseVersion(undefined, ['1.2.0', '1.3.0'], '1.2.0')).toBe('1.3.1');
  });

  it('accepts a requested version greater than everything in KV', () => {
    expect(chooseVersion('2.0.0', ['1.3.0'], '1.3.0')).toBe('2.0.0');
  });

  it('refuses a version that is not greater than the current stable, naming both', () => {
    expect(() => chooseVersion('1.2.0', ['1.3.0'], '1.3.0')).toThrow('version 1.2.0 is not greater than the current stable 1.3.0');
    expect(() => chooseVersion('1.3.0', ['1.3.0'], '1.3.0')).toThrow('version 1.3.0 is not greater than the current stable 1.3.0');
  });

  it('refuses a version not greater than a non-stable version already in KV', () => {
    expect(() => chooseVersion('1.2.5', ['1.2.0', '1.3.0'], '1.2.0')).toThrow('version 1.2.5 is not greater than 1.3.0, already in KV');
  });

  it('treats build metadata as the same version', () => {
    expect(() => chooseVersion('1.3.0+again', ['1.3.0'], '1.3.0')).toThrow(/not greater/);
  });

  it('refuses a version that is not semver', () => {
    expect(() => chooseVersion('v1.4', [])).toThrow('version "v1.4" is not a semver version');
  });
});
