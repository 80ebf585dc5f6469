// Phone numbers: international (+CC or 00CC) and the national forms of the US, UK, France and
// Germany. National forms need separators: a bare run of ten digits is more often an order
// number or a timestamp than a phone number.

import { afterIdentifierLabel, endsCleanly } from './number-context';
import { digitCount, readPhoneShape, type PhoneShape } from './phone-shape';
import { scanCandidates } from './scan';
import type { Detector, Span } from './types';

// Each candidate is a bounded run of digits, separators and parentheses after a token-start
// lookbehind (not after a letter, a digit, "+", or a digit and a joiner).
const NOT_INSIDE_A_NUMBER = String.raw`(?<![\w+]|\w[-/.,]|\d )`;
const INTERNATIONAL = new RegExp(String.raw`${NOT_INSIDE_A_NUMBER}(?:\+|00(?=[1-9]))[1-9][\d ()./-]{5,24}`, 'g');
const US = new RegExp(String.raw`${NOT_INSIDE_A_NUMBER}(?:1[ .-])?(?:\([2-9]\d\d\) ?|[2-9]\d\d[ .-])\d{3}[ .-]\d{4}`, 'g');
const NATIONAL_TRUNK = new RegExp(String.raw`${NOT_INSIDE_A_NUMBER}\(?0[1-9][\d ()./-]{5,18}`, 'g');

function accepted(text: string, start: number, end: number): Span | undefined {
  if (!endsCleanly(text, end) || afterIdentifierLabel(text, start)) return undefined;
  return { start, end };
}

function acceptInternational(match: RegExpExecArray, text: string): Span | undefined {
  const prefix = match[0].startsWith('+') ? 1 : 2;
  const shape = readPhoneShape(match[0].slice(prefix));
  if (!shape) return undefined;
  // "00" numbers without separators are as often account or transaction numbers.
  if (prefix === 2 && shape.groups.length < 2) return undefined;
  // A "(0)" trunk prefix is written but not dialled; E.164 allows at most 15 digits.
  const trunk = shape.groups.filter((g) => g.parenthesised && g.digits === '0').length;
  const dialled = digitCount(shape) - trunk;
  if (dialled < 8 || dialled > 15) return undefined;
  return accepted(text, match.index, match.index + prefix + shape.length);
}

function acceptUs(match: RegExpExecArray, text: string): Span | undefined {
  return accepted(text, match.index, match.index + match[0].length);
}

/** French style: 0X XX XX XX XX with one separator throughout. */
function isFrenchShape(shape: PhoneShape): boolean {
  return (
    shape.groups.length === 5 &&
    shape.groups.every((g) => g.digits.length === 2 && !g.parenthesised) &&
    shape.separators.every((s) => s !== '' && s === shape.separators[0])
  );
}

/** UK and German style: a 0-prefixed area code, then the subscriber number in one to three groups. */
function isTrunkShape(shape: PhoneShape): boolean {
  const [area, ...rest] = shape.groups;
  const total = digitCount(shape);
  return (
    area.digits.length >= 3 &&
    area.digits.length <= 5 &&
    rest.length >= 1 &&
    rest.length <= 3 &&
    rest.every((g) => g.digits.length >= 2 && !g.parenthesised) &&
    total >= 9 &&
    total <= 12 &&
    // Outside France, dots separate dates and versions far more often than phone groups.
    !shape.separators.includes('.')
  );
}

function acceptNational(match: RegExpExecArray, text: string): Span | undefined {
  const shape = readPhoneShape(match[0]);
  if (!shape || shape.groups.length < 2) return undefined;
  if (!isFrenchShape(shape) && !isTrunkShape(shape)) return undefined;
  return accepted(text, match.index, match.index + shape.length);
}

export const phoneDetector: Detector = {
  type: 'phone',
  find: (text) =>
    /\d/.test(text)
      ? [
          ...scanCandidates(text, INTERNATIONAL, acceptInternational),
          ...scanCandidates(text, US, acceptUs),
          ...scanCandidates(text, NATIONAL_TRUNK, acceptNational),
        ]
      : [],
};
