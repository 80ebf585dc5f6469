import { describe, expect, it } from 'vitest';
import { compareSemver, isSemver, parseBundle } from '../../src/bundle/validate';
import { PolicyError } from '../../src/policy/errors';
import { sampleBundle } from './sample';

function parseError(value: unknown, source?: string): PolicyError {
  try {
    parseBundle(value, source);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    expect((e as PolicyError).code).toBe('bundle_error');
    return e as PolicyError;
  }
  throw new Error('parseBundle accepted it');
}

describe('parseBundle', () => {
  it('accepts a bundle, signed or not, as a value or as JSON text', async () => {
    const bundle = await sampleBundle();
    expect(parseBundle(bundle)).toEqual(bundle);
    const signed = { ...bundle, signature: { alg: 'Ed25519', keyId: 'ba7a3938d09b8155', value: 'AAAA' } };
    expect(parseBundle(JSON.stringify(signed))).toEqual(signed);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['another format', { format: 'llm-policy-bundle/v2' }, 'bundle.format: expected "llm-policy-bundle/v1", got "llm-policy-bundle/v2"'],
    ['a two-part version', { version: '1.4' }, 'bundle.version: expected a semver version like 1.4.0, got "1.4"'],
    ['a numeric version', { version: 14 }, 'bundle.version: expected a semver version string, got 14'],
    ['a date without time', { createdAt: '2026-11-22' }, 'bundle.createdAt: expected an ISO 8601 date-time'],
    ['a third decision', { defaultDecision: 'needs_approval' }, 'bundle.defaultDecision: expected "allow" or "deny", got "needs_approval"'],
    ['a hash without its prefix', { hash: 'a'.repeat(64) }, 'bundle.hash: expected "sha256:" and 64 lower-case hex digits'],
    ['an upper-case hash', { hash: `sha256:${'A'.repeat(64)}` }, 'bundle.hash:'],
    ['a short hash', { hash: `sha256:${'a'.repeat(63)}` }, 'bundle.hash:'],
    ['policies as an object', { policies: {} }, 'bundle.policies: expected an array of policies, got an object'],
    ['no policies', { policies: undefined }, 'bundle.policies: expected an array of policies, got nothing'],
    ['another signature algorithm', { signature: { alg: 'RS256', keyId: 'k', value: 'AA' } }, 'bundle.signature.alg: expected "Ed25519", got "RS256"'],
    ['a signature without a key id', { signature: { alg: 'Ed25519', keyId: '', value: 'AA' } }, 'bundle.signature.keyId: expected a non-empty key id'],
    ['a base64 (not url) signature', { signature: { alg: 'Ed25519', keyId: 'k', value: 'a+b/' } }, 'bundle.signature.value: expected base64url text'],
    ['an extra field in the signature', { signature: { alg: 'Ed25519', keyId: 'k', value: 'AA', at: 1 } }, 'bundle.signature: unknown field "at"'],
    ['unknown top-level fields', { compiledBy: 'x', notes: 'y' }, 'bundle: unknown fields "compiledBy", "notes"'],
  ])('refuses %s, naming the field', async (_name, change, message) => {
    const error = parseError({ ...(await sampleBundle()), ...change }, 'bundles/1.0.0.json');
    expect(error.message).toContain(message);
    expect(error.file).toBe('bundles/1.0.0.json');
  });

  it.each<[string, unknown, string]>([
    ['null', null, 'bundle: expected a JSON object, got null'],
    ['an array', [], 'bundle: expected a JSON object, got an array'],
    ['text that is not JSON', '{"format":', 'bundle is not JSON'],
  ])('refuses %s', (_name, value, message) => {
    expect(parseError(value).message).toContain(message);
  });
});

describe('compareSemver', () => {
  // Each version is lower than the next (semver.org §11 and its examples).
  const ascending = [
    '0.0.0',
    '0.0.1',
    '0.1.0',
    '0.9.0',
    '0.10.0',
    '1.0.0-0',
    '1.0.0-1',
    '1.0.0-2',
    '1.0.0-10',
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
    '1.0.1',
    '1.2.0',
    '1.10.0',
    '2.0.0',
    '10.0.0',
    '99999999999999999999.0.0',
    '100000000000000000000.0.0',
  ];

  it('orders the precedence table', () => {
    for (let i = 0; i < ascending.length; i++) {
      for (let j = 0; j < ascending.length; j++) {
        expect(Math.sign(compareSemver(ascending[i], ascending[j])), `${ascending[i]} vs ${ascending[j]}`).toBe(Math.sign(i - j));
      }
    }
  });

  it('sorts with Array.prototype.sort', () => {
    expect([...ascending].reverse().sort(compareSemver)).toEqual(ascending);
  });

  it('ignores build metadata', () => {
    expect(compareSemver('1.0.0+build.1', '1.0.0+build.2')).toBe(0);
    expect(compareSemver('1.0.0-rc.1+a', '1.0.0-rc.1')).toBe(0);
    expect(compareSemver('1.0.0+zzz', '1.0.1')).toBeLessThan(0);
  });

  it.each(['1.0', 'v1.0.0', '01.0.0', '1.0.0-01', '1.0.0-', '1.0.0+', '', ' 1.0.0'])('refuses %j', (bad) => {
    expect(isSemver(bad)).toBe(false);
    expect(() => compareSemver(bad, '1.0.0')).toThrow(PolicyError);
    expect(() => compareSemver('1.0.0', bad)).toThrow(/not a semver version/);
  });
});
