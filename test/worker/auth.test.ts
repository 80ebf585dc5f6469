// Who may call what: client keys, the admin token, local-mode dev credentials, key lifecycle.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, fetchWithEnv, json } from './support/http';
import { ADMIN, BASE_POLICIES, publish } from './support/publish';

const evaluateBody = { context: { llm: { model: 'gpt-4o' } } };
let clientKey: string;

beforeAll(async () => {
  await publish(BASE_POLICIES, '1.0.0');
  clientKey = (await json(await call('/v1/keys', { token: ADMIN, body: { subject: { team: { id: 't1', tier: 'pro' } } } }))).key;
});

describe('client routes', () => {
  it('401 without a key', async () => {
    const res = await call('/v1/evaluate', { body: evaluateBody });
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe('unauthorized');
  });

  it('401 for an unknown key, also when asked again (cached miss)', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await call('/v1/evaluate', { token: 'lpe_not-a-real-key', body: evaluateBody });
      expect(res.status).toBe(401);
      expect(await json(res)).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it('401 for a malformed Authorization header', async () => {
    const res = await call('/v1/evaluate', { headers: { authorization: `Basic ${btoa('a:b')}` }, body: evaluateBody });
    expect(res.status).toBe(401);
  });

  it('accepts a client key and the admin token', async () => {
    expect((await call('/v1/evaluate', { token: clientKey, body: evaluateBody })).status).toBe(200);
    expect((await call('/v1/evaluate', { token: ADMIN, body: evaluateBody })).status).toBe(200);
  });
});

describe('admin routes', () => {
  const adminRoutes: Array<[string, string]> = [['GET', '/v1/bundles'], ['GET', '/v1/bundles/active'], ['GET', '/metrics'], ['DELETE', '/v1/keys/key_x']];

  it.each(adminRoutes)('%s %s: 403 for a client key, 401 for none', async (method, path) => {
    const forbidden = await call(path, { method, token: clientKey });
    expect(forbidden.status).toBe(403);
    expect((await json(forbidden)).error.code).toBe('forbidden');
    expect((await call(path, { method })).status).toBe(401);
  });

  it('POST /v1/keys is admin-only too', async () => {
    const res = await call('/v1/keys', { token: clientKey, body: { subject: { team: { id: 'x' } } } });
    expect(res.status).toBe(403);
  });

  it('admin token passes', async () => {
    expect((await call('/v1/bundles', { token: ADMIN })).status).toBe(200);
    expect((await call('/metrics', { token: ADMIN })).status).toBe(200);
  });
});

describe('client keys', () => {
  it('create -> use -> delete -> 401', async () => {
    const created = await call('/v1/keys', { token: ADMIN, body: { subject: { user: { id: 'u9' }, team: { id: 'free-co', tier: 'free' } }, name: 'ci' } });
    expect(created.status).toBe(201);
    const record = await json(created);
    expect(record).toMatchObject({ id: expect.stringMatching(/^key_/), key: expect.stringMatching(/^lpe_/), subject: { user: { id: 'u9' } }, name: 'ci' });

    // KV holds only the hash of the secret.
    const stored = await env.BUNDLES.list({ prefix: 'key:' });
    expect(stored.keys.some((k) => k.name.includes(record.key))).toBe(false);
    const listing = JSON.stringify(await Promise.all(stored.keys.map((k) => env.BUNDLES.get(k.name))));
    expect(listing).not.toContain(record.key);

    const used = await call('/v1/evaluate', { token: record.key, body: evaluateBody });
    expect(await json(used)).toMatchObject({ decision: 'deny' });

    const deleted = await call(`/v1/keys/${record.id}`, { method: 'DELETE', token: ADMIN });
    expect(await json(deleted)).toEqual({ id: record.id, deleted: true });

    expect((await call('/v1/evaluate', { token: record.key, body: evaluateBody })).status).toBe(401);
    expect((await call(`/v1/keys/${record.id}`, { method: 'DELETE', token: ADMIN })).status).toBe(404);
  });

  it('GET /v1/keys lists keys without their secrets, with when each was last used', async () => {
    const unused = await json(await call('/v1/keys', { token: ADMIN, body: { subject: { team: { id: 'list-a' } }, name: 'idle' } }));
    const busy = await json(await call('/v1/keys', { token: ADMIN, body: { subject: { team: { id: 'list-b' } } } }));
    const before = Date.now();
    await call('/v1/evaluate', { token: busy.key, body: evaluateBody });
    const res = await call('/v1/keys', { token: ADMIN });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(unused.key);
    expect(text).not.toContain(busy.key);
    const { keys } = JSON.parse(text) as { keys: any[] };
    expect(keys.find((k) => k.id === unused.id)).toEqual({ id: unused.id, subject: { team: { id: 'list-a' } }, name: 'idle', createdAt: unused.createdAt, lastUsedAt: null });
    const used = keys.find((k) => k.id === busy.id);
    expect(Date.parse(used.lastUsedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect((await call('/v1/keys', { token: busy.key })).status).toBe(403);
  });

  it('refuses a subject without any identity, naming the field', async () => {
    const res = await call('/v1/keys', { token: ADMIN, body: { subject: {} } });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toEqual({ code: 'invalid_request', message: 'subject: needs at least one of user, team, project' });
    const typo = await call('/v1/keys', { token: ADMIN, body: { subject: { team: { id: 7 } } } });
    expect((await json(typo)).error.message).toBe('subject.team.id: expected string, received number');
  });
});

describe('local mode (LOCAL_DEV=true)', () => {
  const local = 'http://127.0.0.1:8787';

  it('accepts dev-client-key for the dev subject on a loopback host', async () => {
    const res = await call('/v1/evaluate', { origin: local, token: 'dev-client-key', body: { context: { team: { tier: 'enterprise' }, llm: { model: 'gpt-4o' } }, explain: true } });
    expect(res.status).toBe(200);
    const decision = await json(res);
    // dev-team is free tier, whatever the body says.
    expect(decision.decision).toBe('deny');
  });

  it('accepts dev-admin-token on a loopback host', async () => {
    expect((await call('/v1/bundles', { origin: 'http://localhost:8787', token: 'dev-admin-token' })).status).toBe(200);
  });

  it('refuses the dev credentials on any other host', async () => {
    expect((await call('/v1/evaluate', { token: 'dev-client-key', body: evaluateBody })).status).toBe(401);
    expect((await call('/v1/bundles', { token: 'dev-admin-token' })).status).toBe(401);
  });

  it('refuses them without LOCAL_DEV, even on loopback', async () => {
    const req = new Request(`${local}/v1/bundles`, { headers: { authorization: 'Bearer dev-admin-token' } });
    const res = await fetchWithEnv(req, { LOCAL_DEV: undefined });
    expect(res.status).toBe(401);
  });
});

describe('a worker missing its secrets', () => {
  it('answers 503 misconfigured everywhere but /healthz, which says what is missing', async () => {
    const bare = { ADMIN_TOKEN: undefined, LOCAL_DEV: undefined, BUNDLE_PUBLIC_KEY: '' };
    const res = await fetchWithEnv(new Request('https://policy.example.com/v1/evaluate', { method: 'POST', headers: { authorization: `Bearer ${clientKey}` }, body: JSON.stringify(evaluateBody) }), bare);
    expect(res.status).toBe(503);
    expect((await json(res)).error.code).toBe('misconfigured');

    const health = await fetchWithEnv(new Request('https://policy.example.com/healthz'), bare);
    expect(health.status).toBe(503);
    expect(await json(health)).toEqual({ status: 'misconfigured', missing: ['BUNDLE_PUBLIC_KEY', 'ADMIN_TOKEN'], bundle: null });
  });
});
