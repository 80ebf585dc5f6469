// Nothing verified to serve: evaluate fails closed (a deny Decision, HTTP 503, code no_policy)
// unless FAIL_OPEN=true, which allows with a warning.
import { describe, expect, it } from 'vitest';
import { call, fetchWithEnv, json } from './support/http';
import { ADMIN } from './support/publish';

describe('with an empty KV namespace', () => {
  it('denies with reason "no verified policy bundle" and error no_policy', async () => {
    const res = await call('/v1/evaluate', { token: ADMIN, body: { context: { llm: { model: 'gpt-4o' } } } });
    expect(res.status).toBe(503);
    expect(res.headers.get('x-policy-decision')).toBe('deny');
    expect(res.headers.get('x-policy-bundle')).toBe('none');
    expect(await json(res)).toMatchObject({
      decision: 'deny',
      allowed: false,
      reasons: ['no verified policy bundle'],
      bundle: { version: 'none', hash: '' },
      error: { code: 'no_policy' },
    });
  });

  it('denies every context of a batch', async () => {
    const res = await call('/v1/evaluate/batch', { token: ADMIN, body: { contexts: [{}, {}] } });
    expect(res.status).toBe(503);
    const body = await json(res);
    expect(body.decisions.map((d: { allowed: boolean }) => d.allowed)).toEqual([false, false]);
    expect(body.error.code).toBe('no_policy');
  });

  it('reports no_policy on /healthz', async () => {
    const res = await call('/healthz');
    expect(res.status).toBe(503);
    expect(await json(res)).toMatchObject({ status: 'no_policy', bundle: null });
  });

  it('allows with a warning when FAIL_OPEN=true', async () => {
    const req = new Request('https://policy.example.com/v1/evaluate', { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ context: {} }) });
    const res = await fetchWithEnv(req, { FAIL_OPEN: 'true' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-policy-decision')).toBe('allow');
    const decision = await json(res);
    expect(decision).toMatchObject({ decision: 'allow', allowed: true, bundle: { version: 'none' } });
    expect(decision.warnings[0].message).toContain('no verified policy bundle');
    expect(decision.error).toBeUndefined();
  });
});
