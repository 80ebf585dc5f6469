// `llm.canonicalModel`: the price table's id for the requested model, so one policy entry covers
// a model's aliases and dated snapshots (claude-3-5-haiku, claude-3-5-haiku-latest and
// claude-3-5-haiku-20241022 are all `claude-3-5-haiku-latest`; gpt-4o-2024-08-06 is `gpt-4o`).
// The id is the first-party provider's whatever gateway serves the model ("openai/gpt-4o" is
// `gpt-4o`), and absent for a model the table does not know, so an allowlist on it fails closed.
import { baseModelName, defaultProviderFor } from './model-family';
import { findPricedModel } from './price-lookup';

export function canonicalModel(model: string): string | undefined {
  const name = baseModelName(model);
  if (name === '') return undefined;
  const provider = defaultProviderFor(name);
  const hit = (provider ? findPricedModel(name, provider) : null) ?? findPricedModel(name);
  return hit?.provider.models[0]?.id;
}
