// Adds a RolloutNote (gate table, --force, the automatic stop) to the history entry a pointer
// move writes. movePointer (src/publish/pointer-store.ts) builds entries from fixed fields, so
// this wraps its KV target: the signed history document it puts is amended on its newest entry
// and signed again with the same key, before anything reaches KV. Nothing else passes through
// changed. (Simpler once movePointer takes extra entry fields itself: then drop this.)
import { signDocument } from '../bundle/index';
import { HISTORY_KEY, type KvTarget } from '../publish/kv-target';
import type { RolloutNote } from './history';

export function withHistoryNote(target: KvTarget, privateKey: string, note: () => RolloutNote): KvTarget {
  return {
    description: target.description,
    get: (key) => target.get(key),
    list: (prefix) => target.list(prefix),
    close: target.close ? () => target.close!() : undefined,
    async put(key, value) {
      const extra = note();
      if (key !== HISTORY_KEY || Object.keys(extra).length === 0) return target.put(key, value);
      const { signature: _old, ...doc } = JSON.parse(value) as { entries: object[]; signature?: unknown };
      const entries = doc.entries.slice();
      entries[entries.length - 1] = { ...entries[entries.length - 1], ...extra };
      return target.put(key, JSON.stringify(await signDocument({ ...doc, entries }, privateKey)));
    },
  };
}
