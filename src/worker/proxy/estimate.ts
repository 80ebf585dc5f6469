// What a request is expected to cost before it runs (reserved in budgets), and what it did cost
// (settled). Estimate: prompt tokens (the enriched count of the message text, plus every other
// input part: tool and JSON schemas, images at IMAGE_TOKENS each, files by size; see
// estimate-extras.ts) plus the max output tokens the body ends up with (after set_max_tokens), or
// the endpoint's default when it sets none, times the answers it asks for (OpenAI `n`); priced
// with the model the request is forwarded to (after route_model). The settle records what the
// upstream reported, above the estimate too (budget-hold.ts). A model without a known price has
// no cost (budgets still count its tokens and requests): deny unknown models in policy (a rule on
// `not_exists: llm.estimatedCost`) if cost budgets must hold for them.
import type { Amounts } from '../../durable/amounts';
import { countPromptTokens, estimateCost } from '../../enrich/index';
import { choicesOf, unseenInputTokens } from './estimate-extras';
import { maxTokensOf } from './providers/fields';
import type { EndpointAdapter, Json, Usage } from './providers/types';

export interface Estimate {
  inputTokens: number;
  outputTokens: number;
  costUsd?: number;
  amounts: Amounts;
}

/**
 * `counted`: something reserves or reads the estimate (budgets, rate limits, response rules).
 * Otherwise the tokenizer is skipped, and the record keeps the enriched cost, if any.
 */
export function estimateRequest(adapter: EndpointAdapter, body: Json, llm: Record<string, unknown>, counted: boolean): Estimate {
  const model = typeof body.model === 'string' ? body.model : '';
  const outputTokens = (maxTokensOf(body, adapter.maxTokensFields) ?? adapter.defaultOutputTokens) * choicesOf(body);
  if (!counted && typeof llm.estimatedTokens !== 'number') {
    const costUsd = typeof llm.estimatedCost === 'number' ? llm.estimatedCost : undefined;
    return { inputTokens: 0, outputTokens, costUsd, amounts: amountsOf({ inputTokens: 0, outputTokens }, costUsd) };
  }
  const textTokens = typeof llm.estimatedTokens === 'number' ? llm.estimatedTokens : promptTokens(adapter, body, model);
  const inputTokens = textTokens + unseenInputTokens(body, model);
  const costUsd = costOf(adapter, model, { inputTokens, outputTokens });
  return { inputTokens, outputTokens, costUsd, amounts: amountsOf({ inputTokens, outputTokens }, costUsd) };
}

/** What a finished request used, for settling. */
export function actualAmounts(adapter: EndpointAdapter, model: string, usage: Usage): Amounts {
  return amountsOf(usage, costOf(adapter, model, usage));
}

/** A request that reached no model (an upstream error answer): it counts, it costs nothing. */
export const NOTHING_USED: Amounts = { costUsd: 0, tokens: 0, requests: 1 };

export function costOf(adapter: EndpointAdapter, model: string, usage: Usage): number | undefined {
  return estimateCost({ provider: adapter.provider, model, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens });
}

function amountsOf(usage: Usage, costUsd: number | undefined): Amounts {
  const amounts: Amounts = { tokens: usage.inputTokens + usage.outputTokens, requests: 1 };
  if (costUsd !== undefined) amounts.costUsd = costUsd;
  return amounts;
}

// Enrichment failed (or was not run): count again, and if even that fails, about four
// characters per token, so a budget never sees a free request.
function promptTokens(adapter: EndpointAdapter, body: Json, model: string): number {
  try {
    return countPromptTokens(adapter.llm(body), model);
  } catch {
    return Math.ceil(JSON.stringify(body).length / 4);
  }
}
