// Stage one of injection detection: the n-gram model's logits over the text, its windows and its
// decoded views, and the regex signals, combined by a small calibrated logistic layer (fit on
// held-out data by scripts/injection/train.ts) into one probability-like score.
//
// Cost is bounded whatever the prompt's length: every stage but one reads at most READ_BUDGET
// (6,000) characters. A longer text is read as its first and last 1,464 characters plus the 4
// spans of 512 (read with 128 more on each side) that a cheap pass over the whole text (locate.ts:
// a word-only model's weights, summed per block) finds most suspect, so an instruction is read
// wherever it is placed; that pass is the one stage that reads everything (about 1.5
// `toLowerCase()` of the text). No labelled row is longer than
// 5,480 characters, so the training data is read whole and the shipped weights do not depend on this.
import { decodedTextBlocks } from './encoded';
import { heuristicFrom, SIGNAL_NAMES } from './heuristic';
import { BLOCK, SPAN, suspectSpans } from './locate';
import { spanLogits, type LinearModel, type SpanLogits } from './model';
import { normalizeForInjection } from './normalize';
import { decodedViews, type ViewName } from './views';

export interface Stacker {
  bias: number;
  /** One weight per stack feature, in the order of stackFeatures. */
  weights: number[];
}

export interface Detector {
  model: LinearModel;
  /** Word weights that pick the spans read of a long text (locate.ts). */
  locator: Int8Array;
  stacker: Stacker;
  /** Scores at or above this carry the `classifier` signal. */
  threshold: number;
}

export interface InjectionAnalysis {
  /** 0..1, three decimals. */
  score: number;
  /** Regex phrase families that fired, then `classifier` and the view (`view:base64`, ...) or `window` that scored highest. */
  signals: string[];
  /** The stack features the score was computed from (for the trainer). */
  features: number[];
}

/** Texts up to this many characters are read whole; longer ones are read to this many. */
export const READ_BUDGET = 6000;
const MIDDLE_SPANS = 4;
/**
 * Each chosen span is read with half a block more on either side: the locator may rank the two
 * blocks just before an instruction's end highest, and the margin reads the rest of it.
 */
const MARGIN = BLOCK / 2;
/** The head and the tail share what the spans leave of the budget (1,464 characters each). */
const HEAD = (READ_BUDGET - MIDDLE_SPANS * (SPAN + 2 * MARGIN)) / 2;
const TAIL = HEAD;

/** Where the middle spans read of a text start (none when it is read whole): the most suspect ones. */
export function middleSpanStarts(text: string, locator: Int8Array): number[] {
  if (text.length <= READ_BUDGET) return [];
  return suspectSpans(text, locator, HEAD, text.length - TAIL, MIDDLE_SPANS);
}

/** The part of `text` that is read: all of it, or head, tail and the most suspect spans of the middle. */
export function boundedText(text: string, locator: Int8Array): string {
  if (text.length <= READ_BUDGET) return text;
  const parts = [text.slice(0, HEAD)];
  let end = HEAD;
  for (const start of middleSpanStarts(text, locator)) {
    const from = Math.max(start - MARGIN, end);
    const to = Math.min(start + SPAN + MARGIN, text.length - TAIL);
    if (from >= to) continue;
    // Adjacent spans are read as one piece, so an instruction across their boundary stays whole.
    if (from === end) parts[parts.length - 1] += text.slice(from, to);
    else parts.push(text.slice(from, to));
    end = to;
  }
  if (end === text.length - TAIL) parts[parts.length - 1] += text.slice(end);
  else parts.push(text.slice(text.length - TAIL));
  return parts.join('\n');
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const LOGIT_CLIP = 12;

interface Evidence {
  features: number[];
  signals: string[];
  /** Where the highest logit came from. */
  best: 'whole' | 'window' | ViewName;
}

function evidence(model: LinearModel, locator: Int8Array, text: string): Evidence {
  const bounded = boundedText(text, locator);
  const normalized = normalizeForInjection(bounded);
  const b64 = decodedTextBlocks(bounded);
  const plain: SpanLogits = spanLogits(model, normalized);
  let best: Evidence['best'] = Math.max(plain.maxWindow, plain.maxShort) > plain.whole ? 'window' : 'whole';
  let top = Math.max(plain.whole, plain.maxWindow, plain.maxShort);
  for (const view of decodedViews(bounded, b64)) {
    const logits = spanLogits(model, normalizeForInjection(view.text));
    const logit = Math.max(logits.whole, logits.maxWindow, logits.maxShort);
    if (logit > top) {
      top = logit;
      best = view.name;
    }
  }
  const { signals } = heuristicFrom(bounded, normalized, b64);
  const fired = new Set(signals);
  // One "top" logit over every span and view: views are rare in calibration data, and a separate
  // weight for them would be fit on too few rows. The whole text's own logit is left out: it grows
  // with √length, so a long benign document would drown the one window that holds an injection.
  const features = [Math.max(-LOGIT_CLIP, Math.min(LOGIT_CLIP, top)), ...SIGNAL_NAMES.map((name) => (fired.has(name) ? 1 : 0))];
  return { features, signals, best };
}

/** Names of the stack features, in order (for the manifest). */
export const STACK_FEATURES: readonly string[] = ['logit_top', ...SIGNAL_NAMES.map((n) => `signal_${n}`)];

export function stackScore(stacker: Stacker, features: number[]): number {
  let z = stacker.bias;
  for (let i = 0; i < features.length; i++) z += stacker.weights[i]! * features[i]!;
  return sigmoid(z);
}

export function analyzeInjection(detector: Detector, text: string): InjectionAnalysis {
  const { features, signals, best } = evidence(detector.model, detector.locator, text);
  const score = Math.round(stackScore(detector.stacker, features) * 1000) / 1000;
  const named = [...signals];
  if (score >= detector.threshold) named.push('classifier', best === 'whole' ? 'view:plain' : best === 'window' ? 'window' : `view:${best}`);
  return { score, signals: named, features };
}
