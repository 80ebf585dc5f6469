// The fixed local dev client key of interfaces.md, `dev-client-key`, stored the way the worker
// stores client keys: `key:<sha256 hex of the token>` → record, `keyid:<id>` → the hash.
import { sha256Hex } from '../bundle/index';
import { CLIENT_KEY_PREFIX, type KvTarget } from './kv-target';

export const DEV_CLIENT_KEY = 'dev-client-key';
const KEY_ID_PREFIX = 'keyid:';

export const DEV_CLIENT_SUBJECT = {
  user: { id: 'dev-user' },
  team: { id: 'dev-team', tier: 'free' },
  project: { id: 'dev-project', environment: 'dev' },
};

/** Writes the dev client key record unless it is already there. Returns its KV key. */
export async function seedDevClientKey(target: KvTarget, now: Date = new Date()): Promise<string> {
  const hash = await sha256Hex(DEV_CLIENT_KEY);
  const kvKey = `${CLIENT_KEY_PREFIX}${hash}`;
  if ((await target.get(kvKey)) === null) {
    const record = { id: 'dev', subject: DEV_CLIENT_SUBJECT, name: 'local dev key', createdAt: now.toISOString() };
    await target.put(kvKey, JSON.stringify(record));
    await target.put(`${KEY_ID_PREFIX}${record.id}`, hash);
  }
  return kvKey;
}
