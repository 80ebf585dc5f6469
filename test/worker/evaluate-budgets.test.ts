// Budgets on /v1/evaluate, against the real BudgetCounter objects: budget state in conditions
// (and a caller unable to spoof it), `budgets: "check"` against what is left, `budgets:
// "reserve"` holding the estimate until the caller settles it through /v1/budgets/settle.
import { beforeAll, describe, expect, it } from 'vitest';
import { countPromptTokens, estimateCost } from '../../src/enrich/index';
import { call, json } from './support/http';
import { ADMIN, publish } from './support/publish';

const POLICIES = `
metadata: { id: spend }
rules:
  - id: allow-all
    condition: true
    action: { decision: allow }
  - id: low-on-budget
    condition: { operator: lt, field: budget.team-spend.remaining.costUsd, value: 1 }
    action: { decision: deny, reason: "team budget low: {{budget.team-spend.remaining.costUsd}} USD left" }
  - id: no-forbidden-model
    condition: { operator: eq, field: llm.model, value: forbidden-model }
    action: { decision: deny, reason: "{{llm.model}} is not allowed" }
budgets:
  - id: team-spend
    scope: team.id
    window: month
    limit: { costUsd: 5 }
  - id: team-tokens
    scope: team.id
    window: month
    limit: { tokens: 20000 }
    onExceed: warn
rateLimits:
  - id: user-daily
    scope: user.id
    window: day
    limit: { requests: 2 }
`;

interface Key {
  id: string;
  key: string;
}

interface BudgetState {
  used: { costUsd: number; tokens: number; requests: number };
  reserved: { costUsd: number; tokens: number; requests: number };
  remaining: Record<string, number>;
}

beforeAll(async () => {
  await publish(POLICIES, '1.0.0');
});

/** A client key for a team and its user `<team>-user`; `{user: false}`: the team alone. */
async function keyFor(team: string, opts: { user?: boolean } = {}): Promise<Key> {
  const subject = opts.user === false ? { team: { id: team } } : { team: { id: team }, user: { id: `${team}-user` } };
  return json<Key>(await call('/v1/keys', { token: ADMIN, body: { subject } }));
}

async function evaluate(key: Key, context: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const res = await call('/v1/evaluate', { token: key.key, body: { context, ...extra } });
  return { res, body: await json(res) };
}

async function budget(id: string, scope: string): Promise<BudgetState> {
  return json<BudgetState>(await call(`/v1/budgets/${id}/${encodeURIComponent(scope)}`, { token: ADMIN }));
}

/** A request described by its own figures: enrichment keeps what the caller sent. */
function costing(costUsd: number, estimatedTokens = 100, maxTokens = 100): Record<string, unknown> {
  return { llm: { model: 'gpt-4o', estimatedCost: costUsd, estimatedTokens, maxTokens } };
}

function monthEnd(): number {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
}

function monthEndIso(): string {
  return new Date(monthEnd()).toISOString().replace(/\.000Z$/, 'Z');
}

describe('budget state in conditions', () => {
  it('shows the real remaining budget: spending via reserve + settle flips a rule on budget.team-spend.remaining', async () => {
    const key = await keyFor('team-cond');
    const before = await evaluate(key, costing(0.01), { explain: true });
    expect(before.body.decision).toBe('allow');

    const reserved = await evaluate(key, costing(4.5), { budgets: 'reserve' });
    expect(reserved.body.decision).toBe('allow');
    const settle = await call('/v1/budgets/settle', { token: key.key, body: { reservationIds: reserved.body.reservation.ids, actual: { costUsd: 4.5 } } });
    expect(await json(settle)).toMatchObject({ ok: true });

    const after = await evaluate(key, costing(0.01));
    expect(after.body).toMatchObject({ decision: 'deny', reasons: ['team budget low: 0.5 USD left'] });
    expect(after.body.matchedRules.map((r: { ruleId: string }) => r.ruleId)).toContain('low-on-budget');
  });

  it('replaces a budget the caller sends with the real state, both ways', async () => {
    const fresh = await keyFor('team-spoof-fresh');
    const claimedEmpty = await evaluate(fresh, { ...costing(0.01), budget: { 'team-spend': { remaining: { costUsd: 0 } } } }, { explain: true });
    expect(claimedEmpty.body.decision).toBe('allow');
    expect(JSON.stringify(claimedEmpty.body.trace)).toContain('"actual":5');

    const spent = await keyFor('team-spoof-spent');
    const reserved = await evaluate(spent, costing(4.8), { budgets: 'reserve' });
    expect(reserved.body.reservation.ids.length).toBeGreaterThan(0);
    const claimedFull = await evaluate(spent, { ...costing(0.01), budget: { 'team-spend': { remaining: { costUsd: 100 } } } });
    expect(claimedFull.body).toMatchObject({ decision: 'deny', reasons: ['team budget low: 0.2 USD left'] });
  });
});

describe('budgets: "check" (the default)', () => {
  it('denies an estimate over what is left, naming the budget, with retry-after at the window reset and nothing reserved', async () => {
    const key = await keyFor('team-check-over');
    const { res, body } = await evaluate(key, costing(1.25));
    expect(body.decision).toBe('allow');

    const over = await evaluate(key, costing(6));
    expect(over.res.status).toBe(200);
    expect(over.res.headers.get('x-policy-decision')).toBe('deny');
    expect(over.body).toMatchObject({
      decision: 'deny',
      allowed: false,
      reasons: [`budget team-spend exceeded: $6.00 estimated, $5.00 remaining until ${monthEndIso()}`],
      matchedRules: [{ ruleId: 'allow-all', decision: 'allow' }],
      budget: { code: 'budget_exceeded', budgetId: 'team-spend' },
    });
    expect(over.body.reservation).toBeUndefined();
    const retryAfter = Number(over.res.headers.get('retry-after'));
    expect(retryAfter).toBe(over.body.budget.retryAfterSeconds);
    expect(Math.abs(retryAfter - (monthEnd() - Date.now()) / 1000)).toBeLessThan(60);
    expect(res.headers.get('retry-after')).toBeNull();

    const state = await budget('team-spend', 'team-check-over');
    expect(state.reserved).toEqual({ costUsd: 0, tokens: 0, requests: 0 });
    expect(state.used).toEqual({ costUsd: 0, tokens: 0, requests: 0 });
  });

  it('allows an estimate under what is left, with no budget or reservation in the answer', async () => {
    const key = await keyFor('team-check-under');
    await evaluate(key, costing(3), { budgets: 'reserve' });
    const { res, body } = await evaluate(key, costing(1.99), { budgets: 'check' });
    expect(body).toMatchObject({ decision: 'allow', allowed: true, warnings: [] });
    expect(body.budget).toBeUndefined();
    expect(body.reservation).toBeUndefined();
    expect(res.headers.get('x-policy-decision')).toBe('allow');

    const tooMuch = await evaluate(key, costing(2.01), { budgets: 'check' });
    expect(tooMuch.body.reasons).toEqual([`budget team-spend exceeded: $2.01 estimated, $2.00 remaining until ${monthEndIso()}`]);
  });

  it('warns instead for an onExceed: warn budget', async () => {
    const key = await keyFor('team-check-warn');
    // 19,500 prompt tokens + 1,000 allowed for the answer (no maxTokens) > 20,000.
    const { body } = await evaluate(key, { llm: { model: 'gpt-4o', estimatedCost: 0.01, estimatedTokens: 19_500 } });
    expect(body).toMatchObject({ decision: 'allow', allowed: true });
    expect(body.budget).toBeUndefined();
    expect(body.warnings).toEqual([
      { policyId: '', ruleId: '', message: `budget team-tokens would be exceeded: 20500 tokens estimated, 20000 tokens remaining until ${monthEndIso()} (onExceed: warn)` },
    ]);
  });

  it('does not count requests against rate limits (only reserving does)', async () => {
    const key = await keyFor('team-check-rpm');
    for (let i = 0; i < 3; i++) expect((await evaluate(key, costing(0.01))).body.decision).toBe('allow');
    expect((await budget('user-daily', 'team-check-rpm-user')).used.requests).toBe(0);
  });

  it('leaves a policy deny as it is: the budget step runs only for allowed requests', async () => {
    const key = await keyFor('team-check-deny');
    const { body } = await evaluate(key, { llm: { model: 'forbidden-model', estimatedCost: 99 } }, { budgets: 'reserve' });
    expect(body).toMatchObject({ decision: 'deny', reasons: ['forbidden-model is not allowed'] });
    expect(body.budget).toBeUndefined();
    expect((await budget('team-spend', 'team-check-deny')).reserved.requests).toBe(0);
  });

  it('does nothing when no budget applies (no team or user in the context)', async () => {
    const res = await call('/v1/evaluate', { token: ADMIN, body: { context: costing(99) } });
    expect(await json(res)).toMatchObject({ decision: 'allow', warnings: [] });
  });
});

describe('budgets: "reserve"', () => {
  it('holds the estimate and returns reservation ids that the same key settles', async () => {
    const key = await keyFor('team-reserve');
    const { res, body } = await evaluate(key, costing(1.5, 200, 300), { budgets: 'reserve' });
    expect(res.headers.get('x-policy-decision')).toBe('allow');
    expect(body).toMatchObject({ decision: 'allow', reservation: { expiresInSeconds: 600 } });
    // team-spend, team-tokens and user-daily.
    expect(body.reservation.ids).toHaveLength(3);
    expect(await budget('team-spend', 'team-reserve')).toMatchObject({ reserved: { costUsd: 1.5, tokens: 500, requests: 1 }, used: { costUsd: 0 } });

    const other = await keyFor('team-reserve');
    const stolen = await json(await call('/v1/budgets/settle', { token: other.key, body: { reservationIds: body.reservation.ids, actual: { costUsd: 0 } } }));
    expect(stolen.ok).toBe(false);
    expect(stolen.results[0]).toMatchObject({ ok: false, reason: 'forbidden' });

    const settled = await json(await call('/v1/budgets/settle', { token: key.key, body: { reservationIds: body.reservation.ids, actual: { costUsd: 0.75, tokens: 420 } } }));
    expect(settled.ok).toBe(true);
    expect(await budget('team-spend', 'team-reserve')).toMatchObject({
      used: { costUsd: 0.75, tokens: 420, requests: 1 },
      reserved: { costUsd: 0, tokens: 0, requests: 0 },
      remaining: { costUsd: 4.25 },
    });
    expect((await budget('user-daily', 'team-reserve-user')).used.requests).toBe(1);
  });

  it('reserves the enriched estimate when the caller sends a prompt, even though no condition reads cost or tokens', async () => {
    const key = await keyFor('team-reserve-prompt');
    const llm = { provider: 'openai', model: 'gpt-4o', prompt: 'Summarise the quarterly figures in three bullet points.', maxTokens: 500 };
    const { body } = await evaluate(key, { llm }, { budgets: 'reserve' });
    expect(body.decision).toBe('allow');
    const promptTokens = countPromptTokens(llm, 'gpt-4o');
    const cost = estimateCost({ provider: 'openai', model: 'gpt-4o', inputTokens: promptTokens, outputTokens: 500 })!;
    const state = await budget('team-spend', 'team-reserve-prompt');
    expect(state.reserved.tokens).toBe(promptTokens + 500);
    // Counters keep whole micro-dollars.
    expect(state.reserved.costUsd).toBe(Math.round(cost * 1e6) / 1e6);
  });

  it('refuses an estimate over the budget: deny, budget code and retry-after, nothing held', async () => {
    const key = await keyFor('team-reserve-over');
    const { res, body } = await evaluate(key, costing(6), { budgets: 'reserve' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-policy-decision')).toBe('deny');
    expect(body).toMatchObject({ decision: 'deny', allowed: false, budget: { code: 'budget_exceeded', budgetId: 'team-spend' } });
    expect(body.reasons[0]).toContain('team-spend');
    expect(body.reservation).toBeUndefined();
    expect(Number(res.headers.get('retry-after'))).toBe(body.budget.retryAfterSeconds);
    expect(Math.abs(body.budget.retryAfterSeconds - (monthEnd() - Date.now()) / 1000)).toBeLessThan(60);
    for (const [id, scope] of [['team-spend', 'team-reserve-over'], ['user-daily', 'team-reserve-over-user']]) {
      expect((await budget(id, scope)).reserved.requests).toBe(0);
    }
  });

  it('refuses the request past a rate limit with rate_limited', async () => {
    const key = await keyFor('team-reserve-rpm');
    expect((await evaluate(key, costing(0.01), { budgets: 'reserve' })).body.decision).toBe('allow');
    expect((await evaluate(key, costing(0.01), { budgets: 'reserve' })).body.decision).toBe('allow');
    const { res, body } = await evaluate(key, costing(0.01), { budgets: 'reserve' });
    expect(body).toMatchObject({ decision: 'deny', budget: { code: 'rate_limited', budgetId: 'user-daily' } });
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBe(body.budget.retryAfterSeconds);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
  });

  it('reserves each context of a batch on its own, up to the budget', async () => {
    const key = await keyFor('team-batch', { user: false });
    const contexts = [costing(2), costing(2), costing(2)].map((c, i) => ({ ...c, user: { id: `batch-user-${i}` } }));
    const res = await call('/v1/evaluate/batch', { token: key.key, body: { contexts, budgets: 'reserve' } });
    expect(res.status).toBe(200);
    const { decisions } = await json(res);
    const granted = decisions.filter((d: { reservation?: unknown }) => d.reservation);
    const refused = decisions.filter((d: { budget?: unknown }) => d.budget);
    // $5 holds two $2 requests; which of the three (run at once) is refused is not fixed.
    expect(granted).toHaveLength(2);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ decision: 'deny', budget: { code: 'budget_exceeded', budgetId: 'team-spend' } });
    expect(new Set(granted.flatMap((d: { reservation: { ids: string[] } }) => d.reservation.ids)).size).toBe(6);
    expect(res.headers.get('x-policy-decision')).toBe('deny');
    expect((await budget('team-spend', 'team-batch')).reserved).toMatchObject({ costUsd: 4, requests: 2 });
  });
});

describe('the budgets field', () => {
  it('is refused with 400 naming it when it is not "check" or "reserve"', async () => {
    const key = await keyFor('team-bad-field');
    const single = await call('/v1/evaluate', { token: key.key, body: { context: {}, budgets: 'hold' } });
    expect(single.status).toBe(400);
    expect((await json(single)).error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/^budgets: /) });
    const batch = await call('/v1/evaluate/batch', { token: key.key, body: { contexts: [{}], budgets: true } });
    expect(batch.status).toBe(400);
    expect((await json(batch)).error.message).toMatch(/^budgets: /);
  });
});
