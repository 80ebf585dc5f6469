// Writing and reading decision records across the DecisionLog shards.
import type { DecisionLog } from './decision-log';
import { comparePositions, decodeCursor, encodeCursor } from './decision-order';
import { privacySettings, toStoredRecord } from './decision-privacy';
import { SHARDS, shardName, shardOf } from './decision-shards';
import type { DecisionFilter, DecisionPage, DecisionRecord, DecisionRecordInput, ShardQuery } from './decision-types';
import type { DecisionsEnv } from './env';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const EXPORT_PAGE = 500;

/**
 * Stores one decision record in its shard, after the privacy rules (decision-privacy.ts), with
 * its own call. The worker and the proxy batch instead (worker/recording/decisions.ts). It never
 * rejects; it resolves false (and logs) when the record could not be stored.
 */
export async function recordDecision(env: DecisionsEnv, input: DecisionRecordInput): Promise<boolean> {
  try {
    const record = await toStoredRecord(input, privacySettings(env), Date.now());
    await shardStub(env, shardOf(record.id)).append([record]);
    return true;
  } catch (error) {
    console.error(JSON.stringify({ msg: 'decision record not stored', requestId: input?.requestId, error: String(error) }));
    return false;
  }
}

/**
 * Stores records already made private (toStoredRecord) in shard `n` with one call. Any shard will
 * do (queries read them all); a retry must go to the same one, which stores a record once. Rejects
 * when the shard could not be reached. The worker's write-behind buffer
 * (worker/recording/decisions.ts) sends each flush through this, to one shard.
 */
export async function appendToShard(env: DecisionsEnv, n: number, records: DecisionRecord[]): Promise<void> {
  await shardStub(env, n).append(records);
}

/**
 * One page of records, newest first (ties by record id). Every shard returns up to limit + 1
 * records strictly after the cursor; the merged first `limit` are the page, and the cursor is the
 * last record's (time, id), so the next page starts right after it in every shard.
 * Throws RangeError/TypeError on a bad filter or cursor.
 */
export async function queryDecisions(env: DecisionsEnv, filter: DecisionFilter = {}): Promise<DecisionPage> {
  const limit = limitOf(filter.limit);
  const q: ShardQuery = { ...shardFilter(filter), limit: limit + 1 };
  const pages = await Promise.all(Array.from({ length: SHARDS }, (_, n) => shardStub(env, n).query(q)));
  const merged = (pages.flat() as DecisionRecord[]).sort((a, b) => comparePositions(positionOf(a), positionOf(b)));
  const records = merged.slice(0, limit);
  if (merged.length <= limit) return { records };
  return { records, nextCursor: encodeCursor(positionOf(records[records.length - 1])) };
}

/**
 * Every record matching `filter` (at most `filter.limit` when given) as NDJSON, one record per
 * line, read page by page as the stream is consumed.
 */
export function exportDecisionsNdjson(env: DecisionsEnv, filter: DecisionFilter = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let left = filter.limit === undefined ? Infinity : limitOf(filter.limit);
  let cursor = filter.cursor;
  // Validate before the stream starts, so a bad filter is an error, not a truncated export.
  shardFilter(filter);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const page = await queryDecisions(env, { ...filter, cursor, limit: Math.min(EXPORT_PAGE, left) });
      const lines = page.records.map((r) => `${JSON.stringify(r)}\n`).join('');
      if (lines) controller.enqueue(encoder.encode(lines));
      left -= page.records.length;
      cursor = page.nextCursor;
      if (!cursor || left <= 0) controller.close();
    },
  });
}

function shardStub(env: DecisionsEnv, n: number): DurableObjectStub<DecisionLog> {
  return env.DECISIONS.get(env.DECISIONS.idFromName(shardName(n)));
}

function positionOf(r: DecisionRecord): { timeMs: number; id: string } {
  return { timeMs: Date.parse(r.time), id: r.id };
}

function shardFilter(f: DecisionFilter): Omit<ShardQuery, 'limit'> {
  const q: Omit<ShardQuery, 'limit'> = {};
  if (f.since !== undefined) q.sinceMs = timeOf('since', f.since);
  if (f.until !== undefined) q.untilMs = timeOf('until', f.until);
  for (const key of ['decision', 'team', 'user', 'rule', 'bundleVersion'] as const) {
    const v = f[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v === '' || v.length > 256) throw new RangeError(`${key} must be a non-empty string`);
    q[key] = v;
  }
  if (f.cursor !== undefined) q.after = decodeCursor(f.cursor);
  return q;
}

function limitOf(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new RangeError(`limit must be an integer 1..${MAX_LIMIT}`);
  return limit;
}

/** Epoch ms, or a date string (ISO 8601) */
function timeOf(what: string, v: number | string): number {
  const ms = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isSafeInteger(ms)) throw new RangeError(`${what} must be epoch milliseconds or an ISO 8601 time`);
  return ms;
}
