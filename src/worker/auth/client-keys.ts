// Client keys in KV. A key's secret is shown once, at creation; KV keeps only
//   key:<sha256 hex of the token>  ->  {id, subject, name, createdAt}
//   keyid:<id>                     ->  <sha256 hex>   (so DELETE /v1/keys/:id can find it)
// Lookups are cached in the isolate for a short time, misses too, so repeated bad keys do not
// turn into KV reads. A deleted key stops working at once in the isolate that deleted it, and
// elsewhere within the positive TTL plus KV's own propagation delay (up to about a minute).
import { sha256Hex } from '../../bundle/index';
import { log } from '../log';
import { subjectSchema, type Subject } from './subject';

export interface ClientKeyRecord {
  id: string;
  subject: Subject;
  name?: string;
  createdAt: string;
}

export const KEY_PREFIX = 'key:';
export const KEY_ID_PREFIX = 'keyid:';

export interface ClientKeyStoreOptions {
  now?: () => number;
  positiveTtlMs?: number;
  negativeTtlMs?: number;
  maxEntries?: number;
}

export class ClientKeyStore {
  private readonly cache = new Map<string, { record: ClientKeyRecord | null; expiresAt: number }>();
  private readonly now: () => number;
  private readonly positiveTtlMs: number;
  private readonly negativeTtlMs: number;
  private readonly maxEntries: number;

  constructor(opts: ClientKeyStoreOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.positiveTtlMs = opts.positiveTtlMs ?? 30_000;
    this.negativeTtlMs = opts.negativeTtlMs ?? 10_000;
    this.maxEntries = opts.maxEntries ?? 10_000;
  }

  /** The record of the token whose SHA-256 hex is `hash`, or null. */
  async lookupHash(kv: KVNamespace, hash: string): Promise<ClientKeyRecord | null> {
    const hit = this.cache.get(hash);
    if (hit && hit.expiresAt > this.now()) return hit.record;
    const record = parseRecord(await kv.get(KEY_PREFIX + hash), hash);
    this.remember(hash, record);
    return record;
  }

  async create(kv: KVNamespace, subject: Subject, name?: string): Promise<{ key: string; record: ClientKeyRecord }> {
    const key = `lpe_${base64url(randomBytes(32))}`;
    const hash = await sha256Hex(key);
    const record: ClientKeyRecord = { id: `key_${hex(randomBytes(8))}`, subject, ...(name ? { name } : {}), createdAt: new Date().toISOString() };
    await kv.put(KEY_PREFIX + hash, JSON.stringify(record));
    await kv.put(KEY_ID_PREFIX + record.id, hash);
    this.remember(hash, record);
    return { key, record };
  }

  /** False when no key has this id. */
  /** Every key's record (never the key itself nor its hash), oldest first. */
  async list(kv: KVNamespace): Promise<ClientKeyRecord[]> {
    const records: ClientKeyRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await kv.list({ prefix: KEY_PREFIX, cursor });
      for (const { name } of page.keys) {
        const record = parseRecord(await kv.get(name), name.slice(KEY_PREFIX.length));
        if (record) records.push({ id: record.id, subject: record.subject, ...(record.name ? { name: record.name } : {}), createdAt: record.createdAt });
      }
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async delete(kv: KVNamespace, id: string): Promise<boolean> {
    const hash = await kv.get(KEY_ID_PREFIX + id);
    if (hash === null) return false;
    await kv.delete(KEY_PREFIX + hash);
    await kv.delete(KEY_ID_PREFIX + id);
    this.remember(hash, null);
    return true;
  }

  private remember(hash: string, record: ClientKeyRecord | null): void {
    // Oldest first out: a flood of distinct bad keys cannot grow the isolate's memory unbounded.
    if (this.cache.size >= this.maxEntries && !this.cache.has(hash)) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.delete(hash);
    this.cache.set(hash, { record, expiresAt: this.now() + (record ? this.positiveTtlMs : this.negativeTtlMs) });
  }
}

function parseRecord(text: string | null, hash: string): ClientKeyRecord | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as ClientKeyRecord;
    const subject = subjectSchema.safeParse(value.subject);
    if (typeof value.id === 'string' && subject.success) return { ...value, subject: subject.data };
  } catch {
    // fall through: treated as no key
  }
  log('error', 'client_key_corrupt', { keyHashPrefix: hash.slice(0, 8) });
  return null;
}

function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The isolate's store (its cache lives as long as the isolate). */
export const clientKeys = new ClientKeyStore();
