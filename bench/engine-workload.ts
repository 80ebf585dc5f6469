// The engine benchmark's workload (issue 2): one policy with 5 global deny rules plus N tenant rules
// `team.id == team-i and llm.model not in ALLOWED_i`, seeded contexts, and the same policy set
// hand-written as plain JavaScript, the reference every figure is a ratio against.

import type { Bundle, Decision, MatchedRule, Policy } from '../src/policy/types';

export const MODELS = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'o3-mini', 'claude-3-5-sonnet', 'claude-3-5-haiku', 'claude-opus-4', 'gemini-1.5-pro'];
const PREMIUM = ['gpt-4.1', 'claude-opus-4', 'o3-mini'];
const PROVIDERS = ['openai', 'anthropic', 'google'];

/** Mulberry32: a tiny seeded PRNG, so every run sees the same contexts. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function allowedModels(i: number): string[] {
  return [MODELS[i % MODELS.length], MODELS[(i * 7 + 3) % MODELS.length]];
}

export function workloadPolicy(n: number): Policy {
  const tenants = Array.from({ length: n }, (_, i) => ({
    id: `tenant-${i}`,
    condition: { operator: 'and' as const, conditions: [
      { operator: 'eq' as const, field: 'team.id', value: `team-${i}` },
      { operator: 'not_in' as const, field: 'llm.model', value: allowedModels(i) },
    ] },
    action: { decision: 'deny' as const, reason: `team-${i} may only use ${allowedModels(i).join(', ')}` },
  }));
  return {
    metadata: { id: 'workload' },
    rules: [
      { id: 'free-cost-limit', condition: { operator: 'and', conditions: [
        { operator: 'eq', field: 'team.tier', value: 'free' },
        { operator: 'gt', field: 'llm.estimatedCost', value: 1 },
      ] }, action: { decision: 'deny', reason: 'Cost exceeds the free tier limit ($1.00)' } },
      { id: 'premium-models-low-tiers', condition: { operator: 'and', conditions: [
        { operator: 'in', field: 'llm.model', value: PREMIUM },
        { operator: 'in', field: 'team.tier', value: ['free', 'basic'] },
      ] }, action: { decision: 'deny', reason: 'Premium models need the pro tier or above' } },
      { id: 'no-pii-in-production', condition: { operator: 'and', conditions: [
        { operator: 'eq', field: 'llm.containsPII', value: true },
        { operator: 'eq', field: 'project.environment', value: 'production' },
        { operator: 'not_contains', field: 'user.roles', value: 'pii-approved' },
      ] }, action: { decision: 'deny', reason: 'Personal data may not be sent to production models' } },
      { id: 'long-outputs-below-enterprise', condition: { operator: 'and', conditions: [
        { operator: 'gt', field: 'llm.maxTokens', value: 4000 },
        { operator: 'ne', field: 'team.tier', value: 'enterprise' },
      ] }, action: { decision: 'deny', reason: 'Outputs over 4000 tokens need the enterprise tier' } },
      { id: 'unknown-provider', condition: { operator: 'not_in', field: 'llm.provider', value: PROVIDERS },
        action: { decision: 'deny', reason: 'Unknown provider' } },
      ...tenants,
    ],
  };
}

export function workloadContexts(count: number, n: number, seed = 42): object[] {
  const random = rng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  return Array.from({ length: count }, () => {
    const ctx: Record<string, unknown> = {
      llm: {
        provider: random() < 0.97 ? pick(PROVIDERS) : 'acme-llm',
        model: pick(MODELS),
        estimatedCost: Math.round(random() * 200) / 100,
        maxTokens: pick([256, 1000, 2000, 4000, 8000]),
        containsPII: random() < 0.1,
      },
      team: { id: random() < 0.9 ? `team-${Math.floor(random() * n)}` : 'team-unknown', tier: pick(['free', 'basic', 'pro', 'enterprise']) },
      user: { id: `user-${Math.floor(random() * 1000)}`, roles: random() < 0.2 ? ['developer', 'pii-approved'] : ['developer'] },
      project: { id: 'p1', environment: pick(['production', 'staging', 'dev']) },
    };
    return ctx;
  });
}

/**
 * The same policy set as a developer would hand-write it, producing the same Decision object
 * (frozen rule entries, reasons, bundle reference, timing), so the comparison is like for like.
 */
export function handWritten(n: number, bundle: Bundle): (ctx: any) => Decision {
  const entry = (ruleId: string): MatchedRule => Object.freeze({ policyId: 'workload', ruleId, decision: 'deny', priority: 0 });
  const globals = ['free-cost-limit', 'premium-models-low-tiers', 'no-pii-in-production', 'long-outputs-below-enterprise', 'unknown-provider'].map(entry);
  const reasonsOf = new Map<MatchedRule, string>();
  const policy = workloadPolicy(0);
  globals.forEach((g, i) => reasonsOf.set(g, policy.rules[i].action.reason!));
  const tenants = new Map<string, { allowed: Set<string>; entry: MatchedRule }>();
  for (let i = 0; i < n; i++) {
    const t = { allowed: new Set(allowedModels(i)), entry: entry(`tenant-${i}`) };
    reasonsOf.set(t.entry, `team-${i} may only use ${allowedModels(i).join(', ')}`);
    tenants.set(`team-${i}`, t);
  }
  const premium = new Set(PREMIUM);
  const providers = new Set(PROVIDERS);
  const ref = Object.freeze({ version: bundle.version, hash: bundle.hash });
  return (ctx) => {
    const started = performance.now();
    const llm = ctx.llm ?? {};
    const team = ctx.team ?? {};
    const matched: MatchedRule[] = [];
    if (team.tier === 'free' && typeof llm.estimatedCost === 'number' && llm.estimatedCost > 1) matched.push(globals[0]);
    if (premium.has(llm.model) && (team.tier === 'free' || team.tier === 'basic')) matched.push(globals[1]);
    if (llm.containsPII === true && ctx.project?.environment === 'production' && !(Array.isArray(ctx.user?.roles) && ctx.user.roles.includes('pii-approved'))) matched.push(globals[2]);
    if (typeof llm.maxTokens === 'number' && llm.maxTokens > 4000 && team.tier !== 'enterprise') matched.push(globals[3]);
    if (!providers.has(llm.provider)) matched.push(globals[4]);
    const tenant = tenants.get(team.id);
    if (tenant && !tenant.allowed.has(llm.model)) matched.push(tenant.entry);
    const denied = matched.length > 0;
    const decision: Decision = {
      decision: denied ? 'deny' : 'allow',
      allowed: !denied,
      reasons: denied ? matched.map((m) => reasonsOf.get(m)!) : ['no rule matched: default allow'],
      matchedRules: matched,
      warnings: [],
      obligations: [],
      bundle: ref,
      evaluationMicros: 0,
    };
    decision.evaluationMicros = Math.round((performance.now() - started) * 1000) / 1000;
    return decision;
  };
}

/** What the lean reference returns: the decision and the ids of the matched deny rules, nothing more. */
export interface LeanDecision { decision: 'allow' | 'deny'; denyIds: string[] }

/**
 * The reference an outside harness uses (issue 10): the same policy set hand-written to return only
 * `{decision, denyIds}`: no Decision object, no reasons, no clock. The floor a JS evaluator can reach.
 */
export function leanHandWritten(n: number): (ctx: any) => LeanDecision {
  const tenants = new Map<string, { allowed: Set<string>; id: string }>();
  for (let i = 0; i < n; i++) tenants.set(`team-${i}`, { allowed: new Set(allowedModels(i)), id: `tenant-${i}` });
  const premium = new Set(PREMIUM);
  const providers = new Set(PROVIDERS);
  return (ctx) => {
    const llm = ctx.llm ?? {};
    const team = ctx.team ?? {};
    const denyIds: string[] = [];
    if (team.tier === 'free' && typeof llm.estimatedCost === 'number' && llm.estimatedCost > 1) denyIds.push('free-cost-limit');
    if (premium.has(llm.model) && (team.tier === 'free' || team.tier === 'basic')) denyIds.push('premium-models-low-tiers');
    if (llm.containsPII === true && ctx.project?.environment === 'production' && !(Array.isArray(ctx.user?.roles) && ctx.user.roles.includes('pii-approved'))) denyIds.push('no-pii-in-production');
    if (typeof llm.maxTokens === 'number' && llm.maxTokens > 4000 && team.tier !== 'enterprise') denyIds.push('long-outputs-below-enterprise');
    if (!providers.has(llm.provider)) denyIds.push('unknown-provider');
    const tenant = tenants.get(team.id);
    if (tenant && !tenant.allowed.has(llm.model)) denyIds.push(tenant.id);
    return { decision: denyIds.length > 0 ? 'deny' : 'allow', denyIds };
  };
}
