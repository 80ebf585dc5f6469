// Decision records through the isolate's write-behind buffer (write-behind.ts): a request pushes
// its record and returns; within ~50 ms a flush (under some request's waitUntil) makes the
// records private, groups them by shard and sends one DecisionLog.append(records) per shard.
import { appendToShard } from '../../durable/decisions-client';
import { privacySettings, toStoredRecord, type PrivacySettings } from '../../durable/decision-privacy';
import { shardOf } from '../../durable/decision-shards';
import type { DecisionRecord, DecisionRecordInput } from '../../durable/decision-types';
import type { DecisionsEnv } from '../../durable/env';
import { BUFFER_CAP, bufferPerKey, FLUSH_DELAY_MS, retryOnce, WriteBehind, type WaitUntil } from './write-behind';

interface Pending {
  input: DecisionRecordInput;
  /** A smaller record to store instead when `input` cannot be made into one (an uncopyable context). */
  fallback?: () => DecisionRecordInput;
  settings: PrivacySettings;
}

type Namespace = DecisionsEnv['DECISIONS'];

const bufferOf = bufferPerKey<Namespace, Pending>(
  (ns) => new WriteBehind<Pending>({ name: 'decision records', delayMs: FLUSH_DELAY_MS, cap: BUFFER_CAP, send: (items) => send(ns, items) }),
);

/**
 * Queues a decision record; it is stored within ~50 ms, off the request's path (see
 * write-behind.ts for the guarantee). The record's time is the moment of this call.
 */
export function recordDecisionLater(env: DecisionsEnv, waitUntil: WaitUntil, input: DecisionRecordInput, fallback?: () => DecisionRecordInput): void {
  const pending: Pending = { input: { ...input, time: input.time ?? Date.now() }, fallback, settings: privacySettings(env) };
  decisionBuffer(env).push(pending, waitUntil);
}

/** The isolate's buffer for this namespace (tests read its size and flush it). */
export function decisionBuffer(env: Pick<DecisionsEnv, 'DECISIONS'>): WriteBehind<Pending> {
  return bufferOf(env.DECISIONS);
}

async function send(ns: Namespace, items: Pending[]): Promise<void> {
  const byShard = new Map<number, DecisionRecord[]>();
  for (const record of await Promise.all(items.map(storedOf))) {
    if (!record) continue;
    const n = shardOf(record.id);
    const list = byShard.get(n);
    if (list) list.push(record);
    else byShard.set(n, [record]);
  }
  const env = { DECISIONS: ns };
  await Promise.all(
    [...byShard].map(([n, records]) =>
      retryOnce({ msg: 'decision records not stored', shard: n, records: records.length, requestIds: records.slice(0, 5).map((r) => r.requestId) }, () => appendToShard(env, n, records)),
    ),
  );
}

async function storedOf(p: Pending): Promise<DecisionRecord | undefined> {
  const now = Date.now();
  try {
    return await toStoredRecord(p.input, p.settings, now);
  } catch (error) {
    if (p.fallback) {
      try {
        return await toStoredRecord(p.fallback(), p.settings, now);
      } catch {
        // logged below with the first error
      }
    }
    console.error(JSON.stringify({ msg: 'decision record not stored', requestId: p.input?.requestId, error: String(error) }));
    return undefined;
  }
}
