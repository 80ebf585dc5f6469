// /v1/budgets through the worker's real fetch entry, with real counters and a signed bundle in KV.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { reserveAll } from '../../src/durable/budgets-client';
import type { BudgetsEnv } from '../../src/durable/env';
import type { Budget, RateLimit } from '../../src/policy/types';
import { call, json } from './support/http';
import { ADMIN, publish } from './support/publish';

const budgetsEnv = env as unknown as BudgetsEnv;

const POLICIES = `
metadata: { id: spend }
rules:
  - id: allow-all
    condition: true
    action: { decision: allow }
budgets:
  - id: route-team-spend
    scope: team.id
    window: month
    limit: { costUsd: 10 }
rateLimits:
  - id: route-user-rpm
    scope: user.id
    window: minute
    limit: { requests: 5 }
`;
const teamSpend: Budget = { id: 'route-team-spend', scope: 'team.id', window: 'month', limit: { costUsd: 10 } };
const userRpm: RateLimit = { id: 'route-user-rpm', scope: 'user.id', window: 'minute', limit: { requests: 5 } };

let keyA: { id: string; key: string };
let keyB: { id: string; key: string };

beforeAll(async () => {
  await publish(POLICIES, '1.0.0');
  const create = async () => json<{ id: string; key: string }>(await call('/v1/keys', { token: ADMIN, body: { subject: { team: { id: 'team-r' } } } }));
  keyA = await create();
  keyB = await create();
});

async function reserve(requestId: string, team: string, keyId?: string) {
  const result = await reserveAll(budgetsEnv, [teamSpend], [userRpm], { team: { id: team }, user: { id: 'u1' } }, { costUsd: 2 }, requestId, { keyId });
  if (!result.ok) throw new Error(`expected a grant: ${result.message}`);
  return result.reservations;
}

describe('GET /v1/budgets/:budgetId/:scopeValue', () => {
  it('shows used, reserved and remaining of the current window to the admin', async () => {
    await reserve('g1', 'team get');
    const res = await call(`/v1/budgets/route-team-spend/${encodeURIComponent('team get')}`, { token: ADMIN });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      budgetId: 'route-team-spend',
      kind: 'budget',
      scope: 'team.id',
      scopeValue: 'team get',
      limit: { costUsd: 10 },
      used: { costUsd: 0, tokens: 0, requests: 0 },
      reserved: { costUsd: 2, tokens: 0, requests: 1 },
      remaining: { costUsd: 8 },
      window: { kind: 'month' },
    });
    const start = new Date(body.window.start);
    expect(start.getUTCDate()).toBe(1);
    expect(Date.parse(body.window.resetAt)).toBeGreaterThan(Date.now());
  });

  it('covers rate limits, 404s an unknown id and refuses client keys', async () => {
    const rpm = await json(await call('/v1/budgets/route-user-rpm/u1', { token: ADMIN }));
    expect(rpm).toMatchObject({ kind: 'rateLimit', window: { kind: 'minute' }, limit: { requests: 5 } });
    const unknown = await call('/v1/budgets/nope/u1', { token: ADMIN });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.code).toBe('not_found');
    expect((await call('/v1/budgets/route-team-spend/team-r', { token: keyA.key })).status).toBe(403);
    expect((await call('/v1/budgets/route-team-spend/team-r')).status).toBe(401);
  });
});

describe('POST /v1/budgets/settle and /release', () => {
  it('lets the client key that reserved settle, by ids or by reservation objects', async () => {
    const reservations = await reserve('s1', 'team-settle', keyA.id);
    const res = await call('/v1/budgets/settle', { token: keyA.key, body: { reservations, actual: { costUsd: 0.5 } } });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ ok: true, results: [expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })] });
    const state = await json(await call('/v1/budgets/route-team-spend/team-settle', { token: ADMIN }));
    expect(state).toMatchObject({ used: { costUsd: 0.5 }, reserved: { costUsd: 0 }, remaining: { costUsd: 9.5 } });
  });

  it('refuses another client key, allows the admin', async () => {
    const reservations = await reserve('s2', 'team-other', keyA.id);
    const ids = reservations.map((r) => r.id);
    const other = await json(await call('/v1/budgets/settle', { token: keyB.key, body: { reservationIds: ids, actual: { costUsd: 1 } } }));
    expect(other).toMatchObject({ ok: false, results: [{ ok: false, reason: 'forbidden' }, { ok: false, reason: 'forbidden' }] });
    const released = await json(await call('/v1/budgets/release', { token: ADMIN, body: { reservationIds: ids } }));
    expect(released).toMatchObject({ ok: true });
    const state = await json(await call('/v1/budgets/route-team-spend/team-other', { token: ADMIN }));
    expect(state).toMatchObject({ used: { costUsd: 0 }, reserved: { costUsd: 0 } });
  });

  it('answers 400 for malformed bodies and ids', async () => {
    const cases: unknown[] = [
      { reservationIds: ['not-an-id'], actual: {} },
      { actual: { costUsd: 1 } },
      { reservationIds: ['x'], reservations: [{ id: 'x' }], actual: {} },
      { reservationIds: [], actual: {} },
      { reservationIds: ['x'], actual: { costUsd: -1 } },
    ];
    for (const body of cases) {
      const res = await call('/v1/budgets/settle', { token: keyA.key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json(res)).error.code).toBe('invalid_request');
    }
    expect((await call('/v1/budgets/release', { body: { reservationIds: ['x'] } })).status).toBe(401);
  });
});
