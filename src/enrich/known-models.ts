// The canonical model ids of the bundled price table's first-party providers: what
// `llm.canonicalModel` can be for the models most policies name, so lint can suggest the
// closest one for a misspelt or unknown id. Computed once, on first use (a few hundred lookups).
import { findProvider } from '@pydantic/genai-prices';
import { canonicalModel } from './canonical-model';

// Gateways and clouds (openrouter, aws, azure ...) re-list these models under other names;
// their own ids would only add near-duplicates to a "did you mean".
const FIRST_PARTY = ['openai', 'anthropic', 'google', 'mistral', 'deepseek', 'cohere', 'x-ai', 'groq'];

let ids: readonly string[] | undefined;

export function knownModelIds(): readonly string[] {
  ids ??= [...new Set(FIRST_PARTY.flatMap((providerId) => (findProvider({ providerId })?.models ?? []).map((m) => m.id)))]
    .filter((id) => canonicalModel(id) === id)
    .sort();
  return ids;
}
