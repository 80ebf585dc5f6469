// The decision stage, one for every door (/v1/evaluate and its batch, the LLM proxy, MCP):
//   choose the bundle (canary or stable) for the request's tenant
//   -> plan and run the enrichment that bundle observes (token counts, cost, PII, injection,
//      time: computed by the edge; what the caller sent for them kept under `claimed`)
//   -> injection stage two for an uncertain score, when configured
//   -> the budgets and rate limits that apply, and budget state for conditions that read it
//   -> evaluate.
// Failures follow the rules' onError: a failed enrichment or stage two makes the fields it should
// have set throw when read (enrichment.ts, injection-stage-two.ts), a failing rule is the
// engine's, and anything else failing in evaluation denies (evaluate-safely.ts). With no verified
// bundle at all: deny, unless FAIL_OPEN=true.
import type { BudgetSnapshotEntry } from '../../durable/budgets-client';
import type { BudgetsEnv } from '../../durable/env';
import { setAsideClaims } from '../../enrich/claims';
import type { EnrichmentKind } from '../../enrich/index';
import type { Decision, Evaluator } from '../../policy/types';
import type { ActiveBundles } from '../bundle/loader';
import { cachedBudgetSnapshot } from './budget-cache';
import { chooseBundle, noPolicyDecision, type BundleRole } from './bundle-choice';
import { factsOf, type BundleFacts } from './bundle-facts';
import { enrichmentFor } from './enrich-plan';
import { failingView, runEnrichment } from './enrichment';
import { evaluateSafely } from './evaluate-safely';
import { evaluationView, withStageTwo, type StageTwoEnv } from './injection-stage-two';
import { limitsFor, NO_LIMITS, type Limits } from './limits';

export interface DecideOptions {
  requestId: string;
  /** Client key id: the tenant key when the context names no team or user. */
  keyId?: string;
  failOpen: boolean;
  explain?: boolean;
  /** The output allowance assumed when the request names none (the proxy: the provider's default). */
  defaultMaxTokens?: number;
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
  evaluator?: Evaluator;
  facts?: BundleFacts;
  /** The enrichments the serving bundle observes. */
  enrichment: EnrichmentKind[];
  /** Why enrichment failed, when it did (for the record). */
  enrichError?: string;
}

export async function decide(active: ActiveBundles | undefined, context: Record<string, unknown>, opts: DecideOptions): Promise<Outcome> {
  // Budget state is the edge's to say: whatever `budget` the caller sent is dropped. Fields derived
  // from the prompt, and the clock, are computed here too (the caller's go to `claimed`).
  const { budget: _sent, ...sent } = context;
  const base = setAsideClaims(sent);
  const chosen = chooseBundle(active, base, opts.keyId);
  if (!chosen) return { decision: noPolicyDecision(opts.failOpen, opts.requestId), role: 'none', context: base, limits: NO_LIMITS, enrichment: [] };
  const { evaluator } = chosen;
  const enrichment = enrichmentFor(evaluator.bundle);
  const { context: enrichedContext, enrichError } = runEnrichment(base, enrichment, opts.defaultMaxTokens);
  const staged = await withStageTwo(base, enrichedContext, opts.env);
  const enriched = staged.context;
  const facts = factsOf(evaluator);
  const limits = limitsFor(facts, enriched);
  // A counter read per budget: only for the budgets some condition reads, and through the
  // isolate's 1 s cache (budget-cache.ts). A reserve after the decision is exact (the counter's own).
  const read = limits.budgets.filter((b) => facts.budgetsRead.has(b.id));
  const snapshot = read.length > 0 ? await cachedBudgetSnapshot(opts.env, read, enriched) : undefined;
  if (snapshot) enriched.budget = snapshot;
  const view = enrichError ? failingView(enriched, enrichment, enrichError) : evaluationView(staged);
  const decision = evaluateSafely(evaluator, view, { explain: opts.explain, requestId: opts.requestId });
  return { decision, role: chosen.role, context: enriched, limits, snapshot, evaluator, facts, enrichment, enrichError };
}
