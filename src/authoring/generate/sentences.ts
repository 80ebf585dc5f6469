// Plain English -> sentences, and a sentence -> the normalized form the rules backend reads.
// Sentences end at ";", a newline, or a "." followed by a space or the end (so 0.8, 0.3% and
// gpt-4.1 stay whole). List markers ("- ", "1. ") at the start of a line are not words.

export interface Sentence {
  /** 1-based place in the text, for error lines. */
  index: number;
  /** As written (trimmed, without its final punctuation). */
  text: string;
}

export function splitSentences(text: string): Sentence[] {
  const unlisted = text.replace(/^[ \t]*(?:[-*•]|\d+[.)])[ \t]+/gm, '');
  return unlisted
    .split(/[;\n]|\.(?=\s|$)|[!?](?=\s|$)/)
    .map((part) => part.trim().replace(/[,:]+$/, '').trim())
    .filter((part) => part !== '')
    .map((part, i) => ({ index: i + 1, text: part }));
}

const MULTIPLIERS: Record<string, number> = { k: 1_000, thousand: 1_000, m: 1_000_000, million: 1_000_000 };

/**
 * Lower case, straight quotes, one space; numbers as plain digits: "1,000" -> 1000, "50k" -> 50000,
 * "2 million" -> 2000000 ("5m" stays: it is five minutes).
 */
export function normalize(sentence: string): string {
  return sentence
    .toLowerCase()
    .replace(/[‘’`]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    .replace(/(\d+(?:\.\d+)?)\s?(k|thousand|million)\b/g, (_m, n: string, unit: string) => String(Number(n) * MULTIPLIERS[unit]))
    .replace(/\s+/g, ' ')
    .trim();
}
