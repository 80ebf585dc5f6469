// Which requests the canary bundle serves. A request's tenant key (team.id, else user.id, else the
// client key id) hashes to a bucket 0..99; the canary serves buckets below canaryPercent. The hash
// is a pure function of the key (no seed, no isolate state), so a tenant stays on one side across
// isolates, deploys and percent steps (raising P only adds buckets).
//
// Bucket = (fmix32(FNV-1a-32(UTF-8 bytes of key))) mod 100. FNV-1a alone has weak low bits on
// similar keys ("team-1", "team-2" ...); MurmurHash3's finaliser spreads them.

const encoder = new TextEncoder();

export function canaryBucket(key: string): number {
  let h = 0x811c9dc5;
  for (const byte of encoder.encode(key)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % 100;
}

export function usesCanary(key: string, canaryPercent: number): boolean {
  return canaryPercent > 0 && canaryBucket(key) < canaryPercent;
}

/** The tenant key of a request: team.id, else user.id, else the client key id, else "". */
export function tenantKey(context: Record<string, unknown>, clientKeyId?: string): string {
  return idOf(context.team) ?? idOf(context.user) ?? clientKeyId ?? '';
}

function idOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as Record<string, unknown>).id;
  if (typeof id === 'string' && id !== '') return `${id}`;
  return typeof id === 'number' ? String(id) : undefined;
}
