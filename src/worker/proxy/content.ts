// Walking the text of message contents, the same parts src/enrich's contentText reads: a string,
// or a list of parts whose text parts (`text`, `input_text`, `output_text`) carry text, with
// Anthropic `tool_result` parts nesting one level of content. Redaction must reach exactly the
// text that enrichment detected PII in, or a policy could see PII the upstream still receives.

const TEXT_PART_TYPES = new Set(['text', 'input_text', 'output_text']);
const MAX_NESTING = 1;

/** `content` with every text rewritten by `edit`; parts that carry no text are kept as they are. */
export function mapContentText(content: unknown, edit: (text: string) => string, depth = 0): unknown {
  if (typeof content === 'string') return edit(content);
  if (!Array.isArray(content)) return content;
  return content.map((part) => {
    if (typeof part === 'string') return edit(part);
    if (part === null || typeof part !== 'object') return part;
    const p = part as Record<string, unknown>;
    if (typeof p.text === 'string' && (p.type === undefined || TEXT_PART_TYPES.has(p.type as string))) return { ...p, text: edit(p.text) };
    if (p.type === 'tool_result' && depth < MAX_NESTING && p.content !== undefined) return { ...p, content: mapContentText(p.content, edit, depth + 1) };
    return p;
  });
}

/** Each message's `content` rewritten by `edit` (a list of `{role, content}` objects). */
export function mapMessagesText(messages: unknown, edit: (text: string) => string): unknown {
  if (!Array.isArray(messages)) return messages;
  return messages.map((m) => (isObject(m) && m.content !== undefined ? { ...m, content: mapContentText(m.content, edit) } : m));
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
