// The integrity layer inside workerd: a bundle signed in Node (the committed fixture, made by
// scripts/make-signing-fixture.ts) verifies here, and signing works here too.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/bundle/canonical';
import { computeBundleHash } from '../../src/bundle/hash';
import { generateKeyPair, keyIdOf, publicKeyOf } from '../../src/bundle/keys';
import { signPointer, verifyPointer } from '../../src/bundle/pointer';
import { signBundle, verifyBundle, verifyBundleDetailed } from '../../src/bundle/sign';
import { parseBundle } from '../../src/bundle/validate';
import type { Bundle } from '../../src/policy/types';
import fixture from '../fixtures/signed-bundle.json';
import fixtureKey from '../fixtures/signed-bundle.public-key.json';
import { clone, sampleBundle } from '../bundle/sample';

describe('a bundle signed in Node, verified in workerd', () => {
  it('verifies with its public key', async () => {
    const bundle = parseBundle(clone(fixture));
    expect(await verifyBundleDetailed(bundle, fixtureKey.publicKey)).toEqual({ ok: true, keyId: fixtureKey.keyId });
  });

  it('hashes to the same value Node computed, over the tricky canonical values', async () => {
    const bundle = clone(fixture) as Bundle;
    expect(await computeBundleHash(bundle)).toBe(fixture.hash);
    // Numbers in ES6 form and keys in UTF-16 order, as RFC 8785 requires.
    expect(canonicalJson(bundle.policies[0].metadata.source)).toContain('"numbers":[1e+21,1e-7,0.1,333333333.3333333,5e-324,1.7976931348623157e+308,-1.5,100]');
    expect(canonicalJson(bundle.policies[0].metadata.source)).toMatch(/^\{"\\r":.*,"1":.*,"numbers":.*,"text":.*,"ö":.*,"€":.*,"😀":"emoji"\}$/s); // s: the text holds a U+2028
  });

  it('fails when one byte of a policy changes', async () => {
    const bundle = clone(fixture) as Bundle;
    bundle.policies[1].rules[0].id = 'redact-emaiL';
    expect(await verifyBundle(bundle, fixtureKey.publicKey)).toBe(false);
    expect(await verifyBundleDetailed(bundle, fixtureKey.publicKey)).toMatchObject({ ok: false, reason: 'hash_mismatch' });
  });

  it('fails with another key', async () => {
    const other = await generateKeyPair();
    expect(await verifyBundleDetailed(clone(fixture) as Bundle, other.publicKey)).toMatchObject({ ok: false, reason: 'wrong_key' });
  });
});

describe('keys and signatures made in workerd', () => {
  it('generates keys in the documented formats', async () => {
    const keys = await generateKeyPair();
    expect(keys.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await publicKeyOf(keys.privateKey)).toBe(keys.publicKey);
    expect(await keyIdOf(keys.publicKey)).toBe(keys.keyId);
  });

  it('signs and verifies a bundle', async () => {
    const keys = await generateKeyPair();
    const signed = await signBundle(await sampleBundle(), keys.privateKey);
    expect(await verifyBundle(signed, keys.publicKey)).toBe(true);
    const pasted = { ...(await sampleBundle({ version: '2.0.0' })), signature: signed.signature };
    expect(await verifyBundleDetailed(pasted, keys.publicKey)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('signs and verifies a rollout pointer', async () => {
    const keys = await generateKeyPair();
    const pointer = await signPointer({ stable: '1.4.0', canary: '1.5.0', canaryPercent: 10, sequence: 3, updatedAt: '2026-11-22T10:00:00Z' }, keys.privateKey);
    expect(await verifyPointer(pointer, keys.publicKey)).toEqual({ ok: true, pointer });
    expect(await verifyPointer({ ...pointer, canaryPercent: 90 }, keys.publicKey)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });
});
