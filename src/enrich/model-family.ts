// Which tokenizer a model uses, and which provider prices it when the caller does not say.

export type EncodingName = 'o200k_base' | 'cl100k_base';

export interface TokenizerChoice {
  encoding: EncodingName;
  /** True when `encoding` is the model's own tokenizer; false for an approximation. */
  exact: boolean;
  /** Multiplier applied to the cl100k count for approximated families. */
  factor: number;
  family: string;
}

// Approximations for models whose tokenizers are not public or not bundled, counted with
// cl100k_base and scaled up. These are conservative round numbers, not measurements: an
// over-estimate only reserves a little more budget, and the proxy settles with real usage.
// - Claude 3+ tokenizers produce noticeably more tokens than cl100k on English and code (about
//   a fifth to a third more by published comparisons): ×1.25.
// - Gemini (SentencePiece, 256k vocabulary), Llama 3 (a 128k tiktoken vocabulary extending
//   cl100k), Mistral (Tekken) and unknown families land near cl100k on English: ×1.1 headroom.
const APPROXIMATIONS: Array<{ family: string; pattern: RegExp; factor: number }> = [
  { family: 'claude', pattern: /claude/, factor: 1.25 },
  { family: 'gemini', pattern: /gemini|gemma/, factor: 1.1 },
  { family: 'llama', pattern: /llama/, factor: 1.1 },
  { family: 'mistral', pattern: /mistral|mixtral|codestral|ministral|pixtral/, factor: 1.1 },
];
const UNKNOWN_FACTOR = 1.1;

const O200K = /^(?:gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o[134](?:-|$)|chatgpt-|codex-|gpt-realtime|gpt-audio|gpt-image|computer-use|omni-moderation)/;
const CL100K = /^(?:gpt-4|gpt-3\.5|gpt-35|text-embedding-)/;

/**
 * The model name without routing decorations: "openai/gpt-4o" (OpenRouter, LiteLLM),
 * "us.anthropic.claude-…" (Bedrock), "ft:gpt-4o-mini:org::id" (fine-tunes).
 */
export function baseModelName(model: string): string {
  let name = model.trim().toLowerCase();
  name = name.slice(name.lastIndexOf('/') + 1);
  if (name.startsWith('ft:')) name = name.slice(3).split(':')[0];
  return name;
}

export function tokenizerFor(model?: string): TokenizerChoice {
  const name = baseModelName(model ?? '');
  if (O200K.test(name)) return { encoding: 'o200k_base', exact: true, factor: 1, family: 'openai' };
  if (CL100K.test(name)) return { encoding: 'cl100k_base', exact: true, factor: 1, family: 'openai' };
  const approx = APPROXIMATIONS.find((a) => a.pattern.test(name));
  return { encoding: 'cl100k_base', exact: false, factor: approx?.factor ?? UNKNOWN_FACTOR, family: approx?.family ?? 'unknown' };
}

/** The price-table provider to try when the caller names none (or one the table does not know). */
export function defaultProviderFor(model: string): string | undefined {
  const name = baseModelName(model);
  if (O200K.test(name) || CL100K.test(name) || /^(?:gpt-|text-embedding-|davinci|babbage)/.test(name)) return 'openai';
  if (/claude/.test(name)) return 'anthropic';
  if (/gemini/.test(name)) return 'google';
  if (/mistral|mixtral|codestral|ministral|pixtral/.test(name)) return 'mistral';
  return undefined;
}
