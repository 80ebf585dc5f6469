// Injection stage two in /v1/evaluate: the worker asks the fake classifiers on 127.0.0.1 (HTTP, and
// Workers AI's REST API) about uncertain stage-one scores, within its timeout, and a failure
// follows each rule's onError.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchWithEnv, json } from './support/http';
import { ADMIN, publish } from './support/publish';

const POLICIES = `
metadata: { id: injection }
rules:
  - id: deny-injection
    condition: { operator: gte, field: llm.injectionScore, value: 0.8 }
    action: { decision: deny, reason: "injection {{llm.injectionScore}} {{llm.injectionSignals}}" }
  - id: deny-weapons
    condition: { operator: contains, field: llm.safety.categories, value: indiscriminate_weapons }
    action: { decision: deny, reason: "unsafe: {{llm.safety.categories}}" }
  - id: warn-injection
    onError: allow
    condition: { operator: gte, field: llm.injectionScore, value: 0.5 }
    action: { decision: warn, reason: "possible injection" }
`;

beforeAll(async () => {
  await publish(POLICIES, '1.0.0');
});

const FAKE = (): string => env.FAKE_CLASSIFIER_URL;
const HTTP = (path = '/score', more: Record<string, string> = {}) => ({ INJECTION_STAGE2: 'http', INJECTION_STAGE2_URL: `${FAKE()}${path}`, INJECTION_STAGE2_BAND: '0-1', ...more });
const AI = (more: Record<string, string> = {}) => ({ INJECTION_STAGE2: 'workers-ai', INJECTION_STAGE2_AI_URL: `${FAKE()}/accounts/test`, INJECTION_STAGE2_AI_TOKEN: 'cf-token', INJECTION_STAGE2_BAND: '0-1', ...more });

async function evaluate(prompt: string, overrides: Record<string, string>, llm: Record<string, unknown> = {}) {
  const req = new Request('https://policy.example.com/v1/evaluate', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ context: { llm: { model: 'gpt-4o-mini', prompt, ...llm } } }),
  });
  const res = await fetchWithEnv(req, overrides);
  expect(res.status).toBe(200);
  return json(res);
}

async function received(marker: string): Promise<Array<{ path: string; authorization?: string; body: any }>> {
  return (await fetch(`${FAKE()}/__received?marker=${encodeURIComponent(marker)}`)).json() as Promise<any>;
}

describe('injection stage two: http', () => {
  it('lets the classifier score an uncertain prompt, and names itself in the signals', async () => {
    const decision = await evaluate('Summarize the attached notes. FAKE-ATTACK m1', HTTP('/score', { INJECTION_STAGE2_TOKEN: 'sekret' }));
    expect(decision).toMatchObject({ decision: 'deny', matchedRules: [{ ruleId: 'deny-injection' }, { ruleId: 'warn-injection' }] });
    expect(decision.reasons[0]).toMatch(/^injection 0\.97 \[.*"stage2:http"\]$/);
    const calls = await received('m1');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ path: '/score', authorization: 'Bearer sekret', body: { text: 'Summarize the attached notes. FAKE-ATTACK m1' } });
  });

  it('allows what the classifier clears', async () => {
    const decision = await evaluate('Please translate good morning into Spanish. m2', HTTP());
    expect(decision).toMatchObject({ decision: 'allow', matchedRules: [] });
    expect(await received('m2')).toHaveLength(1);
  });

  it('asks nothing about a score outside the band', async () => {
    expect(await evaluate('Please translate good morning into Spanish. m3', HTTP('/score', { INJECTION_STAGE2_BAND: '0.99-1' }))).toMatchObject({ decision: 'allow' });
    expect(await received('m3')).toHaveLength(0);
  });

  it('is not skipped by a score the caller claims beside a prompt (the edge sets it aside)', async () => {
    expect(await evaluate('Summarize the attached notes. FAKE-ATTACK m4', HTTP(), { injectionScore: 0.1 })).toMatchObject({ decision: 'deny' });
    expect(await received('m4')).toHaveLength(1);
  });

  it('gives up after the timeout: deny rules fail closed, onError: allow rules do not match', async () => {
    const decision = await evaluate('Summarize the attached notes. m5', HTTP('/slow', { INJECTION_STAGE2_TIMEOUT_MS: '50' }));
    expect(decision.decision).toBe('deny');
    expect(decision.matchedRules.map((r: { ruleId: string }) => r.ruleId)).toEqual(['deny-injection']);
    expect(decision.errors).toEqual([
      { policyId: 'injection', ruleId: 'deny-injection', message: 'injection stage two (http) failed: no answer within 50 ms', onError: 'deny' },
      { policyId: 'injection', ruleId: 'warn-injection', message: 'injection stage two (http) failed: no answer within 50 ms', onError: 'allow' },
    ]);
  });

  it('treats an error status or an answer without a score as a failure', async () => {
    const failed = await evaluate('Summarize the attached notes. m6', HTTP('/status/503'));
    expect(failed.errors[0].message).toBe('injection stage two (http) failed: classifier answered HTTP 503');
    const shapeless = await evaluate('Summarize the attached notes. m7', HTTP('/no-score'));
    expect(shapeless.errors[0].message).toBe('injection stage two (http) failed: classifier answer has no score between 0 and 1');
    expect(failed.decision).toBe('deny');
  });

  it('reports a misconfigured stage two through the rules, not as a broken worker', async () => {
    const decision = await evaluate('Summarize the attached notes. m8', { INJECTION_STAGE2: 'http', INJECTION_STAGE2_BAND: '0-1' });
    expect(decision.errors[0].message).toBe('injection stage two (http) failed: INJECTION_STAGE2_URL: required for INJECTION_STAGE2=http');
    const band = await evaluate('Summarize the attached notes. m9', HTTP('/score', { INJECTION_STAGE2_BAND: 'high' }));
    expect(band.errors[0].message).toBe('injection stage two (http) failed: INJECTION_STAGE2_BAND: expected "low-high" within 0..1, got "high"');
  });
});

describe('injection stage two: workers-ai', () => {
  it('asks the judge with its fixed prompt and Llama Guard, and exposes the safety categories', async () => {
    const decision = await evaluate('How would one build FAKE-WEAPON at home? m10', AI());
    expect(decision).toMatchObject({ decision: 'deny', reasons: ['unsafe: ["indiscriminate_weapons"]'], matchedRules: [{ ruleId: 'deny-weapons' }] });
    const calls = await received('m10');
    const judge = calls.find((c) => c.path.endsWith('/llama-3.1-8b-instruct'));
    const guard = calls.find((c) => c.path.endsWith('/llama-guard-3-8b'));
    expect(judge?.authorization).toBe('Bearer cf-token');
    expect(judge?.body.messages[0]).toMatchObject({ role: 'system' });
    expect(judge?.body.messages[1]).toEqual({ role: 'user', content: '<text>\nHow would one build FAKE-WEAPON at home? m10\n</text>' });
    expect(guard?.body.messages).toEqual([{ role: 'user', content: 'How would one build FAKE-WEAPON at home? m10' }]);
  });

  it("denies on the judge's score", async () => {
    const decision = await evaluate('Summarize the attached notes. FAKE-ATTACK m11', AI({ INJECTION_STAGE2_GUARD_MODEL: 'none' }));
    expect(decision.reasons[0]).toMatch(/^injection 0\.93 \[.*"stage2:workers-ai"\]$/);
    expect((await received('m11')).map((c) => c.path)).toEqual(['/accounts/test/ai/run/@cf/meta/llama-3.1-8b-instruct']);
  });

  it('fails through onError without the AI binding or a REST URL', async () => {
    const decision = await evaluate('Summarize the attached notes. m12', { INJECTION_STAGE2: 'workers-ai', INJECTION_STAGE2_BAND: '0-1' });
    expect(decision.errors[0].message).toBe('injection stage two (workers-ai) failed: INJECTION_STAGE2=workers-ai needs the AI binding (or INJECTION_STAGE2_AI_URL)');
    expect(decision.decision).toBe('deny');
  });
});
