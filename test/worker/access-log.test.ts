// The access log line: every refusal, warning and error is written whatever the sample rate;
// plain allows are written at ACCESS_LOG_SAMPLE_RATE (the randomness is injected here).
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { finishAccessLine, newAccessLine, writeAccessLine, type AccessLine } from '../../src/worker/middleware/access-line';
import { call, fetchWithEnv, json } from './support/http';
import { ADMIN, BASE_POLICIES, publish } from './support/publish';

const client = { kind: 'client' as const, keyId: 'key_1', subject: { team: { id: 't1', tier: 'pro' }, user: { id: 'u1' } } };

function line(status: number, fields: Partial<AccessLine> = {}, method = 'POST', path = '/v1/evaluate'): AccessLine {
  const l = newAccessLine('req-1');
  Object.assign(l, fields);
  finishAccessLine(l, method, path, status, 1.5, client);
  return l;
}

/** The request lines written to the console while `run` runs. */
async function requestLines(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const written: string[] = [];
  const out = vi.spyOn(console, 'log').mockImplementation((text: unknown) => void written.push(String(text)));
  const err = vi.spyOn(console, 'error').mockImplementation((text: unknown) => void written.push(String(text)));
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return written.filter((t) => t.includes('"event":"request"')).map((t) => JSON.parse(t));
}

afterEach(() => vi.restoreAllMocks());

describe('access log sampling', () => {
  const never = () => 0.999;
  const always = () => 0;

  it('writes every deny, needs_approval, budget refusal, warning and error, even at rate 0', async () => {
    const kept = [
      line(200, { decision: 'deny' }),
      line(200, { decision: 'needs_approval' }),
      line(429, { decision: 'rate_limited' }),
      line(200, { decision: 'allow', warnings: 1 }),
      line(400),
      line(401),
      line(500, { decision: 'allow' }),
      line(201, {}, 'POST', '/v1/keys'),
      line(200, {}, 'DELETE', '/v1/keys/key_1'),
    ];
    const lines = await requestLines(async () => {
      for (const l of kept) expect(writeAccessLine(l, 0, never)).toBe(true);
    });
    expect(lines.map((l) => [l.status, l.decision ?? null, l.method])).toEqual(kept.map((l) => [l.status, l.decision ?? null, l.method]));
    expect(lines.every((l) => l.sampleRate === undefined)).toBe(true);
  });

  it('writes a plain allow or GET when the draw falls under the rate, and marks it with the rate', async () => {
    const lines = await requestLines(async () => {
      expect(writeAccessLine(line(200, { decision: 'allow' }), 0.25, () => 0.2)).toBe(true);
      expect(writeAccessLine(line(200, { decision: 'allow' }), 0.25, () => 0.25)).toBe(false);
      expect(writeAccessLine(line(200, {}, 'GET', '/healthz'), 0.25, always)).toBe(true);
      expect(writeAccessLine(line(200, {}, 'GET', '/healthz'), 0.25, never)).toBe(false);
      expect(writeAccessLine(line(200, { decision: 'allow' }), 0, always)).toBe(false);
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'info', event: 'request', decision: 'allow', sampleRate: 0.25, keyId: 'key_1', teamId: 't1', userId: 'u1' });
    expect(lines[1]).toMatchObject({ path: '/healthz', sampleRate: 0.25 });
  });

  it('at rate 1 writes every line, unmarked, with ids and outcome but no token', async () => {
    const lines = await requestLines(async () => {
      expect(writeAccessLine(line(200, { decision: 'allow', bundleVersion: '1.0.0' }), 1, never)).toBe(true);
    });
    expect(lines).toEqual([
      {
        level: 'info', event: 'request', time: expect.any(String), method: 'POST', path: '/v1/evaluate', status: 200, requestId: 'req-1',
        latencyMs: 1.5, principal: 'client', keyId: 'key_1', userId: 'u1', teamId: 't1', decision: 'allow', bundleVersion: '1.0.0',
      },
    ]);
  });
});

describe('access log through the worker', () => {
  beforeAll(async () => {
    await publish(BASE_POLICIES, '1.0.0');
  });

  const evaluate = (context: object, token = ADMIN) =>
    new Request('https://policy.example.com/v1/evaluate', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ context }) });
  const deny = { team: { tier: 'free' }, llm: { model: 'gpt-4o' } };
  const allow = { team: { tier: 'pro' }, llm: { model: 'gpt-4o' } };

  it('ACCESS_LOG_SAMPLE_RATE=0 drops plain allows but keeps denies and 401s', async () => {
    const lines = await requestLines(async () => {
      expect((await json(await fetchWithEnv(evaluate(allow), { ACCESS_LOG_SAMPLE_RATE: '0' }))).decision).toBe('allow');
      expect((await json(await fetchWithEnv(evaluate(deny), { ACCESS_LOG_SAMPLE_RATE: '0' }))).decision).toBe('deny');
      expect((await fetchWithEnv(evaluate(allow, 'lpe_unknown'), { ACCESS_LOG_SAMPLE_RATE: '0' })).status).toBe(401);
    });
    expect(lines.map((l) => [l.status, l.decision ?? null])).toEqual([[200, 'deny'], [401, null]]);
  });

  it('ACCESS_LOG_SAMPLE_RATE=1 writes every allow', async () => {
    const lines = await requestLines(async () => {
      const res = await fetchWithEnv(evaluate(allow), { ACCESS_LOG_SAMPLE_RATE: '1' });
      expect(res.status).toBe(200);
      await call('/healthz');
    });
    expect(lines[0]).toMatchObject({ method: 'POST', path: '/v1/evaluate', status: 200, decision: 'allow', bundleVersion: '1.0.0', principal: 'admin' });
    expect(lines[0].sampleRate).toBeUndefined();
  });
});
