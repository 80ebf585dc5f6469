// Estimated USD cost of a request from the maintained price table (@pydantic/genai-prices).
// A model the table does not know gets no estimate (undefined), never an invented price.

import { calcPrice } from '@pydantic/genai-prices';
import { findPricedModel } from './price-lookup';

export interface CostArgs {
  /** Provider id as the caller names it ("openai", "anthropic", "azure", "bedrock", …). */
  provider?: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** When the request happens; some prices depend on the date or time of day. Default: now. */
  at?: Date;
}

const validCount = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;

/** USD for the given input and output tokens, or undefined when the model has no known price. */
export function estimateCost(args: CostArgs): number | undefined {
  const { model, provider, inputTokens, outputTokens, at } = args;
  if (typeof model !== 'string' || model.trim() === '' || !validCount(inputTokens) || !validCount(outputTokens)) return undefined;
  const priced = findPricedModel(model, typeof provider === 'string' && provider !== '' ? provider : undefined);
  if (!priced) return undefined;
  let usd: number | undefined;
  if (priced.linear) {
    const { perRequest, perMillionInput, perMillionOutput } = priced.linear;
    usd = perRequest + (inputTokens * perMillionInput + outputTokens * perMillionOutput) / 1e6;
  } else {
    // Tiered or time-dependent prices: let the package apply its rules each time.
    try {
      const options = { provider: priced.provider, ...(at ? { timestamp: at } : {}) };
      usd = calcPrice({ input_tokens: inputTokens, output_tokens: outputTokens }, priced.modelId, options)?.total_price;
    } catch {
      usd = undefined;
    }
  }
  // Rounded to 1e-10 USD so that reasons print "0.0055", not "0.0055000000000000005".
  return usd === undefined || !Number.isFinite(usd) ? undefined : Math.round(usd * 1e10) / 1e10;
}
