// Finds a model in the bundled price table of @pydantic/genai-prices, once per (provider, model).
//
// Only the package's bundled data is used: updatePrices() (a network refresh) is never called,
// so lookups work offline and in Workers.

import { calcPrice, findProvider, type ModelPrice, type Provider } from '@pydantic/genai-prices';
import { baseModelName, defaultProviderFor } from './model-family';

/** USD per request and per million input and output tokens, for models priced by plain rates. */
export interface LinearRates {
  perRequest: number;
  perMillionInput: number;
  perMillionOutput: number;
}

export interface PricedModel {
  /** The matching provider narrowed to the one model, for calcPrice's `provider` option. */
  provider: Provider;
  /** The id that matched (the caller's, or with routing prefixes removed). */
  modelId: string;
  /** Present when every price is a plain number: cost is then linear in tokens. */
  linear?: LinearRates;
}

// Resolving walks every provider's match rules and pricing runs the package's unit algebra
// (tens of µs each); both are done once per key. Bounded, since callers choose the keys.
const MAX_CACHED_MODELS = 512;
const cache = new Map<string, PricedModel | null>();

function priceOf(provider: Provider, modelId: string, input: number, output: number): number {
  return calcPrice({ input_tokens: input, output_tokens: output }, modelId, { provider })?.total_price ?? NaN;
}

function isLinear(prices: ModelPrice | unknown[]): prices is ModelPrice {
  return !Array.isArray(prices) && Object.values(prices).every((p) => p === undefined || typeof p === 'number');
}

function tryModel(modelId: string, providerId?: string): PricedModel | null {
  try {
    const hit = calcPrice({ input_tokens: 1, output_tokens: 1 }, modelId, providerId ? { providerId } : undefined);
    if (!hit) return null;
    const provider: Provider = { ...hit.provider, models: [hit.model] };
    if (!isLinear(hit.model.prices)) return { provider, modelId };
    // Rates read back from the package itself, so its unit rules stay the single source.
    const perRequest = priceOf(provider, modelId, 0, 0);
    const linear = {
      perRequest,
      perMillionInput: priceOf(provider, modelId, 1e6, 0) - perRequest,
      perMillionOutput: priceOf(provider, modelId, 0, 1e6) - perRequest,
    };
    return { provider, modelId, ...(Object.values(linear).every(Number.isFinite) ? { linear } : {}) };
  } catch {
    return null;
  }
}

/**
 * A provider the table knows is trusted: its price for the model, or none. A provider it does
 * not know (a gateway, a self-chosen name) falls back to matching by model name, then to the
 * model family's first-party provider (gpt → openai, claude → anthropic, …).
 */
function lookup(model: string, provider?: string): PricedModel | null {
  const stripped = baseModelName(model);
  const ids = stripped === model.trim().toLowerCase() ? [model] : [model, stripped];
  if (provider && findProvider({ providerId: provider })) {
    for (const id of ids) {
      const hit = tryModel(id, provider);
      if (hit) return hit;
    }
    return null;
  }
  const familyProvider = defaultProviderFor(model);
  for (const id of ids) {
    const hit = tryModel(id) ?? (familyProvider ? tryModel(id, familyProvider) : null);
    if (hit) return hit;
  }
  return null;
}

/** The priced model for (provider, model), or null when the table has no price for it. */
export function findPricedModel(model: string, provider?: string): PricedModel | null {
  const key = `${provider ?? ''}\u0000${model}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const found = lookup(model, provider);
  if (cache.size >= MAX_CACHED_MODELS) cache.clear();
  cache.set(key, found);
  return found;
}
