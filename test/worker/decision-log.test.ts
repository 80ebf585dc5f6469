// DecisionLog shards and the query client against real local Durable Objects.
import { env, listDurableObjectIds, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../../src/durable/decision-order';
import { SHARDS, shardName, shardOf } from '../../src/durable/decision-shards';
import type { DecisionRecord, DecisionRecordInput } from '../../src/durable/decision-types';
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

/** The expected order: time desc, then requestId asc. */
function sorted(inputs: DecisionRecordInput[]): string[] {
  return [...inputs]
    .sort((a, b) => Number(b.time) - Number(a.time) || compareCodePoints(a.requestId, b.requestId))
    .map((i) => i.requestId);
}

describe('queryDecisions pagination', () => {
  it('returns 250 records across shards in pages of 40, each exactly once, in order', async () => {
    const base = Date.now() - DAY;
    // Groups of three share a timestamp, so the requestId tie-break is exercised across shards.
    const inputs = Array.from({ length: 250 }, (_, i) => input('page-team', i, { time: base - Math.floor(i / 3) * 1000 }));
    await recordAll(inputs);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await queryDecisions(decisionsEnv, { team: 'page-team', limit: 40, cursor });
      pages++;
      expect(page.records.length).toBe(pages < 7 ? 40 : 10);
      seen.push(...page.records.map((r) => r.requestId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toBe(7);
    expect(seen).toEqual(sorted(inputs));
    expect(new Set(inputs.map((i) => shardOf(i.requestId))).size).toBe(SHARDS);
    expect((await listDurableObjectIds(decisionsEnv.DECISIONS)).length).toBeGreaterThanOrEqual(SHARDS);
  });

  it('exports every matching record as NDJSON in the same order', async () => {
    const base = Date.now() - 2 * DAY;
    const inputs = Array.from({ length: 120 }, (_, i) => input('export-team', i, { time: base - (i % 7) * 1000 }));
    await recordAll(inputs);
    const text = await new Response(exportDecisionsNdjson(decisionsEnv, { team: 'export-team' })).text();
    const lines = text.trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as DecisionRecord).requestId)).toEqual(sorted(inputs));
    const capped = await new Response(exportDecisionsNdjson(decisionsEnv, { team: 'export-team', limit: 7 })).text();
    expect(capped.trimEnd().split('\n')).toHaveLength(7);
  });

  it('rejects a malformed cursor or limit', async () => {
    await expect(queryDecisions(decisionsEnv, { cursor: 'c1_not-json' })).rejects.toThrow(/cursor/);
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

  it('keeps one record per request id, the latest append winning', async () => {
    await recordAll([input('upsert-team', 1, { decision: 'allow' })]);
    await recordAll([input('upsert-team', 1, { decision: 'deny', actualCostUsd: 0.02 })]);
    const { records } = await queryDecisions(decisionsEnv, { team: 'upsert-team' });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ decision: 'deny', actualCostUsd: 0.02 });
  });
});

describe('DecisionLog retention', () => {
  it('deletes records older than 30 days when its alarm runs', async () => {
    const old = input('retention-team', 1, { time: Date.now() - 31 * DAY });
    const recent = input('retention-team', 2, { time: Date.now() - 29 * DAY });
    // Pick ids that land in one shard, so one alarm covers both.
    const shard = shardOf(old.requestId);
    let n = 2;
    while (shardOf(recent.requestId) !== shard) recent.requestId = `retention-team-req-x${n++}`;
    await recordAll([old, recent]);

    const stub = decisionsEnv.DECISIONS.get(decisionsEnv.DECISIONS.idFromName(shardName(shard)));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const left = await runInDurableObject(stub, (_, state) =>
      state.storage.sql.exec("SELECT request_id FROM decisions WHERE request_id LIKE 'retention-team-%'").toArray(),
    );
    expect(left).toEqual([{ request_id: recent.requestId }]);
    // Records remain, so the shard keeps sweeping.
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).not.toBeNull();
  });
});
