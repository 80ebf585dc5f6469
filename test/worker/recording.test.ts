// The per-isolate write-behind buffers of decision records and version stats (src/worker/
// recording/), against the real DecisionLog and VersionStats objects. Requests go through the
// worker's fetch with their own execution context each, and the test waits for every context's
// waitUntil work (waitOnExecutionContext): the flush that carries a record is under the
// waitUntil of the request that scheduled it, so once all of them are done, so is every flush.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DecisionRecordInput } from '../../src/durable/decision-types';
import { queryDecisions } from '../../src/durable/decisions-client';
import type { DecisionsEnv, VersionStatsEnv } from '../../src/durable/env';
import { versionStatsWindow } from '../../src/durable/version-stats-client';
import { decisionBuffer, recordDecisionLater } from '../../src/worker/recording/decisions';
import { countVersionStatsLater, sumEvents, versionStatsBuffer } from '../../src/worker/recording/version-stats';
import { BUFFER_CAP, retryOnce, WriteBehind } from '../../src/worker/recording/write-behind';
import worker from '../../src/worker/index';
import { call, json } from './support/http';
import { ADMIN, publish } from './support/publish';

const VERSION = '9.3.0-rec';
const POLICIES = `
metadata: { id: buffered }
rules:
  - id: allow-all
    condition: true
    action: { decision: allow }
  - id: no-forbidden-model
    condition: { operator: eq, field: llm.model, value: forbidden-model }
    action: { decision: deny, reason: "{{llm.model}} is not allowed" }
`;

const decisionsEnv = env as unknown as DecisionsEnv;
const statsEnv = env as unknown as VersionStatsEnv;
const started = Date.now();

let key: string;

beforeAll(async () => {
  await publish(POLICIES, VERSION);
  key = (await json(await call('/v1/keys', { token: ADMIN, body: { subject: { team: { id: 'team-buffered' }, user: { id: 'buffered-user' } } } }))).key;
});

/** Starts a POST /v1/evaluate; resolves with the answer and a promise of its waitUntil work. */
async function evaluate(model: string, requestId: string): Promise<{ res: Response; done: Promise<void> }> {
  const ctx = createExecutionContext();
  const req = new Request('https://policy.example.com/v1/evaluate', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ context: { llm: { model, estimatedCost: 0.001 } } }),
  });
  const res = await worker.fetch(req, env, ctx);
  return { res, done: waitOnExecutionContext(ctx) };
}

async function teamRecords(team: string): Promise<string[]> {
  const page = await queryDecisions(decisionsEnv, { team, limit: 1000 });
  return page.records.map((r) => r.requestId);
}

function input(requestId: string, team: string): DecisionRecordInput {
  return { requestId, source: 'evaluate', decision: 'allow', context: { team: { id: team } } };
}

describe('write-behind buffers through /v1/evaluate', () => {
  it('records every one of many concurrent evaluations exactly once, and counts them all in the version stats', async () => {
    const before = await versionStatsWindow(statsEnv, VERSION, started - 60_000);
    const n = 120;
    const calls = await Promise.all(Array.from({ length: n }, (_, i) => evaluate(i % 3 === 0 ? 'forbidden-model' : 'gpt-4o', `buffered-${i}`)));
    for (const { res } of calls) expect(res.status).toBe(200);
    await Promise.all(calls.map((c) => c.done));
    // Once the requests' waitUntil work is done, nothing is left waiting.
    expect(decisionBuffer(decisionsEnv).size).toBe(0);
    expect(versionStatsBuffer(statsEnv).size).toBe(0);

    const ids = await teamRecords('team-buffered');
    expect(ids.length).toBe(n);
    expect(new Set(ids)).toEqual(new Set(Array.from({ length: n }, (_, i) => `buffered-${i}`)));

    const after = await versionStatsWindow(statsEnv, VERSION, started - 60_000);
    const added = (outcome: string) => (after.byOutcome[outcome] ?? 0) - (before.byOutcome[outcome] ?? 0);
    expect(after.count - before.count).toBe(n);
    expect([added('allow'), added('deny')]).toEqual([80, 40]);
    expect(after.estimatedCostUsd - before.estimatedCostUsd).toBeCloseTo(n * 0.001, 6);
  });
});

describe('the decision buffer', () => {
  it('flushes at once when it reaches its cap, before the scheduled flush', async () => {
    const waits: Promise<unknown>[] = [];
    const waitUntil = (p: Promise<unknown>) => void waits.push(p);
    const buffer = decisionBuffer(decisionsEnv);
    for (let i = 0; i < BUFFER_CAP - 1; i++) recordDecisionLater(decisionsEnv, waitUntil, input(`cap-${i}`, 'team-cap'));
    expect(buffer.size).toBe(BUFFER_CAP - 1);
    // One waitUntil so far: the scheduled flush, by the first push.
    expect(waits.length).toBe(1);
    recordDecisionLater(decisionsEnv, waitUntil, input(`cap-${BUFFER_CAP - 1}`, 'team-cap'));
    expect(buffer.size).toBe(0);
    expect(waits.length).toBe(2);
    await waits[1];
    expect((await teamRecords('team-cap')).length).toBe(BUFFER_CAP);
    await Promise.all(waits);
  });

  it('keeps a record whose context cannot be copied, by its fallback', async () => {
    const waits: Promise<unknown>[] = [];
    let deep: unknown[] = [];
    for (let i = 0; i < 50_000; i++) deep = [deep];
    const bad = { ...input('fallback-1', 'team-fallback'), context: { team: { id: 'team-fallback' }, deep } };
    recordDecisionLater(decisionsEnv, (p) => void waits.push(p), bad, () => ({ ...input('fallback-1', 'team-fallback'), tags: { context: 'omitted' } }));
    await Promise.all(waits);
    const page = await queryDecisions(decisionsEnv, { team: 'team-fallback' });
    expect(page.records).toHaveLength(1);
    expect(page.records[0]).toMatchObject({ requestId: 'fallback-1', tags: { context: 'omitted' } });
  });

  it('sends a flush as one append to one shard, however many records it holds', async () => {
    const appended: number[] = [];
    const real = decisionsEnv.DECISIONS;
    // A counting wrapper around the real namespace (calls go through to the real objects).
    const counting = {
      idFromName: (name: string) => real.idFromName(name),
      get: (id: DurableObjectId) => {
        const stub = real.get(id);
        return { append: (records: unknown[]) => (appended.push(records.length), stub.append(records as never)) };
      },
    } as unknown as DecisionsEnv['DECISIONS'];
    const countingEnv = { ...decisionsEnv, DECISIONS: counting };
    const waits: Promise<unknown>[] = [];
    for (let i = 0; i < 64; i++) recordDecisionLater(countingEnv, (p) => void waits.push(p), input(`grouped-${i}`, 'team-grouped'));
    await Promise.all(waits);
    // The 64 records left in the one flush the first push scheduled.
    expect(appended).toEqual([64]);
    expect((await teamRecords('team-grouped')).length).toBe(64);
  });
});

describe('the version stats buffer', () => {
  it('sums the events per version, minute and outcome, and the sums reach the objects', async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const version = '9.3.1-sums';
    const waits: Promise<unknown>[] = [];
    const events = [
      { outcome: 'allow', estimatedCostUsd: 0.1 },
      { outcome: 'allow', estimatedCostUsd: 0.2, error: true },
      { outcome: 'deny' },
      { outcome: 'allow', estimatedCostUsd: 0.000001 },
    ];
    events.forEach((e, i) => countVersionStatsLater(statsEnv, (p) => void waits.push(p), { bundleVersion: version, requestId: `s${i}`, time: minute + i, ...e }));
    await Promise.all(waits);
    const window = await versionStatsWindow(statsEnv, version, minute);
    expect(window).toMatchObject({ count: 4, errors: 1, byOutcome: { allow: 3, deny: 1 } });
    expect(window.estimatedCostUsd).toBeCloseTo(0.300001, 6);
  });

  it('sumEvents keeps minutes and outcomes apart', () => {
    const e = (minute: number, outcome: string) => ({ version: 'v', minute, outcome, error: false, costUnits: 1 });
    const sums = sumEvents([e(0, 'allow'), e(0, 'allow'), e(60_000, 'allow'), e(0, 'deny')]);
    expect(sums.map((s) => [s.minute, s.outcome, s.count, s.costUnits])).toEqual([
      [0, 'allow', 2, 2],
      [60_000, 'allow', 1, 1],
      [0, 'deny', 1, 1],
    ]);
  });
});

describe('WriteBehind and retryOnce', () => {
  it('sends at the cap synchronously, and otherwise once per scheduled flush', async () => {
    const sent: number[][] = [];
    const buffer = new WriteBehind<number>({ name: 'test', delayMs: 1, cap: 3, send: async (items) => void sent.push(items) });
    const waits: Promise<unknown>[] = [];
    const waitUntil = (p: Promise<unknown>) => void waits.push(p);
    buffer.push(1, waitUntil);
    buffer.push(2, waitUntil);
    expect(sent).toEqual([]);
    buffer.push(3, waitUntil);
    expect(sent).toEqual([[1, 2, 3]]);
    buffer.push(4, waitUntil);
    await Promise.all(waits);
    expect(sent).toEqual([[1, 2, 3], [4]]);
    expect(buffer.size).toBe(0);
  });

  it('retries a failed write once, and a flush never rejects', async () => {
    let calls = 0;
    expect(await retryOnce({ msg: 'test' }, async () => {
      if (++calls === 1) throw new Error('Network connection lost.');
    })).toBe(true);
    expect(calls).toBe(2);
    calls = 0;
    expect(await retryOnce({ msg: 'test write failed (expected)' }, async () => {
      calls++;
      throw new Error('down');
    })).toBe(false);
    expect(calls).toBe(2);
    const failing = new WriteBehind<number>({ name: 'test (expected failure)', delayMs: 1, cap: 10, send: async () => { throw new Error('down'); } });
    const waits: Promise<unknown>[] = [];
    failing.push(1, (p) => void waits.push(p));
    await expect(Promise.all(waits)).resolves.toBeDefined();
  });
});
