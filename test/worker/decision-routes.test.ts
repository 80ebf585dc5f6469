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

  describe('checks every filter, naming the field', () => {
    const rejected = async (query: string) => {
      const res = await call(`/v1/decisions?${query}`, { token: ADMIN });
      expect(res.status, query).toBe(400);
      const body = await json(res);
      expect(body.error.code, query).toBe('invalid_request');
      return body.error.message as string;
    };
    const found = async (query: string) => {
      const res = await call(`/v1/decisions?${query}`, { token: ADMIN });
      expect(res.status, query).toBe(200);
      return (await json<{ records: DecisionRecord[] }>(res)).records.map((r) => r.requestId);
    };

    it('since and until: a real calendar time, with a zone, and until after since', async () => {
      expect(await rejected('since=2026-02-30')).toBe('since: expected epoch milliseconds or an ISO 8601 time like 2026-11-22 or 2026-11-22T10:00:00Z, got "2026-02-30"');
      expect(await rejected('until=2026-11-01T25:00:00Z')).toMatch(/^until: expected epoch milliseconds or an ISO 8601 time/);
      // Without a zone the time would depend on where the worker runs.
      expect(await rejected('since=2026-11-01T12:00:00')).toMatch(/^since: /);
      expect(await rejected('since=12/01/2026')).toMatch(/^since: /);
      expect(await rejected('since=2026-11-02&until=2026-11-01')).toMatch(/^until: must be after since \(2026-11-02\)/);
      expect(await rejected('since=2026-11-01&until=2026-11-01')).toMatch(/^until: must be after since/);
      // A date is midnight UTC: the whole fixture lies on 2026-11-01.
      expect(await found('team=route-team&since=2026-11-01&until=2026-11-02&limit=100')).toHaveLength(45);
      expect(await found('team=route-team&since=2026-11-01T13:00:00%2B01:00&until=2026-11-01T12:00:10Z')).toEqual(
        Array.from({ length: 10 }, (_, i) => `route-${String(9 - i).padStart(3, '0')}`),
      );
    });

    it('team and user: a non-empty id', async () => {
      expect(await rejected('team=')).toBe('team: expected a non-empty id of at most 256 characters, got ""');
      expect(await rejected(`user=${'u'.repeat(257)}`)).toMatch(/^user: expected a non-empty id/);
    });

    it('rule: policyId/ruleId or a bare rule id', async () => {
      for (const q of ['rule=Model-Allowlist/deny', 'rule=a/b/c', 'rule=/deny', 'rule=']) expect(await rejected(q)).toMatch(/^rule: expected policyId\/ruleId or a bare rule id/);
      expect(await found('rule=model-allowlist/deny-unapproved-model')).toEqual([]);
      expect(await found('rule=deny-unapproved-model')).toEqual([]);
    });

    it('bundleVersion: a semver version', async () => {
      expect(await rejected('bundleVersion=v3.0.0')).toBe('bundleVersion: expected a semver bundle version like 1.4.0, got "v3.0.0"');
      expect(await rejected('bundleVersion=3.0')).toMatch(/^bundleVersion: /);
      expect(await found('team=route-team&bundleVersion=3.0.0&limit=5')).toEqual(['route-044', 'route-043', 'route-042', 'route-041', 'route-040']);
    });

    it('limit, cursor and format', async () => {
      for (const q of ['limit=0', 'limit=1001', 'limit=01', 'limit=1.5', 'limit=-1', 'limit=']) expect(await rejected(q)).toMatch(/^limit: expected an integer 1\.\.1000, got /);
      expect(await rejected('cursor=bogus')).toBe('cursor: expected the nextCursor of a previous page, passed back as it was, got "bogus"');
      expect(await rejected('format=csv')).toBe('format: expected json or ndjson, got "csv"');
    });

    it('decision and unknown or repeated parameters', async () => {
      expect(await rejected('decision=Deny')).toMatch(/^decision: expected one of allow, deny, .*got "Deny"$/);
      expect(await rejected('team=a&team=b')).toBe('team: given more than once; each filter takes one value');
      expect(await rejected('teams=x')).toMatch(/^unknown query parameter teams \(known: since, until, decision, team/);
    });
  });
});
