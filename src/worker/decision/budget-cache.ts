// Budget state for `budgets: "check"` and for conditions on `budget.<id>.…`, cached per isolate
// for up to BUDGET_STATE_TTL_MS (1 s), and never past the budget window's reset.
//
// A check is advisory: nothing is held, and another request may spend between a check and the
// call it admits anyway. So a check (and a condition) may see counter state up to 1 s old (a
// little more or less spend than the counter holds right now). Exactness is the job of
// `budgets: "reserve"`: the BudgetCounter object's atomic reserve, which never goes through
// this cache. A reserve through this isolate replaces the counters' cached state with the state
// the reserve answered with (rememberBudgetState; /v1/evaluate drops it: forgetBudgetState), so the
// isolate's own reservations show at once without a second counter call; other isolates' spend
// shows within the second.
// A counter that could not be read is not cached (the next request tries again).
import { budgetSnapshot, type BudgetSnapshotEntry } from '../../durable/budgets-client';
import type { BudgetsEnv } from '../../durable/env';
import { scopeValueOf } from '../../durable/scope';
import { windowAt } from '../../durable/windows';
import type { Budget } from '../../policy/types';

export const BUDGET_STATE_TTL_MS = 1000;
/** Entries kept at most; past it the expired ones go, and if that is not enough, all of them. */
const MAX_ENTRIES = 10_000;

interface Cached {
  entry: BudgetSnapshotEntry;
  expiresAt: number;
}

const cache = new Map<string, Cached>();
let clock: () => number = () => Date.now();

/** Tests only: the cache's notion of now (undefined restores Date.now). */
export function setBudgetCacheClock(now: (() => number) | undefined): void {
  clock = now ?? (() => Date.now());
}

/** Tests only: forget everything cached. */
export function clearBudgetCache(): void {
  cache.clear();
}

/**
 * As budgetSnapshot (the state of every budget that applies to `context`, by id; unreachable
 * ones left out), but served from the isolate's cache when it read the same counter less than
 * a second ago in the same window.
 */
export async function cachedBudgetSnapshot(env: BudgetsEnv, budgets: readonly Budget[], context: object): Promise<Record<string, BudgetSnapshotEntry>> {
  const now = clock();
  const out: Record<string, BudgetSnapshotEntry> = {};
  const missing: Array<{ budget: Budget; key: string }> = [];
  for (const b of budgets) {
    const scopeValue = scopeValueOf(context, b.scope);
    if (scopeValue === undefined) continue; // does not apply: budgetSnapshot would leave it out too
    const key = keyOf(b, scopeValue);
    const hit = cache.get(key);
    if (hit && hit.expiresAt > now) out[b.id] = hit.entry;
    else missing.push({ budget: b, key });
  }
  if (missing.length === 0) return out;
  const fresh = await budgetSnapshot(env, missing.map((m) => m.budget), context);
  if (cache.size + missing.length > MAX_ENTRIES) prune(now);
  for (const { budget, key } of missing) {
    const entry = fresh[budget.id];
    if (!entry) continue;
    out[budget.id] = entry;
    cache.set(key, { entry, expiresAt: Math.min(now + BUDGET_STATE_TTL_MS, windowAt(budget.window, now).end) });
  }
  return out;
}

/**
 * Caches the state a reserve answered with (budgets-client.ts `states`), so the next condition
 * on these counters reads it instead of calling the counter again; budgets the reserve did not
 * report (unreachable, released) are dropped, as after forgetBudgetState.
 */
export function rememberBudgetState(budgets: readonly Budget[], context: object, states: Record<string, BudgetSnapshotEntry>): void {
  const now = clock();
  if (cache.size + budgets.length > MAX_ENTRIES) prune(now);
  for (const b of budgets) {
    const scopeValue = scopeValueOf(context, b.scope);
    if (scopeValue === undefined) continue;
    const key = keyOf(b, scopeValue);
    const entry = states[b.id];
    if (entry) cache.set(key, { entry, expiresAt: Math.min(now + BUDGET_STATE_TTL_MS, windowAt(b.window, now).end) });
    else cache.delete(key);
  }
}

/** Drops the cached state of the budgets' counters for this context (after reserving in them). */
export function forgetBudgetState(budgets: readonly Budget[], context: object): void {
  for (const b of budgets) {
    const scopeValue = scopeValueOf(context, b.scope);
    if (scopeValue !== undefined) cache.delete(keyOf(b, scopeValue));
  }
}

/** The counter (budget id and scope value) and what the bundle says of it (a new limit is a new entry). */
function keyOf(b: Budget, scopeValue: string): string {
  return JSON.stringify([b.id, scopeValue, b.window, b.limit, b.onExceed ?? 'deny']);
}

function prune(now: number): void {
  for (const [key, c] of cache) if (c.expiresAt <= now) cache.delete(key);
  if (cache.size > MAX_ENTRIES / 2) cache.clear();
}
