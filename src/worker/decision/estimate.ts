// What an evaluated request is expected to use, from its enriched context: the enriched (or
// caller-sent) cost, prompt tokens plus the output allowance (llm.maxTokens, else the same
// default the cost enrichment assumes), and one request. The caller describes a request it has
// not sent yet, so these are its own figures: a cost or token count it leaves out (or gives as
// something other than a non-negative number) is not counted.
import { checkAmounts, type Amounts } from '../../durable/amounts';
import { DEFAULT_MAX_TOKENS } from '../../enrich/index';
import { ApiError } from '../http/api-error';

export function estimateOf(context: Record<string, unknown>): Amounts {
  const llm = isObject(context.llm) ? context.llm : {};
  const estimate: Amounts = { requests: 1 };
  if (isCount(llm.estimatedCost)) estimate.costUsd = llm.estimatedCost;
  if (isCount(llm.estimatedTokens)) estimate.tokens = llm.estimatedTokens + (isCount(llm.maxTokens) ? llm.maxTokens : DEFAULT_MAX_TOKENS);
  try {
    checkAmounts('estimate', estimate);
  } catch (error) {
    // Only a size beyond what a counter can hold gets here: the caller's numbers, the caller's error.
    throw new ApiError(400, 'invalid_request', `context.llm: ${error instanceof Error ? error.message : String(error)}`);
  }
  return estimate;
}

/** The enriched cost in USD, for records and version stats. */
export function estimatedCostOf(context: Record<string, unknown>): number | undefined {
  const llm = isObject(context.llm) ? context.llm : {};
  return isCount(llm.estimatedCost) ? llm.estimatedCost : undefined;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
