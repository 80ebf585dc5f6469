import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from '../../src/bundle/base64url';
import { generateKeyPair, importPrivateKey, importPublicKey, keyIdOf, publicKeyOf } from '../../src/bundle/keys';
import { PolicyError } from '../../src/policy/errors';

async function rejection(promise: Promise<unknown>): Promise<PolicyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PolicyError);
  return error as PolicyError;
}

describe('generateKeyPair', () => {
  it('writes the documented text formats', async () => {
    const keys = await generateKeyPair();
    expect(keys.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, unpadded
    expect(fromBase64url(keys.publicKey)).toHaveLength(32);
    const der = fromBase64url(keys.privateKey)!;
    expect(der).toHaveLength(48);
    expect(der[0]).toBe(0x30); // a DER SEQUENCE: PKCS#8
    const expectedId = createHash('sha256').update(fromBase64url(keys.publicKey)!).digest('hex').slice(0, 16);
    expect(keys.keyId).toBe(expectedId);
  });

  it('makes a different pair each time', async () => {
    const [a, b] = await Promise.all([generateKeyPair(), generateKeyPair()]);
    expect(a.publicKey).not.toBe(b.publicKey);
    expect(a.keyId).not.toBe(b.keyId);
  });
});

describe('key text round trips', () => {
  it('publicKeyOf derives the public key from the private key', async () => {
    const keys = await generateKeyPair();
    expect(await publicKeyOf(keys.privateKey)).toBe(keys.publicKey);
    expect(await keyIdOf(keys.publicKey)).toBe(keys.keyId);
  });

  it('imports keys that sign and verify together', async () => {
    const keys = await generateKeyPair();
    const data = new TextEncoder().encode('hello');
    const signature = await crypto.subtle.sign({ name: 'Ed25519' }, await importPrivateKey(keys.privateKey), data);
    expect(await crypto.subtle.verify({ name: 'Ed25519' }, await importPublicKey(keys.publicKey), signature, data)).toBe(true);
  });

  it('tolerates surrounding whitespace, as in a key file with a newline', async () => {
    const keys = await generateKeyPair();
    expect(await keyIdOf(`${keys.publicKey}\n`)).toBe(keys.keyId);
    expect(await publicKeyOf(` ${keys.privateKey}\n`)).toBe(keys.publicKey);
  });

  it('caches imports by key text', async () => {
    const keys = await generateKeyPair();
    expect(await importPublicKey(keys.publicKey)).toBe(await importPublicKey(keys.publicKey));
    expect(await importPrivateKey(keys.privateKey)).toBe(await importPrivateKey(keys.privateKey));
  });

  it('keeps the cached signing key inside WebCrypto', async () => {
    const keys = await generateKeyPair();
    expect((await importPrivateKey(keys.privateKey)).extractable).toBe(false);
  });
});

describe('bad key text is a signature_error that says what is wrong', () => {
  it('names the byte count of a short public key', async () => {
    const error = await rejection(importPublicKey(toBase64url(new Uint8Array(17))));
    expect(error.code).toBe('signature_error');
    expect(error.message).toBe('not a base64url Ed25519 public key (expected 32 bytes, got 17)');
  });

  it.each([
    ['an empty string', '', 'expected 32 bytes, got 0'],
    ['not a string at all', 42 as unknown as string, 'got number'],
    ['standard base64 characters', 'ab+/cd', 'characters outside'],
    ['an impossible length', 'abcde', 'not a valid base64url length'],
  ])('public key: %s', async (_name, text, fragment) => {
    const error = await rejection(keyIdOf(text));
    expect(error.code).toBe('signature_error');
    expect(error.message).toContain(fragment);
  });

  it('a public key given where the private key belongs', async () => {
    const keys = await generateKeyPair();
    const error = await rejection(importPrivateKey(keys.publicKey));
    expect(error.code).toBe('signature_error');
    expect(error.message).toContain('32 bytes looks like a public key');
  });

  it('a private key given where the public key belongs', async () => {
    const keys = await generateKeyPair();
    const error = await rejection(importPublicKey(keys.privateKey));
    expect(error.message).toBe('not a base64url Ed25519 public key (expected 32 bytes, got 48)');
  });

  it('garbage DER for a private key', async () => {
    const error = await rejection(publicKeyOf(toBase64url(new Uint8Array(48).fill(7))));
    expect(error.code).toBe('signature_error');
    expect(error.message).toContain('PKCS#8 DER, got 48 bytes');
  });
});

describe('base64url', () => {
  it('round-trips every length', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      const text = toBase64url(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(fromBase64url(text)).toEqual(bytes);
    }
  });

  it('matches Node on bytes that need - and _', () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0xbf, 0xfe]);
    expect(toBase64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
  });
});
