// The committed fixture, checked in Node by this library and independently by node:crypto.
// test/workerd/bundle-sign.test.ts checks the same files inside workerd.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/bundle/canonical';
import { keyIdOf } from '../../src/bundle/keys';
import { verifyBundleDetailed } from '../../src/bundle/sign';
import { parseBundle } from '../../src/bundle/validate';
import fixture from '../fixtures/signed-bundle.json';
import fixtureKey from '../fixtures/signed-bundle.public-key.json';

describe('signed-bundle fixture', () => {
  it('is a valid envelope that verifies with its public key', async () => {
    const bundle = parseBundle(fixture);
    expect(await verifyBundleDetailed(bundle, fixtureKey.publicKey)).toEqual({ ok: true, keyId: fixtureKey.keyId });
    expect(await keyIdOf(fixtureKey.publicKey)).toBe(fixtureKey.keyId);
  });

  it('agrees with node:crypto on the hash and the Ed25519 signature', () => {
    const { signature, hash, ...content } = fixture;
    const hashed = canonicalJson(content);
    expect(hash).toBe(`sha256:${createHash('sha256').update(hashed, 'utf8').digest('hex')}`);
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: fixtureKey.publicKey }, format: 'jwk' });
    const signed = Buffer.from(canonicalJson({ ...content, hash }), 'utf8');
    expect(verify(null, signed, publicKey, Buffer.from(signature.value, 'base64url'))).toBe(true);
    expect(verify(null, Buffer.concat([signed, Buffer.from(' ')]), publicKey, Buffer.from(signature.value, 'base64url'))).toBe(false);
  });
});
