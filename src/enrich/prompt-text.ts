// The text of a request's prompt, as every enrichment (tokens, PII, injection) and the proxy's
// redaction see it: `llm.system`, `llm.prompt` and the text of `llm.messages`, one per line.

/** Part types that carry prompt text (OpenAI chat and Responses, Anthropic). */
const TEXT_PART_TYPES = new Set(['text', 'input_text', 'output_text']);

/** Tool results nest content lists; one level is read, deeper nesting is ignored (no unbounded recursion). */
const MAX_NESTING = 1;

/**
 * The text of a message `content`: a string, or the text parts of a content-part list.
 * Images and other non-text parts are skipped; tool results (Anthropic `tool_result`) are read
 * for their text, since injected instructions often arrive through them.
 */
export function contentText(content: unknown, depth = 0): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') {
      texts.push(part);
      continue;
    }
    if (part === null || typeof part !== 'object') continue;
    const { type, text, content: nested } = part as { type?: unknown; text?: unknown; content?: unknown };
    if (typeof text === 'string' && (type === undefined || TEXT_PART_TYPES.has(type as string))) texts.push(text);
    else if (type === 'tool_result' && depth < MAX_NESTING) texts.push(contentText(nested, depth + 1));
  }
  return texts.filter((t) => t !== '').join('\n');
}

interface LlmLike {
  system?: unknown;
  prompt?: unknown;
  messages?: unknown;
}

function asLlm(llm: unknown): LlmLike {
  return llm !== null && typeof llm === 'object' ? (llm as LlmLike) : {};
}

/** True when the request carries a prompt at all (a string prompt or system, or a message list). */
export function hasPrompt(llm: unknown): boolean {
  const { system, prompt, messages } = asLlm(llm);
  return typeof prompt === 'string' || typeof system === 'string' || Array.isArray(system) || Array.isArray(messages);
}

/** The concatenated prompt text of `llm` (the context's `llm` object); '' when there is none. */
export function promptText(llm: unknown): string {
  const { system, prompt, messages } = asLlm(llm);
  const parts: string[] = [];
  if (typeof system === 'string' || Array.isArray(system)) parts.push(contentText(system));
  if (typeof prompt === 'string') parts.push(prompt);
  if (Array.isArray(messages)) {
    for (const message of messages) {
      if (message !== null && typeof message === 'object') parts.push(contentText((message as { content?: unknown }).content));
    }
  }
  return parts.filter((p) => p !== '').join('\n');
}
