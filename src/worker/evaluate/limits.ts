// The budgets and rate limits a request falls under: those of the serving bundle for its
// namespace (bundle-facts.ts), narrowed to the ones whose scope field the context sets (a budget
// scoped to team.id does not apply to a request without a team).
import { scopeValueOf } from '../../durable/scope';
import type { Budget, RateLimit } from '../../policy/types';

export interface Limits {
  budgets: Budget[];
  rateLimits: RateLimit[];
}

export const NO_LIMITS: Limits = Object.freeze({ budgets: [], rateLimits: [] }) as Limits;

export function applying(limits: Limits, context: object): Limits {
  const applies = (l: { scope: string }) => scopeValueOf(context, l.scope) !== undefined;
  return { budgets: limits.budgets.filter(applies), rateLimits: limits.rateLimits.filter(applies) };
}

export function isEmpty(limits: Limits): boolean {
  return limits.budgets.length === 0 && limits.rateLimits.length === 0;
}
