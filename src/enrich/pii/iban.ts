// International bank account numbers: country code, two check digits and the national account
// number, at the country's registered length, written compact or in groups of four; mod-97 checked.

import { ibanChecksumValid } from './checksums';
import { IBAN_LENGTHS } from './iban-lengths';
import { scanCandidates } from './scan';
import type { Detector, Span } from './types';

// Bounded: 2 letters, 2 digits, then at most 40 characters of account and spaces (34 + spaces).
const CANDIDATE = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}[ A-Za-z0-9]{10,40}/g;
const ALNUM = /[A-Za-z0-9]/;

function acceptIban(match: RegExpExecArray): Span | undefined {
  const candidate = match[0];
  const expected = IBAN_LENGTHS[candidate.slice(0, 2).toUpperCase()];
  if (!expected) return undefined;
  // Walk until the expected number of characters is read; spaces may only stand alone.
  let compact = '';
  let i = 0;
  while (i < candidate.length && compact.length < expected) {
    const ch = candidate[i];
    if (ch === ' ') {
      if (candidate[i + 1] === ' ' || candidate[i + 1] === undefined) return undefined;
    } else {
      compact += ch;
    }
    i++;
  }
  if (compact.length !== expected || ALNUM.test(candidate[i] ?? '')) return undefined;
  const upper = compact.toUpperCase();
  const check = Number(upper.slice(2, 4));
  if (check < 2 || check > 98 || !ibanChecksumValid(upper)) return undefined;
  return { start: match.index, end: match.index + i };
}

export const ibanDetector: Detector = {
  type: 'iban',
  find: (text) => scanCandidates(text, CANDIDATE, acceptIban),
};
