// Bad bodies get precise 4xx answers in the one error shape, never a stack trace.
import { beforeAll, describe, expect, it } from 'vitest';
import { call, fetchWithEnv, json } from './support/http';
import { ADMIN, BASE_POLICIES, publish } from './support/publish';

beforeAll(async () => {
  await publish(BASE_POLICIES, '1.0.0');
});

async function evaluateRaw(body: string): Promise<Response> {
  return call('/v1/evaluate', { token: ADMIN, body });
}

describe('malformed and mistyped bodies', () => {
  it('400 invalid_json for broken JSON, without echoing the body', async () => {
    const res = await evaluateRaw('{"context": {"secret": "sk-live-123"');
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body).toEqual({ error: { code: 'invalid_json', message: 'request body is not valid JSON' } });
  });

  it('400 invalid_json for an empty body', async () => {
    const res = await call('/v1/evaluate', { token: ADMIN, method: 'POST' });
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('invalid_json');
  });

  it.each([
    ['{"context": "x"}', 'context: expected object, received string'],
    ['{"context": [1]}', 'context: expected object, received array'],
    ['{}', 'context: required, expected object'],
    ['{"context": {}, "explain": "yes"}', 'explain: expected boolean, received string'],
    ['{"context": {}, "explian": true}', 'unknown field explian'],
    ['[]', 'body: expected object, received array'],
  ])('%s -> 400 %s', async (body, message) => {
    const res = await evaluateRaw(body);
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({ error: { code: 'invalid_request', message } });
  });

  it('404 in the same shape for unknown routes', async () => {
    const res = await call('/v1/nope', { token: ADMIN });
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('not_found');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('body size limit (MAX_BODY_BYTES, default 1 MiB)', () => {
  const big = JSON.stringify({ context: { llm: { prompt: 'x'.repeat(1024 * 1024) } } });

  it('413 payload_too_large when Content-Length says so', async () => {
    const res = await evaluateRaw(big);
    expect(res.status).toBe(413);
    expect(await json(res)).toEqual({ error: { code: 'payload_too_large', message: 'request body exceeds 1048576 bytes' } });
  });

  it('413 when a streamed body without Content-Length runs over', async () => {
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
        controller.close();
      },
    });
    const req = new Request('https://policy.example.com/v1/evaluate', { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` }, body: stream });
    expect(req.headers.get('content-length')).toBeNull();
    const res = await fetchWithEnv(req, {});
    expect(res.status).toBe(413);
    expect((await json(res)).error.code).toBe('payload_too_large');
  });

  it('413 when Content-Length understates the bytes actually sent', async () => {
    const body = JSON.stringify({ context: { pad: 'y'.repeat(500) } });
    const stream = new Blob([body]).stream();
    const req = new Request('https://policy.example.com/v1/evaluate', { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-length': '50' }, body: stream });
    const res = await fetchWithEnv(req, { MAX_BODY_BYTES: '100' });
    expect(res.status).toBe(413);
  });

  it('accepts a body just under the limit', async () => {
    const res = await evaluateRaw(JSON.stringify({ context: { llm: { prompt: 'x'.repeat(1000 * 1000) } } }));
    expect(res.status).toBe(200);
  });
});
