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
  const { scale, bias } = model;
  const cum = prefixSums(model.weights, bucket, length);
  const whole = logit(bias, scale, cum, 0, length);
  if (text.length <= SHORT_WINDOW) return { whole, maxWindow: whole, maxShort: whole };
  const maxShort = maxWindowLogit(bias, scale, cum, pos, length, text.length, SHORT_WINDOW, SHORT_STRIDE);
  const maxWindow = text.length <= WINDOW ? whole : maxWindowLogit(bias, scale, cum, pos, length, text.length, WINDOW, STRIDE);
  return { whole, maxWindow, maxShort };
}

// The loops are in functions of their own, and no closure is made per call. With the sums' loop
// inside spanLogits, V8 compiled that loop on its own (on-stack replacement) before the calls
// after it had run, and the compiled loop was then entered and thrown away on every call: a
// deoptimization per prompt (node --trace-deopt), a large part of the cost and of its spread.

/** cum[t]: sum of the weights of tokens 0..t-1 (a reused scratch array, like tokenize's). */
function prefixSums(weights: Int8Array, bucket: Int32Array, length: number): Float64Array {
  if (scratchCum.length < length + 1) scratchCum = new Float64Array(length + 1);
  const cum = scratchCum;
  cum[0] = 0;
  for (let t = 0; t < length; t++) cum[t + 1] = cum[t]! + weights[bucket[t]!]!;
  return cum;
}

function logit(bias: number, scale: number, cum: Float64Array, from: number, to: number): number {
  return bias + (scale * (cum[to]! - cum[from]!)) / Math.sqrt(to - from);
}

/** Highest logit of the windows of `size` characters, every `stride`, over a text of `textLength` (longer than `size`). */
function maxWindowLogit(bias: number, scale: number, cum: Float64Array, pos: Int32Array, length: number, textLength: number, size: number, stride: number): number {
  let max = -Infinity;
  let from = 0;
  let to = 0;
  for (let start = 0; start < textLength; start += stride) {
    const end = start + size;
    while (from < length && pos[from]! < start) from++;
    while (to < length && pos[to]! < end) to++;
    if (to > from) max = Math.max(max, logit(bias, scale, cum, from, to));
    if (end >= textLength) break;
  }
  return max;
}

/** int8 weights from their base64 text; throws on a length that is not one byte a bucket. */
export function decodeWeights(base64: string, buckets: number = BUCKETS): Int8Array {
  const raw = atob(base64);
  if (raw.length !== buckets) throw new Error(`injection model: expected ${buckets} weights, got ${raw.length}`);
  const weights = new Int8Array(raw.length);
  for (let i = 0; i < raw.length; i++) weights[i] = raw.charCodeAt(i) << 24 >> 24;
  return weights;
}
