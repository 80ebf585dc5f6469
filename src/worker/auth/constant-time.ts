// Secret comparison that takes the same time wherever the inputs differ: both sides are hashed
// first (equal lengths, and the secret's length does not leak), then compared byte by byte.
const encoder = new TextEncoder();

type SubtleWithTimingSafeEqual = SubtleCrypto & { timingSafeEqual?: (a: ArrayBuffer | ArrayBufferView, b: ArrayBuffer | ArrayBufferView) => boolean };

export async function secretEquals(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  const subtle = crypto.subtle as SubtleWithTimingSafeEqual;
  // workerd provides timingSafeEqual; the loop is the same idea for other runtimes.
  if (typeof subtle.timingSafeEqual === 'function') return subtle.timingSafeEqual(a, b);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}
