// The budgets and rate limits a request falls under: those of the serving bundle's policies for
// its namespace (spec §1; bundle-facts.ts), and of those the ones whose scope field the context
// sets (a budget scoped to team.id does not apply to a request without a team).
import { scopeValueOf } from '../../durable/scope';
import { requestNamespace } from '../../engine/index';
import type { Budget, RateLimit } from '../../policy/types';
import type { BundleFacts } from './bundle-facts';

export interface Limits {
  budgets: Budget[];
  rateLimits: RateLimit[];
}

export const NO_LIMITS: Limits = Object.freeze({ budgets: [], rateLimits: [] }) as Limits;

export function limitsFor(facts: BundleFacts, context: Record<string, unknown>): Limits {
  const namespace = requestNamespace(context);
  const budgets: Budget[] = [];
  const rateLimits: RateLimit[] = [];
  for (const p of facts.limits) {
    if (p.namespace !== undefined && namespace !== undefined && p.namespace !== namespace) continue;
    budgets.push(...p.budgets);
    rateLimits.push(...p.rateLimits);
  }
  return { budgets, rateLimits };
}

export function applying(limits: Limits, context: object): Limits {
  const applies = (l: { scope: string }) => scopeValueOf(context, l.scope) !== undefined;
  return { budgets: limits.budgets.filter(applies), rateLimits: limits.rateLimits.filter(applies) };
}

export function isEmpty(limits: Limits): boolean {
  return limits.budgets.length === 0 && limits.rateLimits.length === 0;
}
