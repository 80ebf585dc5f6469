// Token counting with a fixed CPU bound per request.
//
// BPE is quadratic in the length of one pre-token, so one 100 KB word (a base64 blob, a run of
// spaces, unspaced CJK text) takes seconds. Two bounds keep a request cheap:
// 1. Runs of more than MAX_RUN non-space (or space) characters are tokenized in MAX_RUN slices.
//    Ordinary text never has such runs, so its count is exact; for long runs the count is within
//    one token per slice of the exact one.
// 2. At most EXACT_BUDGET_CHARS characters per request are tokenized. Beyond that each text
//    contributes its share of the budget (proportional to its length) exactly, and the rest of
//    it is extrapolated at the tokens-per-character ratio of that share.

export const MAX_RUN = 64;
export const EXACT_BUDGET_CHARS = 32 * 1024;
/** Used only for texts whose share of the budget is zero characters: OpenAI's rule of thumb. */
const FALLBACK_TOKENS_PER_CHAR = 0.25;

export type CountFn = (text: string) => number;

// The lookbehinds make each run start a single attempt, so this scan is linear.
const LONG_RUN = new RegExp(String.raw`(?<!\S)\S{${MAX_RUN + 1},}|(?<!\s)\s{${MAX_RUN + 1},}`, 'g');

/** Avoid cutting a surrogate pair in half (the tokenizer would see a lone surrogate). */
function safeCut(text: string, index: number): number {
  const code = text.charCodeAt(index - 1);
  return code >= 0xd800 && code <= 0xdbff ? index - 1 : index;
}

function countSlices(run: string, count: CountFn): number {
  let total = 0;
  for (let from = 0; from < run.length; ) {
    const to = from + MAX_RUN >= run.length ? run.length : safeCut(run, from + MAX_RUN);
    total += count(run.slice(from, to));
    from = to;
  }
  return total;
}

/** Exact count, except that runs longer than MAX_RUN are counted slice by slice. */
export function countWithRunLimit(text: string, count: CountFn): number {
  let total = 0;
  let from = 0;
  LONG_RUN.lastIndex = 0;
  for (let m = LONG_RUN.exec(text); m !== null; m = LONG_RUN.exec(text)) {
    if (m.index > from) total += count(text.slice(from, m.index));
    total += countSlices(m[0], count);
    from = m.index + m[0].length;
  }
  if (from < text.length) total += count(text.slice(from));
  return total;
}

/**
 * Token counts for several texts of one request, tokenizing at most `budget` characters in all.
 * `whole` counts a text within the budget (default: countWithRunLimit with `count`; tokens.ts
 * passes a memoised one).
 */
export function countTextsBounded(texts: readonly string[], count: CountFn, budget = EXACT_BUDGET_CHARS, whole: CountFn = (t) => countWithRunLimit(t, count)): number[] {
  const totalChars = texts.reduce((n, t) => n + t.length, 0);
  if (totalChars <= budget) return texts.map((t) => whole(t));
  let sampledChars = 0;
  let sampledTokens = 0;
  const counts = texts.map((text) => {
    const share = Math.floor((budget * text.length) / totalChars);
    if (share === 0) return undefined;
    const head = text.slice(0, safeCut(text, share) || share);
    const headTokens = countWithRunLimit(head, count);
    sampledChars += head.length;
    sampledTokens += headTokens;
    return headTokens + ((text.length - head.length) * headTokens) / head.length;
  });
  const ratio = sampledChars > 0 ? sampledTokens / sampledChars : FALLBACK_TOKENS_PER_CHAR;
  return counts.map((c, i) => Math.ceil(c ?? texts[i].length * ratio));
}
