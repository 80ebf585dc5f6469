// What the budget step made of an allowed request, and how it shows in the answer. A refusal
// turns the Decision into a deny (HTTP 200: a decision, not an error) with `budget` saying which
// budget or rate limit refused and when to retry; a granted reservation adds `reservation`.
import type { Decision } from '../../policy/types';

export type BudgetsMode = 'check' | 'reserve';

export type RefusalCode = 'budget_exceeded' | 'rate_limited' | 'budget_unavailable';

export interface BudgetRefusal {
  code: RefusalCode;
  /** The budget or rate limit id that refused. */
  budgetId: string;
  retryAfterSeconds: number;
  message: string;
}

export interface ReservationInfo {
  /** Settle or release them with POST /v1/budgets/settle | release, using the same client key. */
  ids: string[];
  expiresInSeconds: number;
}

export interface BudgetVerdict {
  refusal?: BudgetRefusal;
  warnings: string[];
  reservation?: ReservationInfo;
}

/** The Decision as the caller gets it from /v1/evaluate. */
export interface EvaluateResult extends Decision {
  budget?: { code: RefusalCode; budgetId: string; retryAfterSeconds: number };
  reservation?: ReservationInfo;
}

export function withVerdict(decision: Decision, verdict: BudgetVerdict | undefined): EvaluateResult {
  if (!verdict) return decision;
  const warnings = [...decision.warnings, ...verdict.warnings.map((message) => ({ policyId: '', ruleId: '', message }))];
  const { refusal, reservation } = verdict;
  if (!refusal) return { ...decision, warnings, ...(reservation ? { reservation } : {}) };
  const { code, budgetId, retryAfterSeconds, message } = refusal;
  // Obligations shape a request that will not be sent now.
  return { ...decision, decision: 'deny', allowed: false, reasons: [message], warnings, obligations: [], budget: { code, budgetId, retryAfterSeconds } };
}
