// Decision records through the isolate's write-behind buffer (write-behind.ts): a request pushes
// its record and returns; within ~50 ms a flush (under some request's waitUntil) makes the
// records private and sends them all in one DecisionLog.append(records) to one shard, picked at
// random per flush: one call and one storage transaction per flush, however many records (spread
// by id, a flush of n records cost up to min(n, 16) calls). Queries read every shard, so a
// record may live in any; its retry goes to the same shard, which stores it once.
import { appendToShard } from '../../durable/decisions-client';
import { privacySettings, toStoredRecord, type PrivacySettings } from '../../durable/decision-privacy';
import { SHARDS } from '../../durable/decision-shards';
import type { DecisionRecord, DecisionRecordInput } from '../../durable/decision-types';
import type { DecisionsEnv } from '../../durable/env';
import { registry } from '../metrics/index';
import { BUFFER_CAP, bufferPerKey, FLUSH_DELAY_MS, retryOnce, WriteBehind, type WaitUntil } from './write-behind';

interface Pending {
  input: DecisionRecordInput;
  /** A smaller record to store instead when `input` cannot be made into one (an uncopyable context). */
  fallback?: () => DecisionRecordInput;
  settings: PrivacySettings;
}

type Namespace = DecisionsEnv['DECISIONS'];

// The loss window, made measurable: records queued (decided) against records stored by a flush
// and records lost (a failed write, an unstorable record). queued - stored - lost is what sits in
// the buffer, or was lost with the isolate.
export const recordsTotal = registry.counter(
  'llm_policy_decision_records_total',
  'Decision records by state: queued (decided), stored (flushed to the log), lost (write failed or unstorable). Per isolate.',
);

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
  recordsTotal.inc({ state: 'queued' });
}

/**
 * Stores what is queued now, before the caller gets its answer: for refusals, where the caller
 * waits anyway and the record is what an operator looks for first. Never rejects.
 */
export function flushDecisionsNow(env: Pick<DecisionsEnv, 'DECISIONS'>): Promise<void> {
  return decisionBuffer(env).flush();
}

/** The isolate's buffer for this namespace (tests read its size and flush it). */
export function decisionBuffer(env: Pick<DecisionsEnv, 'DECISIONS'>): WriteBehind<Pending> {
  return bufferOf(env.DECISIONS);
}

async function send(ns: Namespace, items: Pending[]): Promise<void> {
  const records: DecisionRecord[] = [];
  for (const record of await Promise.all(items.map(storedOf))) {
    if (record) records.push(record);
    else recordsTotal.inc({ state: 'lost' });
  }
  if (records.length === 0) return;
  const n = Math.floor(Math.random() * SHARDS);
  const env = { DECISIONS: ns };
  const stored = await retryOnce({ msg: 'decision records not stored', shard: n, records: records.length, requestIds: records.slice(0, 5).map((r) => r.requestId) }, () => appendToShard(env, n, records));
  recordsTotal.inc({ state: stored ? 'stored' : 'lost' }, records.length);
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
