// Prompt-injection score (stage one, always on, no network): the shipped classifier
// (injection/model-data.ts, trained by `npm run train:injection`) over the text, its windows and
// its decoded views, calibrated together with the regex phrase families (injection/heuristic.ts).
//
// `signals` explains a score: the phrase families that fired (ignore_previous_instructions,
// system_prompt_exfiltration, ...), and, when the score reaches the model's threshold,
// `classifier` with where the evidence was strongest: `view:plain`, `window` (one part of a
// long text) or a decoded view (`view:base64`, `view:rot13`, `view:leetspeak`, ...).
//
// The weights (256 KiB of int8) are decoded on the first call, not at import: a worker whose
// bundle never reads an injection field does not pay for them at cold start.
import { analyzeInjection, type Detector } from './injection/detector';
import { decodeWeights } from './injection/model';
import { LOCATOR_BUCKETS } from './injection/locate';
import { LOCATOR_WEIGHTS_BASE64, MODEL_PARAMS, MODEL_WEIGHTS_BASE64 } from './injection/model-data';

export interface InjectionResult {
  /** 0..1, three decimals. */
  score: number;
  /** Phrase families that fired, then `classifier` and its view when the score reaches the threshold. */
  signals: string[];
}

let shipped: Detector | undefined;

/** The shipped detector (decoded once per isolate or process). */
export function shippedDetector(): Detector {
  shipped ??= {
    model: { weights: decodeWeights(MODEL_WEIGHTS_BASE64), scale: MODEL_PARAMS.scale, bias: MODEL_PARAMS.bias },
    locator: decodeWeights(LOCATOR_WEIGHTS_BASE64, LOCATOR_BUCKETS),
    stacker: MODEL_PARAMS.stacker,
    threshold: MODEL_PARAMS.threshold,
  };
  return shipped;
}

/** The threshold at which the shipped model adds its `classifier` signal. */
export const INJECTION_THRESHOLD: number = MODEL_PARAMS.threshold;

export function injectionScore(text: string): InjectionResult {
  const { score, signals } = analyzeInjection(shippedDetector(), text);
  return { score, signals };
}
