// DecisionLog shards and the query client against real local Durable Objects.
import { env, listDurableObjectIds, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../../src/durable/decision-order';
import { SHARDS, shardName, shardOf } from '../../src/durable/decision-shards';
import type { DecisionRecord, DecisionRecordInput } from '../../src/durable/decision-types';
import { toStoredRecord } from '../../src/durable/decision-privacy';
import { exportDecisionsNdjson, queryDecisions, recordDecision } from '../../src/durable/decisions-client';
import type { DecisionsEnv } from '../../src/durable/env';

const decisionsEnv = env as unknown as DecisionsEnv;
const DAY = 24 * 60 * 60_000;

/** Every test writes under its own team id, so tests never see each other's records. */
function input(team: string, i: number, over: Partial<DecisionRecordInput> = {}): DecisionRecordInput {
  return {
    requestId: `${team}-req-${String(i).padStart(4, '0')}`,
    time: Date.now() - 60_000,
    source: 'evaluate',
    decision: 'allow',
    subject: { teamId: team, userId: `user-${i % 5}` },
    bundle: { version: '1.0.0', hash: 'sha256:abc' },
    reasons: ['no rule matched: default allow'],
    ...over,
  };
}

async function recordAll(inputs: DecisionRecordInput[]): Promise<void> {
  const stored = await Promise.all(inputs.map((i) => recordDecision(decisionsEnv, i)));
  expect(stored.every(Boolean)).toBe(true);
}

/** Records come time desc, then by the worker-minted id asc (ids are random, so ties are exercised). */
function expectInOrder(records: DecisionRecord[]): void {
  for (let i = 1; i < records.length; i++) {
    const a = records[i - 1];
    const b = records[i];
    const order = Date.parse(b.time) - Date.parse(a.time) || compareCodePoints(a.id, b.id);
    expect(order, `${a.id} before ${b.id}`).toBeLessThan(0);
  }
}

const requestIdsOf = (inputs: DecisionRecordInput[]) => inputs.map((i) => i.requestId).sort();

describe('queryDecisions pagination', () => {
  it('returns 250 records across shards in pages of 40, each exactly once, in order', async () => {
    const base = Date.now() - DAY;
    // Groups of three share a timestamp, so the requestId tie-break is exercised across shards.
    const inputs = Array.from({ length: 250 }, (_, i) => input('page-team', i, { time: base - Math.floor(i / 3) * 1000 }));
    await recordAll(inputs);

    const seen: DecisionRecord[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await queryDecisions(decisionsEnv, { team: 'page-team', limit: 40, cursor });
      pages++;
      expect(page.records.length).toBe(pages < 7 ? 40 : 10);
      seen.push(...page.records);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toBe(7);
    expectInOrder(seen);
    expect(seen.map((r) => r.requestId).sort()).toEqual(requestIdsOf(inputs));
    expect(new Set(seen.map((r) => r.id)).size).toBe(250);
    expect(new Set(seen.map((r) => shardOf(r.id))).size).toBe(SHARDS);
    expect((await listDurableObjectIds(decisionsEnv.DECISIONS)).length).toBeGreaterThanOrEqual(SHARDS);
  });

  it('exports every matching record as NDJSON in the same order', async () => {
    const base = Date.now() - 2 * DAY;
    const inputs = Array.from({ length: 120 }, (_, i) => input('export-team', i, { time: base - (i % 7) * 1000 }));
    await recordAll(inputs);
    const text = await new Response(exportDecisionsNdjson(decisionsEnv, { team: 'export-team' })).text();
    const lines = text.trimEnd().split('\n');
    const exported = lines.map((l) => JSON.parse(l) as DecisionRecord);
    expectInOrder(exported);
    expect(exported.map((r) => r.requestId).sort()).toEqual(requestIdsOf(inputs));
    const capped = await new Response(exportDecisionsNdjson(decisionsEnv, { team: 'export-team', limit: 7 })).text();
    expect(capped.trimEnd().split('\n')).toHaveLength(7);
  });

  it('rejects a malformed cursor or limit', async () => {
    await expect(queryDecisions(decisionsEnv, { cursor: 'c2_not-json' })).rejects.toThrow(/cursor/);
    // A cursor of the first format (it named a request id) is refused, not misread.
    await expect(queryDecisions(decisionsEnv, { cursor: 'c1_WzEsImEiXQ' })).rejects.toThrow(/cursor/);
    await expect(queryDecisions(decisionsEnv, { limit: 0 })).rejects.toThrow(/limit/);
    await expect(queryDecisions(decisionsEnv, { since: 'yesterday' })).rejects.toThrow(/since/);
  });
});

describe('queryDecisions filters', () => {
  it('filters by decision, user, rule, bundle version and time range', async () => {
    const t0 = Date.parse('2026-10-01T00:00:00.000Z');
    await recordAll([
      input('filter-team', 1, { time: t0, decision: 'deny', decidingRules: ['cost/deny-expensive'], matchedRules: [{ policyId: 'cost', ruleId: 'deny-expensive', decision: 'deny', priority: 100 }] }),
      input('filter-team', 2, { time: t0 + 1000, decision: 'allow', matchedRules: ['pii/warn-email'] }),
      input('filter-team', 3, { time: t0 + 2000, decision: 'deny', bundle: { version: '1.1.0', hash: 'sha256:def' }, subject: { teamId: 'filter-team', userId: 'alice' } }),
      input('other-team', 4, { time: t0 + 3000, decision: 'deny' }),
    ]);
    const ids = async (f: Parameters<typeof queryDecisions>[1]) =>
      (await queryDecisions(decisionsEnv, { team: 'filter-team', ...f })).records.map((r) => r.requestId);

    expect(await ids({})).toEqual(['filter-team-req-0003', 'filter-team-req-0002', 'filter-team-req-0001']);
    expect(await ids({ decision: 'deny' })).toEqual(['filter-team-req-0003', 'filter-team-req-0001']);
    expect(await ids({ user: 'alice' })).toEqual(['filter-team-req-0003']);
    expect(await ids({ rule: 'cost/deny-expensive' })).toEqual(['filter-team-req-0001']);
    expect(await ids({ rule: 'warn-email' })).toEqual(['filter-team-req-0002']);
    expect(await ids({ bundleVersion: '1.1.0' })).toEqual(['filter-team-req-0003']);
    expect(await ids({ since: new Date(t0 + 1000).toISOString(), until: t0 + 2000 })).toEqual(['filter-team-req-0002']);
    expect((await queryDecisions(decisionsEnv, { decision: 'deny', since: t0, until: t0 + 4000 })).records).toHaveLength(3);
  });

  it('never lets a record with the same request id replace another (the audit log is append-only)', async () => {
    await recordAll([input('upsert-team', 1, { decision: 'deny', reasons: ['the real decision'] })]);
    await recordAll([input('upsert-team', 1, { decision: 'allow', reasons: ['forged'] })]);
    const { records } = await queryDecisions(decisionsEnv, { team: 'upsert-team' });
    expect(records.map((r) => r.decision).sort()).toEqual(['allow', 'deny']);
    expect(new Set(records.map((r) => r.id)).size).toBe(2);
    expect(records.every((r) => r.requestId === 'upsert-team-req-0001')).toBe(true);
  });

  it('a retried append of one record stores it once', async () => {
    const record = await toStoredRecord(input('retry-team', 1), { storePrompts: false, maskFields: [] }, Date.now());
    const stub = decisionsEnv.DECISIONS.get(decisionsEnv.DECISIONS.idFromName(shardName(shardOf(record.id))));
    await stub.append([record]);
    await stub.append([record]);
    expect((await queryDecisions(decisionsEnv, { team: 'retry-team' })).records).toHaveLength(1);
  });
});

describe('DecisionLog batches', () => {
  it('stores a batch of many records with their rules in one append, each once when the append is retried', async () => {
    const settings = { storePrompts: false, maskFields: [] };
    const records = await Promise.all(
      Array.from({ length: 37 }, (_, i) =>
        toStoredRecord(
          input('batch-team', i, {
            decision: 'deny',
            decidingRules: ['batch/deny-big'],
            matchedRules: [{ policyId: 'batch', ruleId: 'deny-big', decision: 'deny', priority: 100 }, { policyId: 'batch', ruleId: `tag-${i % 3}`, decision: 'modify', priority: 0 }],
          }),
          settings,
          Date.now(),
        ),
      ),
    );
    const stub = decisionsEnv.DECISIONS.get(decisionsEnv.DECISIONS.idFromName(shardName(3)));
    expect(await stub.append(records)).toEqual({ stored: 37 });
    await stub.append(records);
    expect((await queryDecisions(decisionsEnv, { team: 'batch-team', limit: 1000 })).records).toHaveLength(37);
    expect((await queryDecisions(decisionsEnv, { rule: 'batch/deny-big', limit: 1000 })).records).toHaveLength(37);
    expect((await queryDecisions(decisionsEnv, { rule: 'tag-1', limit: 1000 })).records.map((r) => r.requestId).sort()).toEqual(
      records.filter((_, i) => i % 3 === 1).map((r) => r.requestId).sort(),
    );
  });
});

describe('DecisionLog retention', () => {
  it('deletes records older than 30 days when its alarm runs', async () => {
    const settings = { storePrompts: false, maskFields: [] };
    const old = await toStoredRecord(input('retention-team', 1, { time: Date.now() - 31 * DAY }), settings, Date.now());
    const recent = { ...(await toStoredRecord(input('retention-team', 2, { time: Date.now() - 29 * DAY }), settings, Date.now())) };
    // Both in one shard, so one alarm covers both.
    const shard = shardOf(old.id);
    while (shardOf(recent.id) !== shard) recent.id = crypto.randomUUID();
    const stub = decisionsEnv.DECISIONS.get(decisionsEnv.DECISIONS.idFromName(shardName(shard)));
    await stub.append([old, recent]);

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const left = await runInDurableObject(stub, (_, state) =>
      state.storage.sql.exec("SELECT request_id FROM decision_records WHERE request_id LIKE 'retention-team-%'").toArray(),
    );
    expect(left).toEqual([{ request_id: recent.requestId }]);
    // Records remain, so the shard keeps sweeping.
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).not.toBeNull();
  });
});
