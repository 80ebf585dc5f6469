// A bounded memo of a pure function of a text, kept per isolate (or process). Prompts repeat: a
// conversation resends every earlier message with each turn, agents and templates send the same
// system prompt on every call, so a message's token count, PII scan or injection score is often
// one already computed. Bounded in entries and in characters held; the least recently used
// entry goes first. Only for pure functions: the cached value is returned as it is, so callers
// must not mutate it (copy what the context keeps).

export interface TextCacheOptions {
  maxEntries: number;
  /** Characters of keys held in all. */
  maxChars: number;
  /** Longer texts are computed every time (they would crowd the others out). */
  maxTextChars: number;
}

export const DEFAULT_TEXT_CACHE: TextCacheOptions = { maxEntries: 2000, maxChars: 2_000_000, maxTextChars: 32 * 1024 };

export function cachedByText<V>(compute: (text: string) => V, opts: TextCacheOptions = DEFAULT_TEXT_CACHE): (text: string) => V {
  const entries = new Map<string, V>();
  let chars = 0;
  return (text) => {
    if (text.length > opts.maxTextChars) return compute(text);
    const hit = entries.get(text);
    if (hit !== undefined) {
      // Most recently used last: Map keeps insertion order.
      entries.delete(text);
      entries.set(text, hit);
      return hit;
    }
    const value = compute(text);
    entries.set(text, value);
    chars += text.length;
    while (entries.size > opts.maxEntries || chars > opts.maxChars) {
      const oldest = entries.keys().next().value as string;
      entries.delete(oldest);
      chars -= oldest.length;
    }
    return value;
  };
}
