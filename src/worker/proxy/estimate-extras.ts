// The parts of a request body the prompt count (enrich/prompt-tokens.ts, text only) does not see,
// and the number of answers it asks for. Missing them let a $0.05 budget admit requests that
// spent 52× that (issue 14, security 4): `n: 50` multiplies the output, tool and JSON schemas are
// sent to the model as input, and so are images.
import { countTokens } from '../../enrich/index';
import { isObject, numberOr } from './content';
import type { Json } from './providers/types';

/**
 * Tokens counted per image part. Providers bill images by size (OpenAI high detail: 85 + 170 per
 * 512 px tile, ~1,105 for 768×1536; Anthropic: about width × height / 750, at most ~1,600); the
 * gateway does not fetch or decode images, so every image counts as the larger figure.
 */
export const IMAGE_TOKENS = 1_600;

/** Most answers one request may ask for (OpenAI caps `n` at 128). */
const MAX_CHOICES = 128;

const IMAGE_TYPES = new Set(['image_url', 'input_image', 'image']);
// Parts carrying data the model reads: counted by their size (about four characters a token).
const DATA_TYPES = new Set(['file', 'input_file', 'document', 'input_audio', 'audio']);
const TEXT_TYPES = new Set(['text', 'input_text', 'output_text']);

/** How many answers the body asks for (OpenAI chat `n`; 1 elsewhere). */
export function choicesOf(body: Json): number {
  const n = numberOr(body.n);
  if (n === undefined || !Number.isInteger(n) || n < 1) return 1;
  return Math.min(n, MAX_CHOICES);
}

/** Input tokens beyond the message text: tool schemas, JSON output schemas, images, files. */
export function unseenInputTokens(body: Json, model: string): number {
  let tokens = 0;
  for (const schemas of [body.tools, body.functions, body.response_format, isObject(body.text) ? body.text.format : undefined]) {
    if (schemas !== undefined && schemas !== null) tokens += countTokens(JSON.stringify(schemas), model);
  }
  for (const field of [body.messages, body.input, body.system]) tokens += partTokens(field, 0);
  return tokens;
}

// Walks message lists and content arrays (bounded depth: bodies are parsed JSON, not trusted).
function partTokens(value: unknown, depth: number): number {
  if (depth > 8) return 0;
  if (Array.isArray(value)) {
    let sum = 0;
    for (const item of value) sum += partTokens(item, depth + 1);
    return sum;
  }
  if (!isObject(value)) return 0;
  const type = typeof value.type === 'string' ? value.type : undefined;
  if (type !== undefined && IMAGE_TYPES.has(type)) return IMAGE_TOKENS;
  if (type !== undefined && DATA_TYPES.has(type)) return Math.ceil(JSON.stringify(value).length / 4);
  if (type !== undefined && TEXT_TYPES.has(type)) return 0;
  // A message, a tool result or a Responses item: its content may hold parts.
  return partTokens(value.content, depth + 1);
}
