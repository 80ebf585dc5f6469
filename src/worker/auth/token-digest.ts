// The SHA-256 of a caller's token, computed once per isolate: the same few client keys arrive on
// almost every request, and hashing one cost more than the rest of auth. Only the digest is
// cached, not what it unlocks: the key record is still looked up through client-keys.ts (with its
// own TTLs), so a revoked key stops working exactly as fast as without this cache.
import { sha256, toHex } from './constant-time';

export interface TokenDigest {
  bytes: Uint8Array;
  hex: string;
}

/** Enough for every key of a busy tenant; a flood of distinct tokens only cycles the oldest out. */
export const MAX_CACHED_DIGESTS = 1000;

const digests = new Map<string, TokenDigest>();

export async function tokenDigest(token: string): Promise<TokenDigest> {
  const known = digests.get(token);
  if (known) return known;
  const bytes = await sha256(token);
  const digest = { bytes, hex: toHex(bytes) };
  if (digests.size >= MAX_CACHED_DIGESTS) digests.delete(digests.keys().next().value as string);
  digests.set(token, digest);
  return digest;
}

/** How many digests this isolate holds (tests check the bound). */
export function cachedDigestCount(): number {
  return digests.size;
}
