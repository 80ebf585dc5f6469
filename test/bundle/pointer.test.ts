import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, type KeyPairText } from '../../src/bundle/keys';
import { parsePointer, signPointer, verifyPointer, type Pointer } from '../../src/bundle/pointer';
import { signDocument } from '../../src/bundle/sign';
import { PolicyError } from '../../src/policy/errors';

let keys: KeyPairText;
beforeAll(async () => {
  keys = await generateKeyPair();
});

const base: Pointer = { stable: '1.4.0', canaryPercent: 0, sequence: 7, updatedAt: '2026-11-22T10:00:00Z' };

describe('pointer shape', () => {
  it.each<[string, Record<string, unknown>]>([
    ['stable only', {}],
    ['a canary at 10%', { canary: '1.5.0-rc.1', canaryPercent: 10 }],
    ['a canary at 100%', { canary: '1.5.0', canaryPercent: 100 }],
    ['reason and actor', { reason: 'rollback after errors', actor: 'alice' }],
    ['sequence 0', { sequence: 0 }],
    ['an offset date-time', { updatedAt: '2026-11-22T10:00:00.123+01:00' }],
  ])('accepts %s', (_name, change) => {
    expect(parsePointer({ ...base, ...change })).toEqual({ ...base, ...change });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a stable that is not semver', { stable: '1.4' }, 'stable'],
    ['a stable with a v', { stable: 'v1.4.0' }, 'stable'],
    ['a canary that is not semver', { canary: 'latest', canaryPercent: 5 }, 'canary'],
    ['a fractional percent', { canary: '1.5.0', canaryPercent: 12.5 }, 'canaryPercent'],
    ['a percent over 100', { canary: '1.5.0', canaryPercent: 101 }, 'canaryPercent'],
    ['a negative percent', { canaryPercent: -1 }, 'canaryPercent'],
    ['a percent as text', { canaryPercent: '10' }, 'canaryPercent'],
    ['a percent without a canary', { canaryPercent: 10 }, 'canary'],
    ['a canary at 0%', { canary: '1.5.0', canaryPercent: 0 }, 'canary'],
    ['a negative sequence', { sequence: -1 }, 'sequence'],
    ['a fractional sequence', { sequence: 1.5 }, 'sequence'],
    ['a date without a time', { updatedAt: '2026-11-22' }, 'updatedAt'],
    ['no stable', { stable: undefined }, 'stable'],
    ['an unknown field', { stabel: '1.0.0' }, ''],
  ])('refuses %s, naming the field', (_name, change, path) => {
    const error = (() => {
      try {
        parsePointer({ ...base, ...change });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).code).toBe('bundle_error');
    expect((error as PolicyError).message).toMatch(new RegExp(`^pointer${path ? `\\.${path}` : ''}: `));
  });

  it('says which field is unknown', () => {
    expect(() => parsePointer({ ...base, stabel: '1.0.0' })).toThrow('pointer: unknown field "stabel"');
  });
});

describe('signPointer / verifyPointer', () => {
  it('signs and verifies', async () => {
    const signed = await signPointer({ ...base, canary: '1.5.0', canaryPercent: 25, actor: 'ci' }, keys.privateKey);
    const result = await verifyPointer(JSON.parse(JSON.stringify(signed)), keys.publicKey);
    expect(result).toEqual({ ok: true, pointer: signed });
  });

  it('refuses a pointer whose traffic share was edited', async () => {
    const signed = await signPointer({ ...base, canary: '1.5.0', canaryPercent: 5 }, keys.privateKey);
    expect(await verifyPointer({ ...signed, canaryPercent: 100 }, keys.publicKey)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses an unsigned pointer and one signed by another key', async () => {
    expect(await verifyPointer(base, keys.publicKey)).toMatchObject({ ok: false, reason: 'missing_signature' });
    const other = await generateKeyPair();
    const signed = await signPointer(base, other.privateKey);
    expect(await verifyPointer(signed, keys.publicKey)).toMatchObject({ ok: false, reason: 'wrong_key' });
  });

  it('refuses a correctly signed pointer of the wrong shape', async () => {
    const signed = await signDocument({ ...base, canaryPercent: 150 }, keys.privateKey);
    const result = await verifyPointer(signed, keys.publicKey);
    expect(result).toMatchObject({ ok: false, reason: 'malformed' });
    expect(!result.ok && result.message).toContain('pointer.canaryPercent');
  });

  it('will not sign an invalid pointer', async () => {
    await expect(signPointer({ ...base, canaryPercent: 50 }, keys.privateKey)).rejects.toThrow(/pointer\.canary: required when canaryPercent is 50/);
  });

  it('never throws on garbage', async () => {
    for (const doc of [null, 'pointer', [], 3, { signature: {} }]) {
      expect((await verifyPointer(doc, keys.publicKey)).ok).toBe(false);
    }
  });
});
