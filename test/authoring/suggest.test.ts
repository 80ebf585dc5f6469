// suggest(): each finder on both sides of its threshold, over recorded decisions built for it;
// every ready policy is valid, lint-clean, and passes its own tests.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { suggest, type Suggestion } from '../../src/authoring/suggest/index';
import { lint } from '../../src/lint/index';
import { parsePolicies } from '../../src/policy/parse';
import { validatePolicy } from '../../src/policy/schema';
import { runPolicyTests } from '../../src/testing/index';
import { record, times } from './suggest-fixture';

const dir = mkdtempSync(join(tmpdir(), 'suggest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const byMetric = (list: Suggestion[], metric: string) => list.filter((s) => s.metric === metric);

/** The promise every suggestion makes: a valid, lint-clean policy whose own tests pass. */
async function expectReady(s: Suggestion): Promise<void> {
  expect(validatePolicy(s.policy)).toEqual([]);
  expect(lint([s.policy]).filter((f) => f.severity !== 'info')).toEqual([]);
  const at = join(dir, s.id.replace(/[^a-z0-9]+/gi, '-'));
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, 'policy.json'), JSON.stringify(s.policy));
  writeFileSync(join(at, 'policy.test.json'), JSON.stringify({ tests: s.tests }));
  const run = await runPolicyTests(at);
  expect(run.results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.message}`)).toEqual([]);
  expect(run.results.length).toBeGreaterThanOrEqual(1);
}

describe('suggest: teams near or over budget', () => {
  const snapshot = (team: string, used: number, at = 0) => record({ team, at, budget: { 'team-spend': { used, remaining: 100 - used } } });

  it('finds a team at 80% of a budget and one refused by it, not one at 79%', async () => {
    const records = [snapshot('team-near', 10, 1), snapshot('team-near', 80, 2), snapshot('team-ok', 79), record({ team: 'team-refused', model: 'gpt-4o', decision: 'budget_exceeded', tags: { budget: 'team-spend' } })];
    const found = byMetric(suggest({ records }), 'budget_utilization');
    expect(found.map((s) => [s.evidence.team, s.priority, s.category])).toEqual([['team-refused', 'high', 'risk'], ['team-near', 'medium', 'optimization']]);
    expect(found[1].evidence).toMatchObject({ utilization: 0.8, used: 80, limit: 100, amount: 'costUsd', refusals: 0 });
    // The refused team used gpt-4o: its ready policy routes that to the cheaper model.
    expect(found[0].policy.rules[0].action.obligations).toEqual([{ type: 'route_model', model: 'gpt-4o-mini' }]);
    for (const s of found) await expectReady(s);
  });

  it('the latest state counts: a team back under the line is not near', () => {
    const records = [snapshot('team-was', 95, 1), snapshot('team-was', 20, 2)];
    expect(byMetric(suggest({ records }), 'budget_utilization')).toEqual([]);
  });

  it('with the policy set, only budgets scoped by team count', () => {
    const policies = parsePolicies('metadata: { id: b }\nrules:\n  - { id: r, condition: false, action: { decision: warn, reason: never at all } }\nbudgets:\n  - { id: team-spend, scope: user.id, window: month, limit: { costUsd: 100 } }\n');
    expect(byMetric(suggest({ records: [snapshot('team-near', 90)], policies }), 'budget_utilization')).toEqual([]);
  });
});

describe('suggest: expensive models for short prompts', () => {
  it('finds 20 short prompts that are half or more of a model, not 19, nor a share under half', async () => {
    const records = [
      ...times(20, { model: 'gpt-4o', tokens: 299 }), ...times(10, { model: 'gpt-4o', tokens: 300 }),
      ...times(19, { model: 'claude-3-opus-20240229', tokens: 50 }),
      ...times(20, { model: 'gemini-1.5-pro', tokens: 50 }), ...times(21, { model: 'gemini-1.5-pro', tokens: 5000 }),
      ...times(40, { model: 'gpt-4o-mini', tokens: 10 }),
    ];
    const found = byMetric(suggest({ records }), 'short_prompts_on_expensive_model');
    expect(found.map((s) => s.evidence.model)).toEqual(['gpt-4o']);
    expect(found[0]).toMatchObject({ category: 'optimization', priority: 'medium', evidence: { requests: 30, shortRequests: 20, cheaperModel: 'gpt-4o-mini' } });
    await expectReady(found[0]);
  });
});

describe('suggest: PII reaching production', () => {
  it('finds one allowed production request with PII', async () => {
    const found = byMetric(suggest({ records: [record({ pii: ['email', 'phone'], environment: 'production' })] }), 'pii_reaching_production');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ priority: 'high', evidence: { requests: 1 } });
    expect(found[0].policy.rules[0].action.obligations).toEqual([{ type: 'redact_pii', types: ['email', 'phone'] }]);
    await expectReady(found[0]);
  });

  it('not PII that was denied, PII outside production, nor production without PII', () => {
    const records = [
      record({ pii: ['email'], environment: 'production', decision: 'deny', decidingRules: ['pii/deny'] }),
      record({ pii: ['email'], environment: 'staging' }),
      record({ pii: [], environment: 'production' }),
    ];
    expect(byMetric(suggest({ records }), 'pii_reaching_production')).toEqual([]);
  });
});

const RULES = parsePolicies(`metadata: { id: models }
rules:
  - id: no-gpt-4
    condition: { operator: eq, field: llm.model, value: gpt-4 }
    action: { decision: deny, reason: gpt-4 is retired here }
  - id: no-o1
    condition: { operator: eq, field: llm.model, value: o1 }
    action: { decision: deny, reason: o1 is retired here }
`);

describe('suggest: dead rules', () => {
  const traffic = (count: number) => times(count, (i) => ({ model: i === 0 ? 'gpt-4' : 'gpt-4o-mini' }));

  it('finds a rule none of 100 recorded requests matched, not one that matched', async () => {
    const found = byMetric(suggest({ records: traffic(100), policies: RULES }), 'rule_hits');
    expect(found.map((s) => s.evidence.rule)).toEqual(['models/no-o1']);
    expect(found[0]).toMatchObject({ category: 'coverage', evidence: { hits: 0, replayed: 100, lostFields: [] } });
    expect(found[0].policy.rules.find((r) => r.id === 'no-o1')?.enabled).toBe(false);
    await expectReady(found[0]);
  });

  it('needs 100 records, and the policy set', () => {
    expect(byMetric(suggest({ records: traffic(99), policies: RULES }), 'rule_hits')).toEqual([]);
    expect(byMetric(suggest({ records: traffic(100) }), 'rule_hits')).toEqual([]);
  });
});

describe('suggest: rules denying a large share of one team', () => {
  it('finds a rule denying half of a team of 20, not 9 of 20, nor all of a team of 19', async () => {
    const denied = { decision: 'deny', decidingRules: ['models/no-gpt-4'], model: 'gpt-4' };
    const records = [
      ...times(10, { team: 'team-s', ...denied }), ...times(10, { team: 'team-s' }),
      ...times(9, { team: 'team-t', ...denied }), ...times(11, { team: 'team-t' }),
      ...times(19, { team: 'team-u', ...denied }),
    ];
    const found = byMetric(suggest({ records, policies: RULES }), 'team_deny_share');
    expect(found.map((s) => s.evidence.team)).toEqual(['team-s']);
    expect(found[0]).toMatchObject({ evidence: { rule: 'models/no-gpt-4', denied: 10, requests: 20, share: 0.5 }, policy: { metadata: { mode: 'shadow' } } });
    // The exception narrows the rule's own condition to the team, one priority above it.
    expect(found[0].policy.rules[0]).toMatchObject({ priority: 1, condition: { operator: 'and', conditions: [{ field: 'team.id', value: 'team-s' }, { field: 'llm.model', value: 'gpt-4' }] } });
    await expectReady(found[0]);
  });
});

describe('suggest: injection scores just under the threshold', () => {
  const scores = (near: number, below: number, threshold = 0.8) => [
    ...times(near, (i) => ({ injection: threshold - 0.1 + (i % 10) / 100, user: `u${i % 3}` })),
    ...times(below, { injection: threshold - 0.15 }),
  ];

  it('finds 10 in the band under 0.8 against 5 below it, not against 6', async () => {
    const found = byMetric(suggest({ records: scores(10, 5) }), 'injection_score_near_threshold');
    expect(found).toHaveLength(1);
    expect(found[0].evidence).toMatchObject({ threshold: 0.8, band: [0.7, 0.8], nearThreshold: 10, bandBelow: 5 });
    await expectReady(found[0]);
    expect(byMetric(suggest({ records: scores(10, 6) }), 'injection_score_near_threshold')).toEqual([]);
    expect(byMetric(suggest({ records: scores(9, 0) }), 'injection_score_near_threshold')).toEqual([]);
  });

  it("takes the threshold from the policy set's injection deny", () => {
    const policies = parsePolicies('metadata: { id: inj }\nrules:\n  - { id: block, condition: { operator: gt, field: llm.injectionScore, value: 0.9 }, action: { decision: deny, reason: injection blocked here } }\n');
    const found = byMetric(suggest({ records: scores(10, 0, 0.9), policies }), 'injection_score_near_threshold');
    expect(found[0].evidence).toMatchObject({ threshold: 0.9, band: [0.8, 0.9] });
  });
});

describe('suggest: bursty users without a rate limit', () => {
  const burst = (user: string, count: number) => times(count, (i) => ({ user, at: 600 + (i % 50) }));

  it('finds a user with 30 requests in one minute, not one with 29', async () => {
    const found = byMetric(suggest({ records: [...burst('user-b', 30), ...burst('user-c', 29)] }), 'requests_per_minute_per_user');
    expect(found).toHaveLength(1);
    expect(found[0].evidence).toMatchObject({ burstyUsers: 1, users: [{ id: 'user-b', peakPerMinute: 30 }] });
    expect(found[0].policy.rateLimits).toEqual([{ id: 'user-requests-per-minute', scope: 'user.id', window: 'minute', limit: { requests: 29 } }]);
    await expectReady(found[0]);
  });

  it('not when the policy set limits requests per user, nor for a user already rate limited', () => {
    const policies = parsePolicies('metadata: { id: rl }\nrules:\n  - { id: r, condition: false, action: { decision: warn, reason: never at all } }\nrateLimits:\n  - { id: rpm, scope: user.id, window: minute, limit: { requests: 60 } }\n');
    expect(byMetric(suggest({ records: burst('user-b', 40), policies }), 'requests_per_minute_per_user')).toEqual([]);
    const limited = [...burst('user-b', 40), record({ user: 'user-b', decision: 'rate_limited' })];
    expect(byMetric(suggest({ records: limited }), 'requests_per_minute_per_user')).toEqual([]);
  });
});

describe('suggest: the list', () => {
  it('is the same for the same records, most urgent first, in the interfaces.md shape', () => {
    const records = [record({ pii: ['email'], environment: 'production' }), ...times(20, { model: 'gpt-4o', tokens: 10 })];
    const a = suggest({ records });
    expect(suggest({ records })).toEqual(a);
    expect(a.map((s) => s.metric)).toEqual(['pii_reaching_production', 'short_prompts_on_expensive_model']);
    for (const s of a) {
      expect(Object.keys(s).sort()).toEqual(['category', 'confidence', 'effort', 'evidence', 'id', 'impact', 'metric', 'policy', 'priority', 'recommendation', 'tests']);
      expect(s.confidence).toBeGreaterThan(0.5);
      expect(s.confidence).toBeLessThanOrEqual(0.95);
    }
  });
});
