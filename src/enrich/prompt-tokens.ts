// Prompt tokens of a whole request: chat framing when there is a message list, plain text otherwise.

import { contentText } from './prompt-text';
import { countMessageTokens, countTokens, type ChatMessageLike } from './tokens';

interface LlmLike {
  system?: unknown;
  prompt?: unknown;
  messages?: unknown;
}

export function countPromptTokens(llm: LlmLike, model?: string): number {
  const system = typeof llm.system === 'string' || Array.isArray(llm.system) ? contentText(llm.system) : undefined;
  const prompt = typeof llm.prompt === 'string' ? llm.prompt : undefined;
  if (!Array.isArray(llm.messages)) return countTokens([system, prompt].filter((t) => t !== undefined).join('\n'), model);
  // A top-level system prompt (Anthropic) and a stray prompt string count as messages of their own.
  const messages: ChatMessageLike[] = [
    ...(system !== undefined ? [{ role: 'system', content: system }] : []),
    ...(llm.messages as ChatMessageLike[]),
    ...(prompt !== undefined ? [{ role: 'user', content: prompt }] : []),
  ];
  return countMessageTokens(messages, model);
}
