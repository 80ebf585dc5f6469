// The regex signals (phrase families) and the score they had before the classifier: named signals, combined as independent evidence,
// score = 1 − Π(1 − weight) over the signals that fired. Weights (see injection/signals.ts):
//   ignore_previous_instructions 0.75 · system_prompt_exfiltration 0.7 · tool_abuse 0.7 ·
//   delimiter_injection 0.6 · role_override 0.5 · jailbreak_keywords 0.5 ·
//   encoded_payload 0.45 · invisible_characters 0.25
// One strong signal alone scores ≥ 0.7; two medium ones together do (0.5 and 0.5 → 0.75).
// A heuristic: it flags the common phrasings, not paraphrases or other languages. The classifier
// (../injection.ts) takes the fired signals as evidence next to its own score.

import { decodedTextBlocks } from './encoded';
import { normalizeForInjection } from './normalize';
import { ENCODED_PAYLOAD_WEIGHT, INVISIBLE_CHARACTERS_WEIGHT, SIGNALS } from './signals';

export interface HeuristicResult {
  /** 0..1, three decimals. */
  score: number;
  /** Names of the signals that fired, in a fixed order. */
  signals: string[];
}

/** Every signal name, in the order results list them. */
export const SIGNAL_NAMES: readonly string[] = [...SIGNALS.map((s) => s.name), 'encoded_payload', 'invisible_characters'];

// Unicode tag characters (U+E0000–U+E007F) carry invisible text; bidi overrides and zero-width
// spaces hide or reorder words. U+200D (zero-width joiner) is left out: emoji use it.
const TAG_CHARACTER = /\udb40[\udc00-\udc7f]/;
const HIDING_CHARACTERS = /[\u200b\u200c\u2060-\u2064\u202a-\u202e\u2066-\u2069]/g;
const DAN = /\bDAN\b/;

function matchingSignals(normalized: string): string[] {
  return SIGNALS.filter((s) => s.patterns.some((pattern) => pattern.test(normalized))).map((s) => s.name);
}

export function heuristicInjection(text: string): HeuristicResult {
  return heuristicFrom(text, normalizeForInjection(text), decodedTextBlocks(text));
}

/** The same, from work the caller has done already: the normalized text and the decoded base64 blocks. */
export function heuristicFrom(text: string, normalized: string, hidden: string[]): HeuristicResult {
  const weights = new Map(SIGNALS.map((s) => [s.name, s.weight]));
  weights.set('encoded_payload', ENCODED_PAYLOAD_WEIGHT);
  weights.set('invisible_characters', INVISIBLE_CHARACTERS_WEIGHT);

  const fired = new Set(matchingSignals(normalized));
  if (DAN.test(text)) fired.add('jailbreak_keywords');
  if (hidden.length > 0) fired.add('encoded_payload');
  // What the encoded text says counts as if it were written plainly (one level deep).
  for (const decoded of hidden) for (const name of matchingSignals(normalizeForInjection(decoded))) fired.add(name);
  if (TAG_CHARACTER.test(text) || (text.match(HIDING_CHARACTERS)?.length ?? 0) >= 3) fired.add('invisible_characters');

  const signals = [...weights.keys()].filter((name) => fired.has(name));
  const score = 1 - signals.reduce((keep, name) => keep * (1 - weights.get(name)!), 1);
  return { score: Math.round(score * 1000) / 1000, signals };
}
