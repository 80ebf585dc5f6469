// Prompt token counts: the real tokenizer for OpenAI model families (o200k_base, cl100k_base),
// a scaled cl100k count for others (see model-family.ts), bounded in CPU (see bounded-count.ts).
//
// Only these two encodings are imported (their per-encoding entry points), not the package's
// main entry, which would pull every encoding into the worker bundle.

import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countTextsBounded, countWithRunLimit, EXACT_BUDGET_CHARS, type CountFn } from './bounded-count';
import { tokenizerFor, type EncodingName } from './model-family';
import { contentText } from './prompt-text';
import { cachedByText } from './text-cache';

// Text that spells a special token ("<|endoftext|>") is user text: count it as text, never throw.
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

const COUNTERS: Record<EncodingName, CountFn> = {
  o200k_base: (text) => countO200k(text, AS_PLAIN_TEXT),
  cl100k_base: (text) => countCl100k(text, AS_PLAIN_TEXT),
};

// A whole text's count is memoised per text (text-cache.ts): a conversation resends its earlier messages.
const WHOLE: Record<EncodingName, CountFn> = {
  o200k_base: cachedByText((text) => countWithRunLimit(text, COUNTERS.o200k_base)),
  cl100k_base: cachedByText((text) => countWithRunLimit(text, COUNTERS.cl100k_base)),
};

// OpenAI's documented chat overhead: every message is wrapped as <|start|>{role}\n{content}<|end|>\n
// (3 tokens besides role and content), a name costs 1 more, and the reply is primed with
// <|start|>assistant<|message|> (3 tokens). Used for approximated families too.
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMING_TOKENS = 3;

function countAll(texts: readonly string[], model?: string): number[] {
  const choice = tokenizerFor(model);
  const counts = countTextsBounded(texts, COUNTERS[choice.encoding], EXACT_BUDGET_CHARS, WHOLE[choice.encoding]);
  return choice.exact ? counts : counts.map((n) => Math.ceil(n * choice.factor));
}

/** Tokens of one text for `model` (no chat framing). */
export function countTokens(text: string, model?: string): number {
  return countAll([text], model)[0];
}

export interface ChatMessageLike {
  role?: unknown;
  content?: unknown;
  name?: unknown;
}

/**
 * Prompt tokens of a chat request: each message's role, text content and name, plus OpenAI's
 * per-message framing and reply priming. Non-text content parts (images) are not counted.
 */
export function countMessageTokens(messages: readonly ChatMessageLike[], model?: string): number {
  const texts: string[] = [];
  let framing = REPLY_PRIMING_TOKENS;
  for (const message of messages) {
    if (message === null || typeof message !== 'object') continue;
    framing += TOKENS_PER_MESSAGE;
    texts.push(typeof message.role === 'string' ? message.role : '', contentText(message.content));
    if (typeof message.name === 'string') {
      texts.push(message.name);
      framing += TOKENS_PER_NAME;
    }
  }
  return framing + countAll(texts, model).reduce((a, b) => a + b, 0);
}
