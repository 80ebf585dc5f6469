// Ed25519 keys as text, for key files and wrangler vars. The formats:
//   publicKey  = base64url (no padding) of the raw 32-byte Ed25519 public key
//   privateKey = base64url (no padding) of the PKCS#8 DER of the private key (48 bytes for
//                keys made here; PKCS#8 v2 with the public key embedded is accepted too)
//   keyId      = first 16 hex chars of sha256 of the raw 32-byte public key
// WebCrypto only (`crypto.subtle`, algorithm name "Ed25519"): Node 20 and workerd both support
// raw/pkcs8/jwk import and export for it.
import { PolicyError } from '../policy/errors';
import { fromBase64url, toBase64url } from './base64url';
import { sha256Hex } from './hash';

export const ED25519 = { name: 'Ed25519' } as const;
const PUBLIC_KEY_BYTES = 32;
const KEY_ID_HEX_CHARS = 16;
// Imports are cached per key text: an isolate verifies every bundle and pointer it loads.
const MAX_CACHED_KEYS = 64;

export interface KeyPairText {
  publicKey: string;
  privateKey: string;
  keyId: string;
}

export async function generateKeyPair(): Promise<KeyPairText> {
  // Extractable, or the private key could not be written out as PKCS#8.
  const pair = (await crypto.subtle.generateKey(ED25519, true, ['sign', 'verify'])) as CryptoKeyPair;
  const raw = new Uint8Array((await crypto.subtle.exportKey('raw', pair.publicKey)) as ArrayBuffer);
  const pkcs8 = new Uint8Array((await crypto.subtle.exportKey('pkcs8', pair.privateKey)) as ArrayBuffer);
  const publicKey = toBase64url(raw);
  return { publicKey, privateKey: toBase64url(pkcs8), keyId: await keyIdOf(publicKey) };
}

const publicKeys = new Map<string, Promise<CryptoKey>>();
const privateKeys = new Map<string, Promise<CryptoKey>>();

export function importPublicKey(b64url: string): Promise<CryptoKey> {
  return cached(publicKeys, b64url, async () => {
    const raw = decodePublicKey(b64url);
    try {
      return await crypto.subtle.importKey('raw', raw, ED25519, true, ['verify']);
    } catch (e) {
      throw new PolicyError('signature_error', `not a usable Ed25519 public key: ${errorText(e)}`);
    }
  });
}

/** Imports a signing key. Not extractable: the cached key should never leave WebCrypto again. */
export function importPrivateKey(b64url: string): Promise<CryptoKey> {
  return cached(privateKeys, b64url, () => importPkcs8(b64url, false));
}

export async function keyIdOf(publicKey: string): Promise<string> {
  return (await sha256Hex(decodePublicKey(publicKey))).slice(0, KEY_ID_HEX_CHARS);
}

/** The public key of a private key, from the `x` member of its JWK export. */
export async function publicKeyOf(privateKey: string): Promise<string> {
  const key = await importPkcs8(privateKey, true);
  const jwk = (await crypto.subtle.exportKey('jwk', key)) as JsonWebKey;
  if (typeof jwk.x !== 'string') throw new PolicyError('signature_error', 'the runtime did not export the public part of the Ed25519 key');
  return jwk.x;
}

/** Key id of a public CryptoKey, or undefined when it cannot be exported. */
export async function keyIdOfCryptoKey(key: CryptoKey): Promise<string | undefined> {
  if (!key.extractable || key.type !== 'public') return undefined;
  const raw = new Uint8Array((await crypto.subtle.exportKey('raw', key)) as ArrayBuffer);
  return (await sha256Hex(raw)).slice(0, KEY_ID_HEX_CHARS);
}

function decodePublicKey(b64url: string): Uint8Array {
  const raw = decodeKeyText(b64url, 'public');
  if (raw.length !== PUBLIC_KEY_BYTES) {
    throw new PolicyError('signature_error', `not a base64url Ed25519 public key (expected ${PUBLIC_KEY_BYTES} bytes, got ${raw.length})`);
  }
  return raw;
}

async function importPkcs8(b64url: string, extractable: boolean): Promise<CryptoKey> {
  const der = decodeKeyText(b64url, 'private');
  // A 32-byte value is most likely a public key or a bare seed pasted in the wrong place.
  const hint = der.length === PUBLIC_KEY_BYTES ? '; 32 bytes looks like a public key or raw seed, expected PKCS#8 DER' : '';
  try {
    return await crypto.subtle.importKey('pkcs8', der, ED25519, extractable, ['sign']);
  } catch (e) {
    throw new PolicyError('signature_error', `not a base64url Ed25519 private key (PKCS#8 DER, got ${der.length} bytes${hint}): ${errorText(e)}`);
  }
}

/** Key bytes from base64url text; surrounding whitespace (a key file's newline) is ignored. */
function decodeKeyText(value: unknown, kind: 'public' | 'private'): Uint8Array {
  const bytes = typeof value === 'string' ? fromBase64url(value.trim()) : null;
  if (!bytes) throw new PolicyError('signature_error', `not a base64url Ed25519 ${kind} key (${describeText(value)})`);
  return bytes;
}

function cached(cache: Map<string, Promise<CryptoKey>>, text: string, load: () => Promise<CryptoKey>): Promise<CryptoKey> {
  const hit = cache.get(text);
  if (hit) return hit;
  if (cache.size >= MAX_CACHED_KEYS) cache.clear();
  const pending = load();
  cache.set(text, pending);
  // A failed import is not remembered, so a fixed key text can be retried.
  pending.catch(() => cache.delete(text));
  return pending;
}

function describeText(value: unknown): string {
  if (typeof value !== 'string') return `got ${value === null ? 'null' : typeof value}`;
  const text = value.trim();
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return 'has characters outside A-Z a-z 0-9 - _';
  return `${text.length} characters is not a valid base64url length`;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
