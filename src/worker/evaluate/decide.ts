// One decision: pick the bundle (canary or stable) for the request's tenant, enrich the context
// with what that bundle can observe (token counts, cost, PII, injection, time: computed by the
// edge, what the caller sent for them kept under `claimed`), ask injection stage two about an
// uncertain score when it is configured, show budget state to conditions that read it, and
// evaluate; with no verified bundle at all, fail closed (deny) unless FAIL_OPEN=true.
import type { BudgetSnapshotEntry } from '../../durable/budgets-client';
import type { BudgetsEnv } from '../../durable/env';
import { setAsideClaims } from '../../enrich/claims';
import { enrich } from '../../enrich/index';
import type { Decision, Evaluator } from '../../policy/types';
import { tenantKey, usesCanary } from '../bundle/canary';
import type { ActiveBundles } from '../bundle/loader';
import { factsOf, limitsFor } from '../proxy/bundle-facts';
import { cachedBudgetSnapshot } from './budget-cache';
import { enrichmentFor } from './enrich-plan';
import { evaluationView, withStageTwo, type StageTwoEnv } from './injection-stage-two';
import { NO_LIMITS, type Limits } from './limits';

export type BundleRole = 'stable' | 'canary' | 'none';

export interface DecideOptions {
  explain?: boolean;
  requestId: string;
  /** Client key id: the tenant key when the context names no team or user. */
  keyId?: string;
  failOpen: boolean;
  /** Where budget state is read from, for conditions on `budget.<id>.…`; and stage two's settings. */
  env: BudgetsEnv & StageTwoEnv;
}

export interface Outcome {
  decision: Decision;
  role: BundleRole;
  /** The context as evaluated: enriched, with the budget state the conditions saw. */
  context: Record<string, unknown>;
  /** Budgets and rate limits of the serving bundle that apply to the request's namespace. */
  limits: Limits;
  /** Budget state read for the conditions, by budget id (absent when no condition reads any). */
  snapshot?: Record<string, BudgetSnapshotEntry>;
}

export interface ChosenBundle {
  evaluator: Evaluator;
  role: 'stable' | 'canary';
}

export const NO_POLICY_REASON = 'no verified policy bundle';
export const NO_BUNDLE = { version: 'none', hash: '' };

/** The bundle serving this request: the canary for tenants in its buckets, else the stable. */
export function chooseBundle(active: ActiveBundles | undefined, context: Record<string, unknown>, keyId: string | undefined): ChosenBundle | undefined {
  if (!active) return undefined;
  if (active.canary && usesCanary(tenantKey(context, keyId), active.pointer.canaryPercent)) return { evaluator: active.canary.evaluator, role: 'canary' };
  return { evaluator: active.stable.evaluator, role: 'stable' };
}

export async function decide(active: ActiveBundles | undefined, context: Record<string, unknown>, opts: DecideOptions): Promise<Outcome> {
  // Budget state is the edge's to say: whatever `budget` the caller sent is dropped. Fields derived
  // from the prompt, and the clock, are computed here too (the caller's go to `claimed`).
  const { budget: _sent, ...sent } = context;
  const base = setAsideClaims(sent);
  const chosen = chooseBundle(active, base, opts.keyId);
  if (!chosen) return { decision: noPolicyDecision(opts.failOpen, opts.requestId), role: 'none', context: base, limits: NO_LIMITS };
  const { evaluator } = chosen;
  const kinds = enrichmentFor(evaluator.bundle);
  const staged = await withStageTwo(base, kinds.length > 0 ? enrich(base, { only: kinds }) : base, opts.env);
  const enriched = staged.context;
  const facts = factsOf(evaluator);
  const limits = limitsFor(facts, enriched);
  // A counter read per budget: only for the budgets some condition reads, and through the
  // isolate's 1 s cache (budget-cache.ts), as for `budgets: "check"`.
  const read = limits.budgets.filter((b) => facts.budgetsRead.has(b.id));
  const snapshot = read.length > 0 ? await cachedBudgetSnapshot(opts.env, read, enriched) : undefined;
  if (snapshot) enriched.budget = snapshot;
  const decision = evaluator.evaluate(evaluationView(staged), { explain: opts.explain, requestId: opts.requestId });
  return { decision, role: chosen.role, context: enriched, limits, snapshot };
}

/** The Decision served when no bundle has verified: deny, or allow with a warning if failing open. */
export function noPolicyDecision(failOpen: boolean, requestId: string): Decision {
  const base = { matchedRules: [], obligations: [], bundle: NO_BUNDLE, evaluationMicros: 0, requestId };
  if (failOpen) {
    return {
      ...base,
      decision: 'allow',
      allowed: true,
      reasons: [`${NO_POLICY_REASON}: allowed because FAIL_OPEN=true`],
      warnings: [{ policyId: '', ruleId: '', message: `${NO_POLICY_REASON}; FAIL_OPEN=true let this request through` }],
    };
  }
  return { ...base, decision: 'deny', allowed: false, reasons: [NO_POLICY_REASON], warnings: [] };
}
