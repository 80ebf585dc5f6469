// GET /v1/decisions through the worker's real fetch entry, over real DecisionLog shards.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../../src/durable/decision-types';
import { recordDecision } from '../../src/durable/decisions-client';
import type { DecisionsEnv } from '../../src/durable/env';
import { call, json } from './support/http';
import { ADMIN } from './support/publish';

const decisionsEnv = env as unknown as DecisionsEnv;
const T0 = Date.parse('2026-11-01T12:00:00.000Z');

beforeAll(async () => {
  const stored = await Promise.all(
    Array.from({ length: 45 }, (_, i) =>
      recordDecision(decisionsEnv, {
        requestId: `route-${String(i).padStart(3, '0')}`,
        time: T0 + i * 1000,
        source: i % 2 ? 'proxy' : 'evaluate',
        decision: i % 3 === 0 ? 'deny' : 'allow',
        subject: { teamId: 'route-team', userId: `u${i % 4}` },
        bundle: { version: '3.0.0', hash: 'sha256:r' },
      }),
    ),
  );
  expect(stored.every(Boolean)).toBe(true);
});

describe('GET /v1/decisions', () => {
  it('pages with limit and cursor, newest first', async () => {
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const res = await call(`/v1/decisions?team=route-team&limit=20${cursor ? `&cursor=${cursor}` : ''}`, { token: ADMIN });
      expect(res.status).toBe(200);
      const body = await json<{ records: DecisionRecord[]; nextCursor?: string }>(res);
      seen.push(...body.records.map((r) => r.requestId));
      if (!body.nextCursor) break;
      cursor = encodeURIComponent(body.nextCursor);
    }
    expect(seen).toEqual(Array.from({ length: 45 }, (_, i) => `route-${String(44 - i).padStart(3, '0')}`));
  });

  it('filters by decision, user and time range', async () => {
    const q = `team=route-team&decision=deny&user=u0&since=${new Date(T0).toISOString()}&until=${T0 + 30_000}`;
    const body = await json<{ records: DecisionRecord[] }>(await call(`/v1/decisions?${q}`, { token: ADMIN }));
    // deny: i % 3 == 0; user u0: i % 4 == 0; i < 30  ->  0, 12, 24
    expect(body.records.map((r) => r.requestId)).toEqual(['route-024', 'route-012', 'route-000']);
  });

  it('exports NDJSON by Accept header or format=ndjson', async () => {
    const byHeader = await call('/v1/decisions?team=route-team', { token: ADMIN, headers: { accept: 'application/x-ndjson' } });
    expect(byHeader.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = (await new Response(byHeader.body).text()).trimEnd().split('\n');
    expect(lines).toHaveLength(45);
    expect((JSON.parse(lines[0]) as DecisionRecord).requestId).toBe('route-044');
    const byParam = await call('/v1/decisions?team=route-team&format=ndjson&limit=5', { token: ADMIN });
    expect((await new Response(byParam.body).text()).trimEnd().split('\n')).toHaveLength(5);
  });

  it('is admin-only and rejects bad parameters', async () => {
    expect((await call('/v1/decisions')).status).toBe(401);
    for (const q of ['limit=0', 'limit=abc', 'cursor=bogus', 'since=yesterday', 'teams=x', 'format=csv']) {
      const res = await call(`/v1/decisions?${q}`, { token: ADMIN });
      expect(res.status, q).toBe(400);
      expect((await json(res)).error.code).toBe('invalid_request');
    }
  });

  it('names the field of a decision filter no record can match', async () => {
    const res = await call('/v1/decisions?decision=bogus', { token: ADMIN });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toMatch(/^decision: expected one of allow, deny, needs_approval.*got "bogus"$/);
    expect((await call('/v1/decisions?decision=rate_limited', { token: ADMIN })).status).toBe(200);
  });
});
