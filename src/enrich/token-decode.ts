// Token arrays back to text, so a prompt sent as token ids (OpenAI embeddings accept `input` as
// token arrays) is scanned for PII and injection like text (issue 14, security 12). OpenAI's
// embedding models all use cl100k_base; that is the only vocabulary decoded here.
import { decode } from 'gpt-tokenizer/encoding/cl100k_base';

/** cl100k_base's ids run from 0 to 100,276 (special tokens included). */
const MAX_TOKEN_ID = 100_276;

/** True for a non-empty array of integer token ids. */
export function isTokenArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((t) => typeof t === 'number');
}

/** The text of cl100k_base token ids; undefined when an id is not one of its tokens. */
export function decodeTokens(ids: readonly number[]): string | undefined {
  for (const id of ids) if (!Number.isInteger(id) || id < 0 || id > MAX_TOKEN_ID) return undefined;
  try {
    return decode(ids);
  } catch {
    return undefined;
  }
}
