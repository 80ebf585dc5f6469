// /v1/evaluate metrics, on the worker's shared registry (shown by /metrics).
import { registry } from '../metrics/index';

export const budgetRefusals = registry.counter(
  'llm_policy_evaluate_budget_refusals_total',
  'Allowed evaluations turned into a deny by the budget step, by code (budget_exceeded, rate_limited, budget_unavailable).',
);
