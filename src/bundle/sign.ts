// Ed25519 signatures over canonical JSON: any JSON document (bundles, the rollout pointer).
// The signature covers the canonical JSON of the document without its `signature` member.
import { PolicyError } from '../policy/errors';
import type { Bundle, BundleSignature } from '../policy/types';
import { fromBase64url, toBase64url } from './base64url';
import { canonicalJson } from './canonical';
import { computeBundleHash } from './hash';
import { ED25519, importPrivateKey, importPublicKey, keyIdOf, keyIdOfCryptoKey, publicKeyOf } from './keys';

export type VerifyFailureReason = 'missing_signature' | 'bad_signature' | 'wrong_key' | 'malformed' | 'hash_mismatch';
export type VerifyResult = { ok: true; keyId: string } | { ok: false; reason: VerifyFailureReason; message: string };

const SIGNATURE_BYTES = 64;
const encoder = new TextEncoder();

/** Signs `doc` (any existing `signature` is replaced). keyId defaults to the id of the key's public half. */
export async function signDocument<T extends object>(
  doc: T,
  privateKey: string | CryptoKey,
  keyId?: string,
): Promise<T & { signature: BundleSignature }> {
  const content = withoutSignature(doc);
  const payload = encoder.encode(canonicalJson(content));
  const key = typeof privateKey === 'string' ? await importPrivateKey(privateKey) : privateKey;
  if (key.type !== 'private') throw new PolicyError('signature_error', `signing needs a private key, got a ${key.type} key`);
  const id = await signingKeyId(privateKey, keyId);
  const value = toBase64url(new Uint8Array(await crypto.subtle.sign(ED25519, key, payload)));
  return { ...content, signature: { alg: 'Ed25519', keyId: id, value } } as T & { signature: BundleSignature };
}

/** Checks `doc.signature` against `publicKey`. Never throws: every problem is a `{ ok: false }`. */
export async function verifyDocument(doc: unknown, publicKey: string | CryptoKey): Promise<VerifyResult> {
  try {
    return await verifyOrExplain(doc, publicKey);
  } catch (e) {
    return fail('malformed', errorText(e));
  }
}

/** Signs a bundle whose `hash` matches its content; refuses to sign a bundle that lies about it. */
export async function signBundle(bundle: Bundle, privateKey: string | CryptoKey): Promise<Bundle> {
  const actual = await computeBundleHash(bundle);
  if (bundle.hash !== actual) {
    throw new PolicyError('bundle_error', `bundle ${bundle.version} says hash ${bundle.hash} but its content hashes to ${actual}; refusing to sign`);
  }
  return signDocument(bundle, privateKey);
}

/** True only when the hash matches the content and the signature verifies with `publicKey`. */
export async function verifyBundle(bundle: Bundle, publicKey: string | CryptoKey): Promise<boolean> {
  return (await verifyBundleDetailed(bundle, publicKey)).ok;
}

/** Like verifyBundle, with the reason for logs: `hash_mismatch` when the content was changed. */
export async function verifyBundleDetailed(bundle: Bundle, publicKey: string | CryptoKey): Promise<VerifyResult> {
  try {
    if (!isObject(bundle)) return fail('malformed', 'bundle is not a JSON object');
    if (typeof bundle.hash !== 'string') return fail('malformed', 'bundle has no hash');
    const actual = await computeBundleHash(bundle);
    if (bundle.hash !== actual) return fail('hash_mismatch', `bundle content hashes to ${actual}, not ${bundle.hash}: it was changed after hashing`);
  } catch (e) {
    return fail('malformed', errorText(e));
  }
  return verifyDocument(bundle, publicKey);
}

async function verifyOrExplain(doc: unknown, publicKey: string | CryptoKey): Promise<VerifyResult> {
  if (!isObject(doc)) return fail('malformed', 'document is not a JSON object');
  if (doc.signature === undefined) return fail('missing_signature', 'document has no signature');
  const signature = readSignature(doc.signature);
  if (typeof signature === 'string') return fail('malformed', signature);

  let key: CryptoKey;
  let expectedKeyId: string | undefined;
  try {
    key = typeof publicKey === 'string' ? await importPublicKey(publicKey) : publicKey;
    expectedKeyId = typeof publicKey === 'string' ? await keyIdOf(publicKey) : await keyIdOfCryptoKey(publicKey);
  } catch (e) {
    return fail('malformed', `verification key: ${errorText(e)}`);
  }
  // keyId is outside what is signed, but a mismatch names the real problem: a key rotation.
  if (expectedKeyId !== undefined && signature.keyId !== expectedKeyId) {
    return fail('wrong_key', `signed with key ${signature.keyId}, but the verification key is ${expectedKeyId}`);
  }
  const payload = encoder.encode(canonicalJson(withoutSignature(doc)));
  const valid = await crypto.subtle.verify(ED25519, key, signature.bytes, payload);
  if (!valid) return fail('bad_signature', `signature by key ${signature.keyId} does not match the document's content`);
  return { ok: true, keyId: expectedKeyId ?? signature.keyId };
}

/** The signature's parts, or a message saying what is wrong with it. */
function readSignature(value: unknown): { keyId: string; bytes: Uint8Array } | string {
  if (!isObject(value)) return 'signature is not an object';
  if (value.alg !== 'Ed25519') return `signature.alg must be "Ed25519", got ${JSON.stringify(value.alg) ?? 'nothing'}`;
  if (typeof value.keyId !== 'string' || value.keyId === '') return 'signature.keyId must be a non-empty string';
  const bytes = typeof value.value === 'string' ? fromBase64url(value.value) : null;
  if (!bytes) return 'signature.value must be base64url text';
  if (bytes.length !== SIGNATURE_BYTES) return `signature.value must be ${SIGNATURE_BYTES} bytes, got ${bytes.length}`;
  return { keyId: value.keyId, bytes };
}

async function signingKeyId(privateKey: string | CryptoKey, given: string | undefined): Promise<string> {
  if (typeof privateKey === 'string') {
    const own = await keyIdOf(await publicKeyOf(privateKey));
    if (given !== undefined && given !== own) throw new PolicyError('signature_error', `keyId ${given} is not the id of this private key (${own})`);
    return own;
  }
  if (given !== undefined) return given;
  if (!privateKey.extractable) throw new PolicyError('signature_error', 'pass a keyId when signing with a non-extractable CryptoKey');
  const jwk = (await crypto.subtle.exportKey('jwk', privateKey)) as JsonWebKey;
  if (typeof jwk.x !== 'string') throw new PolicyError('signature_error', 'could not read the public part of the private key; pass a keyId');
  return keyIdOf(jwk.x);
}

function withoutSignature<T extends object>(doc: T): Omit<T, 'signature'> {
  const { signature: _signature, ...content } = doc as T & { signature?: unknown };
  return content;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(reason: VerifyFailureReason, message: string): VerifyResult {
  return { ok: false, reason, message };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
