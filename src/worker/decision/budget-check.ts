// `budgets: "check"`: would the estimate fit in what every applying budget has left? Nothing is
// reserved, so nothing has to be settled, and a caller that checks and then sends may still
// overspend by what other requests take in between (`reserve` holds the amount instead).
// Rate limits are not checked here: they count requests, and only reserving counts one, so a
// check could never tell how many requests a caller has made.
// The state comes from the isolate's 1 s cache (budget-cache.ts): a check may judge counter
// state up to a second old, which an advisory check can afford; `reserve` is the exact one.
import { toUnit, DIMENSIONS, type Amounts, type Dimension } from '../../durable/amounts';
import type { BudgetSnapshotEntry } from '../../durable/budgets-client';
import type { BudgetsEnv } from '../../durable/env';
import { windowAt } from '../../durable/windows';
import type { Budget } from '../../policy/types';
import { cachedBudgetSnapshot } from './budget-cache';
import type { BudgetRefusal, BudgetVerdict } from './budget-verdict';

/** As budgets-client tells a caller when a counter cannot be reached. */
const UNAVAILABLE_RETRY_SECONDS = 5;

/**
 * `known`: state already read for the conditions (decide.ts); the check reuses it, so the
 * conditions and the check judge the same numbers, and reads only the budgets missing from it.
 */
export async function checkBudgets(
  env: BudgetsEnv,
  budgets: readonly Budget[],
  context: object,
  estimate: Amounts,
  known: Record<string, BudgetSnapshotEntry> = {},
): Promise<BudgetVerdict> {
  const missing = budgets.filter((b) => !(b.id in known));
  const states = missing.length > 0 ? { ...known, ...(await cachedBudgetSnapshot(env, missing, context)) } : known;
  const now = Date.now();
  const warnings: string[] = [];
  let refusal: BudgetRefusal | undefined;
  for (const b of budgets) {
    const state = states[b.id];
    if (!state) {
      // The snapshot leaves out a budget whose counter could not be reached.
      if (b.onUnavailable === 'allow') warnings.push(`budget ${b.id} is unavailable; allowed by onUnavailable: allow`);
      else refusal ??= { code: 'budget_unavailable', budgetId: b.id, retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS, message: `budget ${b.id} could not be checked and refuses when unavailable` };
      continue;
    }
    const dim = exceeded(b, state, estimate);
    if (!dim) continue;
    const resetAt = windowAt(b.window, now).end;
    const detail = `${amount(dim, estimate[dim] ?? 0)} estimated, ${amount(dim, state.remaining[dim] ?? 0)} remaining until ${isoSeconds(resetAt)}`;
    if (b.onExceed === 'warn') {
      warnings.push(`budget ${b.id} would be exceeded: ${detail} (onExceed: warn)`);
    } else {
      refusal ??= { code: 'budget_exceeded', budgetId: b.id, retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)), message: `budget ${b.id} exceeded: ${detail}` };
    }
  }
  return { refusal, warnings };
}

/**
 * The first limited dimension the estimate does not fit in, judged as the counter judges a
 * reservation (budget-counter.ts): in its integer units, and an exhausted dimension refuses
 * even a zero estimate.
 */
function exceeded(b: Budget, state: BudgetSnapshotEntry, estimate: Amounts): Dimension | undefined {
  for (const dim of DIMENSIONS) {
    if (b.limit[dim] === undefined) continue;
    const left = toUnit(dim, state.remaining[dim] ?? 0);
    if (left <= 0 || toUnit(dim, estimate[dim] ?? 0) > left) return dim;
  }
  return undefined;
}

function amount(dim: Dimension, value: number): string {
  if (dim === 'costUsd') return `$${usd(value)}`;
  if (dim === 'tokens') return `${value} tokens`;
  return `${value} request${value === 1 ? '' : 's'}`;
}

/** Cents, and as many further digits (to the micro-dollar counters keep) as the amount needs. */
function usd(value: number): string {
  const [whole, fraction] = value.toFixed(6).split('.');
  return `${whole}.${fraction.replace(/0+$/, '').padEnd(2, '0')}`;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}
