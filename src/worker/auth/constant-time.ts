// Secret comparison that takes the same time wherever the inputs differ: both sides are SHA-256
// digests (equal lengths, and the secret's length does not leak), compared without early exit.
// The caller's token is hashed once per request; that digest also keys the client-key lookup.
const encoder = new TextEncoder();

type SubtleWithTimingSafeEqual = SubtleCrypto & { timingSafeEqual?: (a: ArrayBufferView, b: ArrayBufferView) => boolean };

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

// Digests of configured secrets (admin token, dev credentials), computed once per isolate.
const secretDigests = new Map<string, Promise<Uint8Array>>();

export function secretDigest(secret: string): Promise<Uint8Array> {
  let digest = secretDigests.get(secret);
  if (!digest) {
    digest = sha256(secret);
    secretDigests.set(secret, digest);
  }
  return digest;
}

export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const subtle = crypto.subtle as SubtleWithTimingSafeEqual;
  // workerd provides timingSafeEqual; the loop is the same idea for other runtimes.
  if (typeof subtle.timingSafeEqual === 'function') return subtle.timingSafeEqual(a, b);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
