// Stage one of injection detection: the n-gram model's logits over the text, its windows and its
// decoded views, and the regex signals, combined by a small calibrated logistic layer (fit on
// held-out data by scripts/injection/train.ts) into one probability-like score.
//
// Cost is bounded whatever the prompt's length: every stage reads at most READ_BUDGET (6,000)
// characters. A longer text is read as its first and last 2,000 characters plus 4 windows of 500
// spread evenly over its middle; nothing else of it is looked at (no scan of the whole text), so a
// 20k-word prompt costs what a 6,000-character one does. No labelled row is longer than 5,480
// characters, so the training data is read whole and the shipped weights do not depend on this.
import { decodedTextBlocks } from './encoded';
import { heuristicFrom, SIGNAL_NAMES } from './heuristic';
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

/** Texts up to this many characters are read whole; longer ones are sampled to this many. */
export const READ_BUDGET = 6000;
const HEAD = 2000;
const TAIL = 2000;
const MIDDLE_WINDOWS = 4;
const MIDDLE_WINDOW = 500;

/**
 * Where the middle windows of a text of `length` characters start (none when it is read whole):
 * the middle cut into MIDDLE_WINDOWS equal parts, one window centred in each. Deterministic, so
 * the same prompt always gets the same score, and spread, so every part of a long prompt is sampled.
 */
export function middleWindowStarts(length: number): number[] {
  if (length <= READ_BUDGET) return [];
  const middle = length - HEAD - TAIL;
  const part = middle / MIDDLE_WINDOWS;
  const starts: number[] = [];
  for (let i = 0; i < MIDDLE_WINDOWS; i++) starts.push(HEAD + Math.max(0, Math.floor(part * (i + 0.5) - MIDDLE_WINDOW / 2)));
  return starts;
}

/** The part of `text` that is read: all of it, or head, tail and the sampled windows of the middle. */
export function boundedText(text: string): string {
  if (text.length <= READ_BUDGET) return text;
  const middleEnd = text.length - TAIL;
  const windows = middleWindowStarts(text.length).map((start) => text.slice(start, Math.min(middleEnd, start + MIDDLE_WINDOW)));
  return [text.slice(0, HEAD), ...windows, text.slice(middleEnd)].join('\n');
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const LOGIT_CLIP = 12;

interface Evidence {
  features: number[];
  signals: string[];
  /** Where the highest logit came from. */
  best: 'whole' | 'window' | ViewName;
}

function evidence(model: LinearModel, text: string): Evidence {
  const bounded = boundedText(text);
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
  const { features, signals, best } = evidence(detector.model, text);
  const score = Math.round(stackScore(detector.stacker, features) * 1000) / 1000;
  const named = [...signals];
  if (score >= detector.threshold) named.push('classifier', best === 'whole' ? 'view:plain' : best === 'window' ? 'window' : `view:${best}`);
  return { score, signals: named, features };
}
