// Synthetic contexts: the same seed gives the same contexts; the fields and proportions look like
// gateway traffic, so the shipped policies have something to match.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBundle, loadBundle } from '../../src/engine/index';
import { loadPolicySources } from '../../src/node/policy-set';
import { seededRandom } from '../../src/simulate/random';
import { syntheticContexts } from '../../src/simulate/synthetic';
import { PII_SAMPLES } from '../../src/simulate/population';

type Ctx = {
  llm: { provider: string; model: string; estimatedCost: number; estimatedTokens: number; containsPII: boolean; piiTypes: string[]; injectionScore: number; prompt?: string; messages?: Array<{ content: string }> };
  user: { id: string; roles: string[] };
  team: { id: string; tier: string };
  project: { environment: string };
  metadata: { riskScore: number; metrics: { errorRate: number } };
  time: { hour: number; weekday: number; iso: string };
};

const contexts = syntheticContexts(3000, 'spec') as unknown as Ctx[];

describe('syntheticContexts', () => {
  it('is deterministic for a seed, and differs between seeds', () => {
    expect(syntheticContexts(50, 'spec')).toEqual(contexts.slice(0, 50));
    expect(syntheticContexts(50, 7)).toEqual(syntheticContexts(50, '7'));
    expect(syntheticContexts(50, 8)).not.toEqual(syntheticContexts(50, 7));
  });

  it('fills the spec §7 fields with consistent values', () => {
    for (const c of contexts) {
      expect(typeof c.llm.provider).toBe('string');
      expect(c.llm.estimatedCost).toBeGreaterThan(0);
      expect(c.llm.containsPII).toBe(c.llm.piiTypes.length > 0);
      const text = c.llm.prompt ?? c.llm.messages!.at(-1)!.content;
      for (const type of c.llm.piiTypes) expect(text).toContain(PII_SAMPLES[type]);
      expect(c.llm.injectionScore).toBeGreaterThanOrEqual(0);
      expect(c.llm.injectionScore).toBeLessThanOrEqual(1);
      expect(new Date(c.time.iso).getUTCHours()).toBe(c.time.hour);
      expect(new Date(c.time.iso).getUTCDay()).toBe(c.time.weekday);
    }
  });

  it('covers the values policies test, in plausible proportions', () => {
    const share = (pick: (c: Ctx) => boolean) => contexts.filter(pick).length / contexts.length;
    expect(new Set(contexts.map((c) => c.llm.provider))).toEqual(new Set(['openai', 'anthropic', 'google']));
    expect(new Set(contexts.map((c) => c.team.tier))).toEqual(new Set(['free', 'pro', 'enterprise']));
    expect(new Set(contexts.map((c) => c.project.environment))).toEqual(new Set(['production', 'staging', 'dev']));
    // Expensive requests are rare but present, on free teams too (the seed README's rule).
    expect(share((c) => c.llm.estimatedCost > 1 && c.team.tier === 'free')).toBeGreaterThan(0.002);
    expect(share((c) => c.llm.estimatedCost > 1)).toBeLessThan(0.1);
    expect(share((c) => c.llm.estimatedCost > 25)).toBeGreaterThan(0);
    expect(share((c) => c.llm.containsPII)).toBeGreaterThan(0.03);
    expect(share((c) => c.llm.containsPII)).toBeLessThan(0.2);
    expect(share((c) => c.llm.injectionScore > 0.5)).toBeGreaterThan(0.01);
    expect(share((c) => c.user.roles.includes('vip'))).toBeGreaterThan(0);
    expect(share((c) => c.metadata.riskScore >= 85)).toBeGreaterThan(0);
    expect(share((c) => c.metadata.metrics.errorRate > 0.003)).toBeGreaterThan(0);
    expect(share((c) => c.time.weekday === 0 || c.time.weekday === 6)).toBeGreaterThan(0);
  });
});

describe('seededRandom', () => {
  it('stays in range and repeats for a seed', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    for (let i = 0; i < 1000; i++) {
      const x = a.next();
      expect(x).toBe(b.next());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    const r = seededRandom('dice');
    const rolls = new Set(Array.from({ length: 500 }, () => r.int(1, 6)));
    expect(rolls).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });
});

describe('synthetic models against the shipped allowlist', () => {
  it('mostly asks for approved models, under the ids clients send', async () => {
    const set = await loadPolicySources([join(import.meta.dirname, '..', '..', 'policies', 'model-allowlist.yaml')]);
    const evaluator = await loadBundle(await compileBundle(set.policies, { version: '1.0.0' }));
    const unapproved = contexts.filter((c) => evaluator.evaluate(c).matchedRules.some((r) => r.ruleId === 'deny-unapproved-model'));
    expect(unapproved.length / contexts.length).toBeGreaterThan(0);
    expect(unapproved.length / contexts.length).toBeLessThan(0.15);
    expect(new Set(contexts.map((c) => c.llm.model))).toContain('claude-3-5-haiku-20241022');
  });
});
