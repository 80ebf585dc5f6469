// Decision records and version stats of /v1/evaluate, written under waitUntil after the answer.
// Requests go through the worker's fetch with a real execution context, and the test waits for
// that context's waitUntil work (waitOnExecutionContext) before reading the DecisionLog and
// VersionStats objects.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../../src/durable/decision-types';
import type { VersionStatsEnv } from '../../src/durable/env';
import { versionStatsWindow } from '../../src/durable/version-stats-client';
import { call, fetchWithEnv, json } from './support/http';
import { ADMIN, publish } from './support/publish';

const VERSION = '4.2.0';
const POLICIES = `
metadata: { id: records }
rules:
  - id: allow-all
    condition: true
    action: { decision: allow }
  - id: no-forbidden-model
    condition: { operator: eq, field: llm.model, value: forbidden-model }
    action: { decision: deny, reason: "{{llm.model}} is not allowed" }
budgets:
  - id: team-spend
    scope: team.id
    window: month
    limit: { costUsd: 1 }
`;

let key: string;
const started = Date.now();

beforeAll(async () => {
  await publish(POLICIES, VERSION);
  key = (await json(await call('/v1/keys', { token: ADMIN, body: { subject: { team: { id: 'team-rec' }, user: { id: 'rec-user' } } } }))).key;
});

/** POST through the worker's fetch, returning once the answer's waitUntil work is done. */
async function post(path: string, body: unknown, requestId: string): Promise<Response> {
  const req = new Request(`https://policy.example.com${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-request-id': requestId },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return fetchWithEnv(req, {});
}

async function records(): Promise<DecisionRecord[]> {
  const res = await call('/v1/decisions?team=team-rec', { token: ADMIN });
  expect(res.status).toBe(200);
  return (await json<{ records: DecisionRecord[] }>(res)).records;
}

async function recordOf(requestId: string): Promise<DecisionRecord | undefined> {
  return (await records()).find((r) => r.requestId === requestId);
}

describe('decision records of /v1/evaluate', () => {
  it('a caller reusing a request id cannot overwrite the record of an earlier decision', async () => {
    // Attack: deny, then send an allowed request with the same x-request-id to erase the deny.
    await post('/v1/evaluate', { context: { llm: { model: 'forbidden-model' } } }, 'rec-reused');
    await post('/v1/evaluate', { context: { llm: { model: 'gpt-4o' } } }, 'rec-reused');
    const both = (await records()).filter((r) => r.requestId === 'rec-reused');
    expect(both.map((r) => r.decision).sort()).toEqual(['allow', 'deny']);
    expect(new Set(both.map((r) => r.id)).size).toBe(2);
  });

  it('batch element ids cannot collide with another request\'s', async () => {
    await post('/v1/evaluate', { context: { llm: { model: 'forbidden-model' } } }, 'rec-b.0');
    await post('/v1/evaluate/batch', { contexts: [{ llm: { model: 'gpt-4o' } }] }, 'rec-b');
    const kept = (await records()).filter((r) => r.requestId === 'rec-b.0');
    expect(kept.map((r) => r.decision).sort()).toEqual(['allow', 'deny']);
  });

  it('records an allow with source evaluate, the deciding rule, latency and the estimated cost', async () => {
    const res = await post('/v1/evaluate', { context: { llm: { model: 'gpt-4o', estimatedCost: 0.02 } } }, 'rec-allow');
    expect((await json(res)).decision).toBe('allow');
    expect(await recordOf('rec-allow')).toMatchObject({
      source: 'evaluate',
      decision: 'allow',
      subject: { teamId: 'team-rec', userId: 'rec-user' },
      decidingRules: ['records/allow-all'],
      bundle: { version: VERSION },
      estimatedCostUsd: 0.02,
      latencyMs: expect.any(Number),
      context: { team: { id: 'team-rec' }, llm: { model: 'gpt-4o' } },
    });
  });

  it('records a policy deny with its rule and reason', async () => {
    await post('/v1/evaluate', { context: { llm: { model: 'forbidden-model' } } }, 'rec-deny');
    expect(await recordOf('rec-deny')).toMatchObject({
      source: 'evaluate',
      decision: 'deny',
      decidingRules: ['records/no-forbidden-model'],
      reasons: ['forbidden-model is not allowed'],
    });
  });

  it('records a budget refusal as its code, with the budget in the tags and the rule that allowed it', async () => {
    const res = await post('/v1/evaluate', { context: { llm: { model: 'gpt-4o', estimatedCost: 2 } }, budgets: 'reserve' }, 'rec-over');
    expect((await json(res)).decision).toBe('deny');
    expect(await recordOf('rec-over')).toMatchObject({
      source: 'evaluate',
      decision: 'budget_exceeded',
      decidingRules: ['records/allow-all'],
      tags: { budget: 'team-spend' },
      estimatedCostUsd: 2,
    });
  });

  it('records every context of a batch under its own request id', async () => {
    const contexts = [{ llm: { model: 'gpt-4o' } }, { llm: { model: 'forbidden-model' } }];
    await post('/v1/evaluate/batch', { contexts }, 'rec-batch');
    expect(await recordOf('rec-batch.0')).toMatchObject({ source: 'evaluate', decision: 'allow' });
    expect(await recordOf('rec-batch.1')).toMatchObject({ source: 'evaluate', decision: 'deny' });
  });

  it('keeps the record, without the context, when the context cannot be copied', async () => {
    // Nested deeper than structuredClone goes (the record's copy of the context).
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    const res = await post('/v1/evaluate', `{"context":{"llm":{"model":"gpt-4o"},"metadata":{"deep":${deep}}}}`, 'rec-deep');
    expect((await json(res)).decision).toBe('allow');
    const record = await recordOf('rec-deep');
    expect(record).toMatchObject({ decision: 'allow', subject: { teamId: 'team-rec' }, tags: { context: 'omitted' } });
    expect(record?.context?.metadata).toBeUndefined();
  });

  it('counts the decisions in the version stats, by outcome', async () => {
    // The file's other tests count too: compare before and after.
    const read = () => versionStatsWindow(env as unknown as VersionStatsEnv, VERSION, started - 60_000);
    const before = await read();
    await post('/v1/evaluate', { context: { llm: { model: 'gpt-4o' } } }, 'stats-allow');
    await post('/v1/evaluate', { context: { llm: { model: 'forbidden-model' } } }, 'stats-deny');
    await post('/v1/evaluate', { context: { llm: { model: 'gpt-4o', estimatedCost: 5 } } }, 'stats-over');
    const after = await read();
    const added = (outcome: string) => (after.byOutcome[outcome] ?? 0) - (before.byOutcome[outcome] ?? 0);
    expect(after.count - before.count).toBe(3);
    expect([added('allow'), added('deny'), added('budget_exceeded')]).toEqual([1, 1, 1]);
    expect(after.estimatedCostUsd - before.estimatedCostUsd).toBeCloseTo(5, 6);
  });
});
