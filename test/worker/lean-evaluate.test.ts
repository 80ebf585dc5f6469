// The lean entry for POST /v1/evaluate (evaluate/lean-entry.ts) answers exactly as the Hono app
// does for the same request: status, headers, body, the access log line and the request counter.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/worker/app';
import { servedLean } from '../../src/worker/evaluate/lean-entry';
import worker from '../../src/worker/index';
import { requestsTotal } from '../../src/worker/metrics/index';
import { call, json } from './support/http';
import { ADMIN, BASE_POLICIES, publish } from './support/publish';

const app = createApp();
let proKey: string;

beforeAll(async () => {
  await publish(BASE_POLICIES, '1.0.0');
  proKey = (await json(await call('/v1/keys', { token: ADMIN, body: { subject: { team: { id: 'lean-team', tier: 'pro' }, user: { id: 'lena' } } } }))).key;
});

afterEach(() => vi.restoreAllMocks());

interface Seen {
  status: number;
  headers: Array<[string, string]>;
  body: string;
  lines: Record<string, unknown>[];
}

type Fetch = (req: Request, e: Env, ctx: ExecutionContext) => Response | Promise<Response>;

async function through(fetch: Fetch, make: () => Request, overrides: Partial<Env>): Promise<Seen> {
  const written: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((t: unknown) => void written.push(String(t)));
  vi.spyOn(console, 'error').mockImplementation((t: unknown) => void written.push(String(t)));
  const ctx = createExecutionContext();
  const res = await fetch(make(), { ...env, ACCESS_LOG_SAMPLE_RATE: '1', ...overrides } as Env, ctx);
  const body = await res.text();
  await waitOnExecutionContext(ctx);
  vi.restoreAllMocks();
  const lines = written
    .filter((t) => t.includes('"event":"request"'))
    .map((t) => {
      const { time: _t, latencyMs: _l, ...rest } = JSON.parse(t) as Record<string, unknown>;
      return rest;
    });
  return { status: res.status, headers: [...res.headers], body, lines };
}

function post(body: unknown, headers: Record<string, string> = {}, path = '/v1/evaluate'): () => Request {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return () => new Request(`https://policy.example.com${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'lean-1', ...headers }, body: text });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('lean POST /v1/evaluate', () => {
  const cases: Array<[string, () => Request, Partial<Env>?]> = [
    ['an allow with a client key', () => post({ context: { llm: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello there' }] } } }, bearer(proKey))()],
    ['a deny with explain', () => post({ context: { team: { tier: 'free' }, llm: { model: 'gpt-4o' } }, explain: true }, bearer(ADMIN))()],
    ['a deny for PII in the prompt', () => post({ context: { llm: { model: 'gpt-4o-mini', prompt: 'Email jane.doe@example.com the figures' } } }, bearer(proKey))()],
    ['budgets: check', () => post({ context: { llm: { model: 'gpt-4o-mini' } }, budgets: 'check' }, bearer(proKey))()],
    ['a query string', () => post({ context: {} }, bearer(proKey), '/v1/evaluate?debug=1')()],
    ['agent headers', () => post({ context: {} }, { ...bearer(proKey), 'x-agent-session': 's-1', 'x-agent-step': '3' })()],
    ['no token', () => post({ context: {} })()],
    ['an unknown key', () => post({ context: {} }, bearer('lpe_unknown'))()],
    ['invalid JSON', () => post('{"context":', bearer(proKey))()],
    ['an empty body', () => post('', bearer(proKey))()],
    ['an unknown field', () => post({ context: {}, extra: 1 }, bearer(proKey))()],
    ['a context that is not an object', () => post({ context: 'x' }, bearer(proKey))()],
    ['explain that is not a boolean', () => post({ context: {}, explain: 'yes' }, bearer(proKey))()],
    ['an unknown budgets mode', () => post({ context: {}, budgets: 'spend' }, bearer(proKey))()],
    ['a bad agent step', () => post({ context: {} }, { ...bearer(proKey), 'x-agent-step': '-1' })()],
    ['a body over MAX_BODY_BYTES', () => post({ context: { pad: 'x'.repeat(200) } }, bearer(proKey))(), { MAX_BODY_BYTES: '100' }],
    ['a misconfigured worker', () => post({ context: {} }, bearer(proKey))(), { ADMIN_TOKEN: '', BUNDLE_PUBLIC_KEY: '' }],
    ['no request id of the caller', () => new Request('https://policy.example.com/v1/evaluate', { method: 'POST', headers: bearer(proKey), body: '{"context":{}}' })],
  ];

  for (const [name, make, overrides] of cases) {
    it(`answers ${name} as the app does`, async () => {
      const leanRoute = await through(worker.fetch as Fetch, make, overrides ?? {});
      const appRoute = await through(app.fetch as Fetch, make, overrides ?? {});
      if (name === 'no request id of the caller') {
        // A fresh UUID each: compare all but it.
        for (const seen of [leanRoute, appRoute]) {
          const id = seen.headers.find(([k]) => k === 'x-request-id')![1];
          expect(id).toMatch(/^[0-9a-f-]{36}$/);
          seen.body = seen.body.split(id).join('<id>');
          seen.headers = seen.headers.map(([k, v]) => [k, v.split(id).join('<id>')]);
          seen.lines = seen.lines.map((l) => ({ ...l, requestId: '<id>' }));
        }
      }
      expect(leanRoute).toEqual(appRoute);
      expect(leanRoute.lines).toHaveLength(1);
    });
  }

  it('counts its requests under the same route label', async () => {
    const labels = { route: '/v1/evaluate', status: '401' };
    const before = requestsTotal.get(labels);
    await through(worker.fetch as Fetch, post({ context: {} }), {});
    expect(requestsTotal.get(labels)).toBe(before + 1);
    await through(app.fetch as Fetch, post({ context: {} }), {});
    expect(requestsTotal.get(labels)).toBe(before + 2);
  });

  it('takes exactly POST /v1/evaluate; the batch, other methods and spellings go to the app', () => {
    const r = (method: string, path: string) => new Request(`https://policy.example.com${path}`, { method, body: method === 'POST' ? '{}' : undefined });
    expect(servedLean(r('POST', '/v1/evaluate'))).toBe(true);
    expect(servedLean(r('POST', '/v1/evaluate?x=1'))).toBe(true);
    expect(servedLean(r('POST', '/v1/evaluate/batch'))).toBe(false);
    expect(servedLean(r('POST', '/v1/evaluate/'))).toBe(false);
    expect(servedLean(r('POST', '/v1/evaluatex'))).toBe(false);
    expect(servedLean(r('GET', '/v1/evaluate'))).toBe(false);
    expect(servedLean(r('POST', '/proxy/openai/v1/chat/completions'))).toBe(false);
  });
});
