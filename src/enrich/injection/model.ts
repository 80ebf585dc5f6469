// The linear model over hashed n-grams (features.ts), and the logits it gives a text and its
// windows. The weights are int8 (one byte a bucket) times a scale.
import { BUCKETS, tokenize } from './features';

export interface LinearModel {
  weights: Int8Array;
  scale: number;
  bias: number;
}

/** Window length and step, in characters: an injection in a long document still fills a window. */
export const WINDOW = 500;
export const STRIDE = 250;
/** Short windows: a one-sentence injection is most of one, whatever surrounds it. */
export const SHORT_WINDOW = 200;
export const SHORT_STRIDE = 100;

export interface SpanLogits {
  /** Logit of the whole text. */
  whole: number;
  /** Highest logit of a window (the whole text's when it fits in one). */
  maxWindow: number;
  /** Highest logit of a short window (likewise). */
  maxShort: number;
}

let scratchCum = new Float64Array(1024);

const NO_TEXT: SpanLogits = { whole: -10, maxWindow: -10, maxShort: -10 };

/** Logits of `text` (normalized) and of its windows, in one pass over its tokens. */
export function spanLogits(model: LinearModel, text: string): SpanLogits {
  const { bucket, pos, length } = tokenize(text);
  if (length === 0) return NO_TEXT;
  const { weights, scale, bias } = model;
  // cum[t]: sum of the weights of tokens 0..t-1 (a reused scratch array, like tokenize's).
  if (scratchCum.length < length + 1) scratchCum = new Float64Array(length + 1);
  const cum = scratchCum;
  cum[0] = 0;
  for (let t = 0; t < length; t++) cum[t + 1] = cum[t]! + weights[bucket[t]!]!;
  const logit = (from: number, to: number): number => bias + (scale * (cum[to]! - cum[from]!)) / Math.sqrt(to - from);
  const whole = logit(0, length);
  const maxOver = (size: number, stride: number): number => {
    if (text.length <= size) return whole;
    let max = -Infinity;
    let from = 0;
    let to = 0;
    for (let start = 0; start < text.length; start += stride) {
      const end = start + size;
      while (from < length && pos[from]! < start) from++;
      while (to < length && pos[to]! < end) to++;
      if (to > from) max = Math.max(max, logit(from, to));
      if (end >= text.length) break;
    }
    return max;
  };
  return { whole, maxWindow: maxOver(WINDOW, STRIDE), maxShort: maxOver(SHORT_WINDOW, SHORT_STRIDE) };
}

/** int8 weights from their base64 text; throws on a length that is not one byte a bucket. */
export function decodeWeights(base64: string, buckets: number = BUCKETS): Int8Array {
  const raw = atob(base64);
  if (raw.length !== buckets) throw new Error(`injection model: expected ${buckets} weights, got ${raw.length}`);
  const weights = new Int8Array(raw.length);
  for (let i = 0; i < raw.length; i++) weights[i] = raw.charCodeAt(i) << 24 >> 24;
  return weights;
}
