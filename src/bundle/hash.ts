// Content hashes: the bundle's `hash` field and key ids are SHA-256 over canonical bytes.
import type { Bundle } from '../policy/types';
import { canonicalJson } from './canonical';

const encoder = new TextEncoder();

/** Lower-case hex SHA-256 of UTF-8 text or raw bytes. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** `sha256:<hex>` of the canonical JSON of the bundle without `hash` and `signature` (spec §8). */
export async function computeBundleHash(bundle: Omit<Bundle, 'hash' | 'signature'> | Bundle): Promise<string> {
  const { hash: _hash, signature: _signature, ...content } = bundle as Partial<Bundle>;
  return `sha256:${await sha256Hex(canonicalJson(content))}`;
}
