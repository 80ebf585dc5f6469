// suggest: a deterministic analysis of recorded decisions (GET /v1/decisions) that proposes
// policies, each with the evidence behind it and a ready policy plus its tests. Thresholds are
// the exported constants of each finder; the same records (and policy set) give the same list.
import { lint } from '../../lint/index';
import { validatePolicy } from '../../policy/schema';
import { findTeamsNearBudget } from './budgets';
import { findBurstsWithoutRateLimit } from './bursts';
import { findInjectionNearThreshold } from './injection';
import { findShortPromptsOnExpensiveModels } from './models';
import { findPiiInProduction } from './pii';
import { findDeadRules, findStrictRules } from './rules';
import type { Finder, Level, SuggestInput, Suggestion } from './types';

export type { Suggestion, SuggestInput } from './types';

const FINDERS: readonly Finder[] = [
  findTeamsNearBudget,
  findShortPromptsOnExpensiveModels,
  findPiiInProduction,
  findDeadRules,
  findStrictRules,
  findInjectionNearThreshold,
  findBurstsWithoutRateLimit,
];
const RANK: Record<Level, number> = { high: 0, medium: 1, low: 2 };

/** Suggestions, most urgent first (priority, impact, then id). Only policies that are valid and lint-clean on their own are offered. */
export function suggest(input: SuggestInput): Suggestion[] {
  const found = FINDERS.flatMap((find) => find(input));
  return found.filter(isClean).sort((a, b) => RANK[a.priority] - RANK[b.priority] || RANK[a.impact] - RANK[b.impact] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

// A suggestion compares llm.model with the id the traffic actually sent, which is right even when
// the price table calls it an alias or does not know it.
const OBSERVED_MODEL_CODES = new Set(['unknown-model', 'model-alias']);

function isClean(s: Suggestion): boolean {
  if (validatePolicy(s.policy).length > 0) return false;
  return !lint([s.policy]).some((f) => f.severity === 'error' || (f.severity === 'warning' && !OBSERVED_MODEL_CODES.has(f.code)));
}
