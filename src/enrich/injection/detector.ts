// Stage one of injection detection: the n-gram model's logits over the text, its windows and its
// decoded views, and the regex signals, combined by a small calibrated logistic layer (fit on
// held-out data by scripts/injection/train.ts) into one probability-like score.
//
// Cost is bounded whatever the prompt's length: a long text is read as its first and last 4,000
// characters plus up to 8 windows of its middle where an instruction-like word occurs, so a
// 20k-word prompt costs about what a 12k-character one does.
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

const HEAD = 4000;
const TAIL = 4000;
const MIDDLE_WINDOWS = 8;
const MIDDLE_WINDOW = 500;
// What an instruction aimed at a model tends to hold, strongest first, in a few languages. Each
// is a word without its first letter, so "Ignore" and "ignore" match without lower-casing the
// text (which costs more than the whole scan on a long non-Latin-1 prompt); indexOf is fast.
const TRIGGERS = ['gnor', 'isregard', 'orget', 'verrid', 'ou are now', 'rom now on', 'ssistant:', 'ystem:', '<|', 'INST]', 'nweisung', 'nstruc', 'struzion', 'нструкц', '忽略', '指示', 'assword'];

/** Where the middle windows start: around the strongest triggers found, then evenly spread. */
function middleStarts(text: string, from: number, to: number): number[] {
  const picked: number[] = [];
  const add = (start: number): void => {
    if (picked.length < MIDDLE_WINDOWS && !picked.some((p) => Math.abs(p - start) < MIDDLE_WINDOW)) picked.push(start);
  };
  for (const trigger of TRIGGERS) {
    for (let at = text.indexOf(trigger, from), seen = 0; at !== -1 && at < to && picked.length < MIDDLE_WINDOWS && seen < MIDDLE_WINDOWS; at = text.indexOf(trigger, at + MIDDLE_WINDOW), seen++) {
      add(Math.max(from, at - 200));
    }
  }
  const step = (to - from) / MIDDLE_WINDOWS;
  for (let i = 0; i < MIDDLE_WINDOWS && picked.length < MIDDLE_WINDOWS; i++) add(Math.floor(from + i * step));
  return picked.sort((a, b) => a - b);
}

/** The part of `text` that is read: all of it, or head, tail and triggered windows of the middle. */
export function boundedText(text: string): string {
  if (text.length <= HEAD + TAIL + MIDDLE_WINDOW) return text;
  const middleEnd = text.length - TAIL;
  const windows = middleStarts(text, HEAD, middleEnd).map((start) => text.slice(start, Math.min(middleEnd, start + MIDDLE_WINDOW)));
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
