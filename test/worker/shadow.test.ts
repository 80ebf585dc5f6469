// Shadow mode at the edge (spec §10): a shadow rule never changes what /v1/evaluate answers, the
// decision record keeps what it would have done, and the VersionStats counters say how often it
// would have fired and on whom (bounded), for `llm-policy status` and GET /v1/rollout.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../../src/durable/decision-types';
import type { VersionStatsEnv } from '../../src/durable/env';
import { addShadowStats, shadowStatsOf } from '../../src/durable/version-stats-client';
import { SHADOW_SUBJECTS } from '../../src/durable/version-stats-shadow';
import { call, fetchWithEnv, json } from './support/http';
import { ADMIN, publish } from './support/publish';

const VERSION = '7.0.0';
const POLICIES = `
metadata: { id: access }
rules:
  - id: no-forbidden-model
    condition: { operator: eq, field: llm.model, value: forbidden-model }
    action: { decision: deny, reason: "{{llm.model}} is not allowed" }
---
metadata: { id: trial, mode: shadow }
rules:
  - id: free-no-gpt-4o
    condition:
      operator: and
      conditions:
        - { operator: eq, field: team.tier, value: free }
        - { operator: eq, field: llm.model, value: gpt-4o }
    action: { decision: deny, reason: "free teams may not use gpt-4o" }
`;
const statsEnv = env as unknown as VersionStatsEnv;
const RULE = 'trial/free-no-gpt-4o';
const keys: Record<string, string> = {};

beforeAll(async () => {
  await publish(POLICIES, VERSION);
  const subjects = { a1: ['team-a', 'user-1', 'free'], a2: ['team-a', 'user-2', 'free'], b3: ['team-b', 'user-3', 'free'], p4: ['team-p', 'user-4', 'pro'] };
  for (const [name, [team, user, tier]] of Object.entries(subjects)) {
    const res = await call('/v1/keys', { token: ADMIN, body: { subject: { team: { id: team, tier }, user: { id: user } } } });
    keys[name] = (await json(res)).key;
  }
});

/** POST /v1/evaluate through the worker's fetch, returning once its waitUntil work (the records) is done. */
async function evaluate(key: string, model: string, requestId: string, overrides: Record<string, string> = {}) {
  const req = new Request('https://policy.example.com/v1/evaluate', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ context: { llm: { model } } }),
  });
  const res = await fetchWithEnv(req, overrides);
  return { res, decision: await json(res) };
}

describe('shadow rules at the edge', () => {
  it('never change the answer; the Decision lists what they would have done', async () => {
    const hit = await evaluate(keys.a1, 'gpt-4o', 'sh-answer-1');
    expect(hit.res.status).toBe(200);
    expect(hit.res.headers.get('x-policy-decision')).toBe('allow');
    expect(hit.decision).toMatchObject({ decision: 'allow', matchedRules: [], warnings: [], shadow: [{ policyId: 'trial', ruleId: 'free-no-gpt-4o', decision: 'deny' }] });
    const miss = await evaluate(keys.p4, 'gpt-4o', 'sh-answer-2');
    expect(miss.decision).toMatchObject({ decision: 'allow', shadow: [] });
    const denied = await evaluate(keys.a1, 'forbidden-model', 'sh-answer-3');
    expect(denied.decision).toMatchObject({ decision: 'deny', reasons: ['forbidden-model is not allowed'], shadow: [] });
  });

  it('are kept in the decision record, and rule= finds the records they would have matched', async () => {
    await evaluate(keys.b3, 'gpt-4o', 'sh-record-1');
    await evaluate(keys.b3, 'gpt-4o-mini', 'sh-record-2');
    const res = await call(`/v1/decisions?team=team-b&rule=${encodeURIComponent(RULE)}`, { token: ADMIN });
    const { records } = await json<{ records: DecisionRecord[] }>(res);
    expect(records.map((r) => r.requestId)).toEqual(['sh-record-1']);
    expect(records[0]).toMatchObject({ decision: 'allow', decidingRules: [], shadow: [{ policyId: 'trial', ruleId: 'free-no-gpt-4o', decision: 'deny' }] });
  });

  it('are counted per version: decisions, hits, rate, and the teams and users hit', async () => {
    const before = await shadowStatsOf(statsEnv, VERSION);
    const hitsOf = (s: typeof before, kind: 'teams' | 'users', id: string) => s.rules.find((r) => r.rule === RULE)?.[kind].find((x) => x.id === id)?.hits ?? 0;
    await evaluate(keys.a1, 'gpt-4o', 'sh-count-1');
    await evaluate(keys.a2, 'gpt-4o', 'sh-count-2');
    await evaluate(keys.b3, 'gpt-4o', 'sh-count-3');
    await evaluate(keys.p4, 'gpt-4o', 'sh-count-4');
    const after = await shadowStatsOf(statsEnv, VERSION);
    const rule = after.rules.find((r) => r.rule === RULE)!;
    expect(after.decisions - before.decisions).toBe(4);
    expect(rule.decision).toBe('deny');
    expect(rule.hits - (before.rules.find((r) => r.rule === RULE)?.hits ?? 0)).toBe(3);
    expect(rule.rate).toBeCloseTo(rule.hits / after.decisions, 4);
    expect([hitsOf(after, 'teams', 'team-a') - hitsOf(before, 'teams', 'team-a'), hitsOf(after, 'teams', 'team-b') - hitsOf(before, 'teams', 'team-b')]).toEqual([2, 1]);
    expect(hitsOf(after, 'teams', 'team-p')).toBe(0);
    expect(hitsOf(after, 'users', 'user-2') - hitsOf(before, 'users', 'user-2')).toBe(1);
  });

  it('name users as the decision log does: masked by MASK_FIELDS', async () => {
    await evaluate(keys.a1, 'gpt-4o', 'sh-mask-1', { MASK_FIELDS: 'user.id' });
    const rule = (await shadowStatsOf(statsEnv, VERSION)).rules.find((r) => r.rule === RULE)!;
    expect(rule.users.find((u) => u.id === '***')?.hits).toBe(1);
  });

  it('are shown by GET /v1/rollout for the versions served', async () => {
    await evaluate(keys.a1, 'gpt-4o', 'sh-view-1');
    const view = await json(await call('/v1/rollout', { token: ADMIN }));
    expect(view.stable).toBe(VERSION);
    const served = view.shadow.find((s: { version: string }) => s.version === VERSION);
    expect(served.decisions).toBeGreaterThan(0);
    expect(served.rules[0]).toMatchObject({ rule: RULE, decision: 'deny' });
    expect(served.rules[0].teams.map((t: { id: string }) => t.id)).toContain('team-a');
  });

  it(`name at most ${SHADOW_SUBJECTS} users per rule and count the rest as others`, async () => {
    const version = '7.9.0';
    const users = Object.fromEntries(Array.from({ length: SHADOW_SUBJECTS + 5 }, (_, i) => [`u-${String(i).padStart(2, '0')}`, 1]));
    const delta = (u: Record<string, number>) => ({ decisions: Object.keys(u).length, firstMs: 1, lastMs: 2, rules: [{ rule: 'p/r', decision: 'warn', hits: Object.keys(u).length, teams: {}, users: u }] });
    await addShadowStats(statsEnv, version, 0, delta(users));
    // A user already named keeps counting; a new one goes to the others.
    await addShadowStats(statsEnv, version, 0, delta({ 'u-00': 1, 'u-new': 1 }));
    const [rule] = (await shadowStatsOf(statsEnv, version)).rules;
    expect(rule.users).toHaveLength(SHADOW_SUBJECTS);
    expect(rule.users[0]).toEqual({ id: 'u-00', hits: 2 });
    expect(rule.otherUserHits).toBe(6);
    expect(rule.hits).toBe(SHADOW_SUBJECTS + 7);
  });

  it('refuses a malformed delta', async () => {
    await expect(addShadowStats(statsEnv, '7.9.1', 0, { decisions: 1, firstMs: 1, lastMs: 1, rules: [{ rule: 'p/r', decision: 'explode', hits: 1, teams: {}, users: {} }] }))
      .rejects.toThrow(/shadow delta decision must be one of/);
  });
});
