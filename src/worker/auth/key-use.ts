// When each client key was last used, for GET /v1/keys: written to KV (`keyused:<id>`) at most once
// a minute per key per isolate, off the request's path, so a busy key costs one KV write a minute
// rather than one per request. "Last used" is therefore accurate to about a minute.
export const KEY_USED_PREFIX = 'keyused:';
const WRITE_EVERY_MS = 60_000;

const written = new Map<string, number>();

export function noteKeyUse(kv: KVNamespace, keyId: string, now: number, waitUntil: (p: Promise<unknown>) => void): void {
  const last = written.get(keyId);
  if (last !== undefined && now - last < WRITE_EVERY_MS) return;
  written.set(keyId, now);
  if (written.size > 10_000) written.clear();
  waitUntil(kv.put(KEY_USED_PREFIX + keyId, new Date(now).toISOString()).catch(() => undefined));
}

export function lastUse(kv: KVNamespace, keyId: string): Promise<string | null> {
  return kv.get(KEY_USED_PREFIX + keyId);
}
