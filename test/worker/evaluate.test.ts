// /v1/evaluate and /v1/evaluate/batch end to end: a signed bundle in local KV, a client key made
// through the API, requests through the worker's fetch.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Bundle } from '../../src/policy/types';
import { call, json } from './support/http';
import { ADMIN, BASE_POLICIES, publish } from './support/publish';

let bundle: Bundle;
let freeKey: string;

beforeAll(async () => {
  bundle = await publish(BASE_POLICIES, '1.0.0');
  const res = await call('/v1/keys', { token: ADMIN, body: { subject: { team: { id: 'acme', tier: 'free' }, user: { id: 'ana' } }, name: 'acme backend' } });
  freeKey = (await json(res)).key;
});

describe('POST /v1/evaluate', () => {
  it('returns the Decision of the published bundle, with decision and bundle headers', async () => {
    const res = await call('/v1/evaluate', { token: freeKey, body: { context: { llm: { model: 'gpt-4o' } } } });
    expect(res.status).toBe(200);
    const decision = await json(res);
    expect(decision).toMatchObject({
      decision: 'deny',
      allowed: false,
      reasons: ['gpt-4o is not available on the free tier'],
      matchedRules: [{ policyId: 'model-access', ruleId: 'deny-premium-on-free', decision: 'deny' }],
      bundle: { version: '1.0.0', hash: bundle.hash },
    });
    expect(decision.requestId).toBe(res.headers.get('x-request-id'));
    expect(res.headers.get('x-policy-decision')).toBe('deny');
    expect(res.headers.get('x-policy-bundle')).toBe('1.0.0');
  });

  it('allows what no rule denies', async () => {
    const res = await call('/v1/evaluate', { token: freeKey, body: { context: { llm: { model: 'gpt-4o-mini' } } } });
    expect(await json(res)).toMatchObject({ decision: 'allow', allowed: true });
    expect(res.headers.get('x-policy-decision')).toBe('allow');
  });

  it("lets the key's subject override what the body claims about team and user", async () => {
    const res = await call('/v1/evaluate', {
      token: freeKey,
      body: { context: { team: { id: 'someone-else', tier: 'enterprise' }, user: { id: 'mallory', roles: ['admin'] }, llm: { model: 'gpt-4o' } }, explain: true },
    });
    const decision = await json(res);
    expect(decision.decision).toBe('deny');
    const leaves = JSON.stringify(decision.trace);
    expect(leaves).toContain('"actual":"free"');
    expect(leaves).not.toContain('enterprise');
  });

  it('enriches the context before evaluating (PII found in the prompt)', async () => {
    const res = await call('/v1/evaluate', { token: freeKey, body: { context: { llm: { model: 'gpt-4o-mini', prompt: 'Email jane.doe@example.com the figures' } } } });
    expect(await json(res)).toMatchObject({ decision: 'deny', reasons: ['prompt contains ["email"]'] });
  });

  it('uses the context as given with the admin token', async () => {
    const res = await call('/v1/evaluate', { token: ADMIN, body: { context: { team: { tier: 'enterprise' }, llm: { model: 'gpt-4o' } } } });
    expect(await json(res)).toMatchObject({ decision: 'allow' });
  });

  it('adds an explain trace only when asked', async () => {
    const plain = await json(await call('/v1/evaluate', { token: freeKey, body: { context: { llm: { model: 'gpt-4o' } } } }));
    expect(plain.trace).toBeUndefined();
    const explained = await json(await call('/v1/evaluate', { token: freeKey, body: { context: { llm: { model: 'gpt-4o' } }, explain: true } }));
    expect(explained.trace).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'deny-premium-on-free', matched: true })]));
  });

  it('echoes a caller request id, sanitized, and makes one when none is sent', async () => {
    const echoed = await call('/v1/evaluate', { token: freeKey, body: { context: {} }, headers: { 'x-request-id': 'trace-42' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-42');
    expect((await json(echoed)).requestId).toBe('trace-42');

    const dirty = await call('/v1/evaluate', { token: freeKey, body: { context: {} }, headers: { 'x-request-id': `a<b>"c ${'x'.repeat(300)}` } });
    const id = dirty.headers.get('x-request-id')!;
    expect(id.startsWith('abc')).toBe(true);
    expect(id.length).toBeLessThanOrEqual(128);

    const fresh = await call('/v1/evaluate', { token: freeKey, body: { context: {} } });
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('POST /v1/evaluate/batch', () => {
  it('decides every context in order, with the strictest decision in the header', async () => {
    const res = await call('/v1/evaluate/batch', {
      token: ADMIN,
      body: { contexts: [{ team: { tier: 'free' }, llm: { model: 'gpt-4o' } }, { team: { tier: 'pro' }, llm: { model: 'gpt-4o' } }] },
    });
    expect(res.status).toBe(200);
    const { decisions } = await json(res);
    expect(decisions.map((d: { decision: string }) => d.decision)).toEqual(['deny', 'allow']);
    expect(decisions[0].bundle.version).toBe('1.0.0');
    expect(res.headers.get('x-policy-decision')).toBe('deny');
    expect(res.headers.get('x-policy-bundle')).toBe('1.0.0');
  });

  it('applies the client subject to every context', async () => {
    const res = await call('/v1/evaluate/batch', { token: freeKey, body: { contexts: [{ team: { tier: 'pro' }, llm: { model: 'gpt-4o' } }] } });
    expect((await json(res)).decisions[0].decision).toBe('deny');
  });

  it('refuses more than 100 contexts with 413 and a non-object context with 400 naming it', async () => {
    const tooMany = await call('/v1/evaluate/batch', { token: freeKey, body: { contexts: Array.from({ length: 101 }, () => ({})) } });
    expect(tooMany.status).toBe(413);
    expect((await json(tooMany)).error.code).toBe('payload_too_large');

    const bad = await call('/v1/evaluate/batch', { token: freeKey, body: { contexts: [{}, 'nope'] } });
    expect(bad.status).toBe(400);
    expect(await json(bad)).toEqual({ error: { code: 'invalid_request', message: 'contexts.1: expected object, received string' } });
  });
});
