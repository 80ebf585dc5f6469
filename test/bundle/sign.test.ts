import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, importPrivateKey, importPublicKey, type KeyPairText } from '../../src/bundle/keys';
import { computeBundleHash } from '../../src/bundle/hash';
import { signBundle, signDocument, verifyBundle, verifyBundleDetailed, verifyDocument } from '../../src/bundle/sign';
import { PolicyError } from '../../src/policy/errors';
import type { Bundle } from '../../src/policy/types';
import { clone, sampleBundle } from './sample';

let keys: KeyPairText;
let otherKeys: KeyPairText;
let signed: Bundle;

beforeAll(async () => {
  [keys, otherKeys] = await Promise.all([generateKeyPair(), generateKeyPair()]);
  signed = await signBundle(await sampleBundle(), keys.privateKey);
});

describe('signBundle / verifyBundle', () => {
  it('signs with the key id of the key pair', async () => {
    expect(signed.signature).toMatchObject({ alg: 'Ed25519', keyId: keys.keyId });
    expect(signed.signature!.value).toMatch(/^[A-Za-z0-9_-]{86}$/); // 64 bytes
  });

  it('verifies with the matching public key', async () => {
    expect(await verifyBundle(signed, keys.publicKey)).toBe(true);
    expect(await verifyBundleDetailed(signed, keys.publicKey)).toEqual({ ok: true, keyId: keys.keyId });
  });

  it('verifies after a JSON round trip with keys in another order', async () => {
    const reordered = JSON.parse(JSON.stringify(signed, Object.keys(signed).reverse().concat(['alg', 'keyId', 'value']))) as Bundle;
    expect(Object.keys(reordered)[0]).toBe('signature');
    const roundTripped = { ...reordered, policies: clone(signed.policies) };
    expect(await verifyBundle(roundTripped, keys.publicKey)).toBe(true);
  });

  it('does not change the bundle it was given', async () => {
    const bundle = await sampleBundle();
    const before = JSON.stringify(bundle);
    await signBundle(bundle, keys.privateKey);
    expect(JSON.stringify(bundle)).toBe(before);
  });

  it('replaces an existing signature when re-signing', async () => {
    const resigned = await signBundle(signed, otherKeys.privateKey);
    expect(resigned.signature!.keyId).toBe(otherKeys.keyId);
    expect(await verifyBundle(resigned, otherKeys.publicKey)).toBe(true);
    expect(await verifyBundle(resigned, keys.publicKey)).toBe(false);
  });

  it('verifies with a public CryptoKey', async () => {
    expect(await verifyBundle(signed, await importPublicKey(keys.publicKey))).toBe(true);
  });

  it('asks for a keyId when the signing CryptoKey cannot reveal its public half', async () => {
    // importPrivateKey's key is not extractable, so its id cannot be derived.
    const error = await signBundle(await sampleBundle(), await importPrivateKey(keys.privateKey)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).code).toBe('signature_error');
    expect((error as PolicyError).message).toContain('keyId');
  });

  it('refuses to sign a bundle whose hash does not match its content', async () => {
    const lying = clone(await sampleBundle());
    lying.policies[0].metadata.priority = 1;
    const error = await signBundle(lying, keys.privateKey).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).code).toBe('bundle_error');
    expect((error as PolicyError).message).toMatch(/says hash sha256:[0-9a-f]{64} but its content hashes to sha256:[0-9a-f]{64}; refusing to sign/);
  });
});

describe('verifyBundleDetailed says why a bundle is refused', () => {
  it('one changed byte in any policy → hash_mismatch', async () => {
    for (let i = 0; i < signed.policies.length; i++) {
      const tampered = clone(signed);
      tampered.policies[i].rules[0].id += 'x';
      expect(await verifyBundle(tampered, keys.publicKey)).toBe(false);
      expect(await verifyBundleDetailed(tampered, keys.publicKey)).toMatchObject({ ok: false, reason: 'hash_mismatch' });
    }
  });

  it('changed content with a recomputed hash → bad_signature', async () => {
    const tampered = clone(signed);
    tampered.defaultDecision = 'deny';
    tampered.hash = await computeBundleHash(tampered);
    expect(await verifyBundleDetailed(tampered, keys.publicKey)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('another public key → wrong_key', async () => {
    expect(await verifyBundle(signed, otherKeys.publicKey)).toBe(false);
    const result = await verifyBundleDetailed(signed, otherKeys.publicKey);
    expect(result).toMatchObject({ ok: false, reason: 'wrong_key' });
    expect(!result.ok && result.message).toContain(keys.keyId);
  });

  it('another key that claims the right key id → bad_signature', async () => {
    const forged = await signDocument(await sampleBundle(), otherKeys.privateKey);
    forged.signature.keyId = keys.keyId;
    expect(await verifyBundleDetailed(forged, keys.publicKey)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('no signature → missing_signature', async () => {
    const { signature: _s, ...unsigned } = signed;
    expect(await verifyBundle(unsigned as Bundle, keys.publicKey)).toBe(false);
    expect(await verifyBundleDetailed(unsigned as Bundle, keys.publicKey)).toMatchObject({ ok: false, reason: 'missing_signature' });
  });

  it("bundle A's signature pasted on bundle B → bad_signature", async () => {
    const b = await sampleBundle({ version: '1.0.1' });
    const pasted: Bundle = { ...b, signature: signed.signature };
    expect(await verifyBundle(pasted, keys.publicKey)).toBe(false);
    expect(await verifyBundleDetailed(pasted, keys.publicKey)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it.each<[string, (b: Bundle) => unknown]>([
    ['signature value cut short', (b) => ({ ...b, signature: { ...b.signature!, value: b.signature!.value.slice(0, 40) } })],
    ['signature value not base64url', (b) => ({ ...b, signature: { ...b.signature!, value: '***' } })],
    ['another algorithm', (b) => ({ ...b, signature: { ...b.signature!, alg: 'RS256' } })],
    ['signature is a string', (b) => ({ ...b, signature: 'abc' })],
    ['no hash', (b) => ({ ...b, hash: undefined })],
    ['NaN in the content', (b) => ({ ...b, policies: [{ metadata: { id: 'x', priority: NaN } }] })],
  ])('%s → malformed', async (_name, edit) => {
    expect(await verifyBundleDetailed(edit(signed) as Bundle, keys.publicKey)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});

describe('verifyDocument never throws', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'bundle'],
    ['an array', [1, 2]],
    ['a number', 42],
  ])('%s → malformed', async (_name, doc) => {
    expect(await verifyDocument(doc, keys.publicKey)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('a broken verification key → malformed, naming the key', async () => {
    const result = await verifyDocument(signed, 'not-a-key');
    expect(result).toMatchObject({ ok: false, reason: 'malformed' });
    expect(!result.ok && result.message).toMatch(/^verification key: not a base64url Ed25519 public key/);
  });

  it('a private CryptoKey given to verify → malformed', async () => {
    const privateKey = await importPrivateKey(keys.privateKey);
    expect(await verifyDocument(signed, privateKey)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});

describe('signDocument', () => {
  it('signs any JSON document and keeps its fields', async () => {
    const doc = await signDocument({ hello: 'world', n: [1, 2] }, keys.privateKey);
    expect(doc).toMatchObject({ hello: 'world', n: [1, 2], signature: { keyId: keys.keyId } });
    expect(await verifyDocument(doc, keys.publicKey)).toEqual({ ok: true, keyId: keys.keyId });
    expect(await verifyDocument({ ...doc, hello: 'there' }, keys.publicKey)).toMatchObject({ reason: 'bad_signature' });
  });

  it('takes an explicit keyId with a non-extractable CryptoKey', async () => {
    const doc = await signDocument({ a: 1 }, await importPrivateKey(keys.privateKey), keys.keyId);
    expect(await verifyDocument(doc, keys.publicKey)).toEqual({ ok: true, keyId: keys.keyId });
  });

  it('derives the keyId of an extractable private CryptoKey', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const doc = await signDocument({ a: 1 }, pair.privateKey);
    const result = await verifyDocument(doc, pair.publicKey);
    expect(result.ok && result.keyId).toBe(doc.signature.keyId);
  });

  it('refuses a keyId that does not belong to the private key text', async () => {
    const error = await signDocument({ a: 1 }, keys.privateKey, otherKeys.keyId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).code).toBe('signature_error');
  });

  it('refuses to sign a public key', async () => {
    const error = await signDocument({ a: 1 }, await importPublicKey(keys.publicKey), 'k').catch((e: unknown) => e);
    expect((error as PolicyError).code).toBe('signature_error');
  });
});
