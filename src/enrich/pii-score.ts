// Scores the PII detectors against labelled strings (used by bench/pii.ts and the quality gate test).
// Counting is per string and type: a type both expected and found is a true positive.

import { detectPII, PII_TYPES, type PiiType } from './pii';

export interface PiiSampleEntry {
  text: string;
  types: string[];
}

export interface PiiTypeScore {
  type: PiiType;
  tp: number;
  fp: number;
  fn: number;
  /** tp / (tp + fp); NaN when the detector never fired. */
  precision: number;
  /** tp / (tp + fn); NaN when the sample has no such PII. */
  recall: number;
}

export interface PiiMistake {
  kind: 'FP' | 'FN';
  type: PiiType;
  text: string;
}

export function scorePiiSample(entries: readonly PiiSampleEntry[]): { perType: PiiTypeScore[]; mistakes: PiiMistake[] } {
  const counts = new Map(PII_TYPES.map((type) => [type, { tp: 0, fp: 0, fn: 0 }]));
  const mistakes: PiiMistake[] = [];
  for (const { text, types } of entries) {
    const expected = new Set(types);
    const found = new Set<string>(detectPII(text).types);
    for (const type of PII_TYPES) {
      const c = counts.get(type)!;
      if (expected.has(type) && found.has(type)) c.tp++;
      else if (found.has(type)) {
        c.fp++;
        mistakes.push({ kind: 'FP', type, text });
      } else if (expected.has(type)) {
        c.fn++;
        mistakes.push({ kind: 'FN', type, text });
      }
    }
  }
  const perType = PII_TYPES.map((type) => {
    const { tp, fp, fn } = counts.get(type)!;
    return { type, tp, fp, fn, precision: tp / (tp + fp), recall: tp / (tp + fn) };
  });
  return { perType, mistakes };
}
