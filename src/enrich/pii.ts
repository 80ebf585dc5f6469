// PII detection and redaction over all detectors.
//
// Detectors can overlap (the GitHub token in "https://ghp_…@github.com" also reads as an email
// local part). Overlaps are settled by detector precedence: the more specific format wins, then
// the earlier, then the longer match.

import { creditCardDetector } from './pii/credit-card';
import { emailDetector } from './pii/email';
import { ibanDetector } from './pii/iban';
import { ipAddressDetector } from './pii/ip-address';
import { phoneDetector } from './pii/phone';
import { secretDetector } from './pii/secret';
import { ssnDetector } from './pii/ssn';
import { PII_TYPES, type Detector, type PiiMatch, type PiiType } from './pii/types';

export { PII_TYPES, type PiiMatch, type PiiType } from './pii/types';

/** In order of precedence when two detectors claim overlapping text. */
const DETECTORS: readonly Detector[] = [
  secretDetector,
  emailDetector,
  ibanDetector,
  creditCardDetector,
  ssnDetector,
  ipAddressDetector,
  phoneDetector,
];

export interface PiiReport {
  /** Distinct types found, in the order of PII_TYPES. */
  types: PiiType[];
  /** Non-overlapping matches, by position. */
  matches: PiiMatch[];
}

export function detectPII(text: string): PiiReport {
  const kept: PiiMatch[] = [];
  for (const detector of DETECTORS) {
    const found = detector
      .find(text)
      .map((span) => ({ type: detector.type, ...span }))
      .sort((a, b) => a.start - b.start || b.end - a.end);
    for (const match of found) insertIfFree(kept, match);
  }
  const present = new Set(kept.map((m) => m.type));
  return { types: PII_TYPES.filter((t) => present.has(t)), matches: kept };
}

/** Adds `match` to `kept` (sorted, non-overlapping) unless it overlaps a match already there. */
function insertIfFree(kept: PiiMatch[], match: PiiMatch): void {
  let low = 0;
  let high = kept.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (kept[mid].start < match.start) low = mid + 1;
    else high = mid;
  }
  const before = kept[low - 1];
  const after = kept[low];
  if ((before && before.end > match.start) || (after && after.start < match.end)) return;
  kept.splice(low, 0, match);
}

/**
 * Replaces detected PII with `[REDACTED:TYPE]` (type upper-cased). With `types`, only those kinds
 * are replaced (case-insensitive; unknown names are ignored).
 */
export function redactPII(text: string, types?: readonly string[]): string {
  const wanted = types ? new Set(types.map((t) => t.toLowerCase())) : undefined;
  let out = '';
  let from = 0;
  for (const match of detectPII(text).matches) {
    if (wanted && !wanted.has(match.type)) continue;
    out += text.slice(from, match.start) + `[REDACTED:${match.type.toUpperCase()}]`;
    from = match.end;
  }
  return out + text.slice(from);
}
