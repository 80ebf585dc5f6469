// Stage one of injection detection: the n-gram model's logits over the text, its windows and its
// decoded views, and the regex signals, combined by a small calibrated logistic layer (fit on
// held-out data by scripts/injection/train.ts) into one probability-like score.
//
// Cost is bounded whatever the prompt's length: a long text is read as its first and last 4,000
// characters plus up to 8 windows of its middle where an instruction-like word occurs, so a
// 20k-word prompt costs about what a 12k-character one does.
import { heuristicInjection, SIGNAL_NAMES } from './heuristic';
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
// Words an instruction aimed at a model tends to hold, in a few languages.
const TRIGGER = /ignor|disregard|instruct|system|prompt|assistant|you are|you must|from now|<\||\[inst|anweisung|instrucci|consigne|istruzion|инструкц|指示|指令|忽略/gi;

/** The part of `text` that is read: all of it, or head, tail and triggered windows of the middle. */
export function boundedText(text: string): string {
  if (text.length <= HEAD + TAIL + MIDDLE_WINDOW) return text;
  const parts = [text.slice(0, HEAD)];
  const middleEnd = text.length - TAIL;
  TRIGGER.lastIndex = HEAD;
  let taken = 0;
  for (let m = TRIGGER.exec(text); m !== null && m.index < middleEnd && taken < MIDDLE_WINDOWS; m = TRIGGER.exec(text)) {
    const start = Math.max(HEAD, m.index - 200);
    const end = Math.min(middleEnd, start + MIDDLE_WINDOW);
    parts.push(text.slice(start, end));
    taken++;
    TRIGGER.lastIndex = end;
  }
  parts.push(text.slice(middleEnd));
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

function evidence(model: LinearModel, text: string): Evidence {
  const bounded = boundedText(text);
  const plain: SpanLogits = spanLogits(model, normalizeForInjection(bounded));
  let best: Evidence['best'] = Math.max(plain.maxWindow, plain.maxShort) > plain.whole ? 'window' : 'whole';
  let top = Math.max(plain.whole, plain.maxWindow, plain.maxShort);
  for (const view of decodedViews(bounded)) {
    const logits = spanLogits(model, normalizeForInjection(view.text));
    const logit = Math.max(logits.whole, logits.maxWindow, logits.maxShort);
    if (logit > top) {
      top = logit;
      best = view.name;
    }
  }
  const { signals } = heuristicInjection(bounded);
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
