// Payment card numbers: 13 to 19 digits, written plain or in the usual groups, that pass the
// Luhn check and fall in a known network's IIN range with that network's length.

import { cardBrand } from './card-brands';
import { luhnValid } from './checksums';
import { afterIdentifierLabel, endsCleanly } from './number-context';
import { scanCandidates, wholeMatch } from './scan';
import type { Detector, Span } from './types';

// Alternatives are the printed layouts: 4-4-4-4-3, 4-4-4-4, 4-6-5 / 4-6-4 (Amex, Diners), plain.
// The separator is captured once and repeated, so "4111 1111-1111 1111" is not one number.
// Every quantifier is a fixed count or a bounded range; the lookbehind keeps starts at token starts.
const CANDIDATE = new RegExp(
  String.raw`(?<![\w+]|\w[-/.,]|\d[ -])` +
    String.raw`(?:\d{4}([ -])\d{4}\1\d{4}\1\d{4}\1\d{3}|\d{4}([ -])\d{4}\2\d{4}\2\d{4}|\d{4}([ -])\d{6}\3\d{4,5}|\d{13,19})`,
  'g',
);

function acceptCard(match: RegExpExecArray, text: string): Span | undefined {
  const span = wholeMatch(match);
  // A card number is often followed by its expiry ("4111… 04/27"), so a following digit group is allowed.
  if (!endsCleanly(text, span.end, true)) return undefined;
  const digits = match[0].replace(/[ -]/g, '');
  if (!cardBrand(digits) || !luhnValid(digits)) return undefined;
  if (afterIdentifierLabel(text, span.start)) return undefined;
  return span;
}

export const creditCardDetector: Detector = {
  type: 'credit_card',
  find: (text) => (/\d/.test(text) ? scanCandidates(text, CANDIDATE, acceptCard) : []),
};
