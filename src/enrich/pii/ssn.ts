// US Social Security numbers: AAA-GG-SSSS (dashes or spaces) with a valid area, group and
// serial; nine bare digits count only right after an "SSN" / "social security" label.

import { afterIdentifierLabel, endsCleanly } from './number-context';
import { scanCandidates } from './scan';
import type { Detector, Span } from './types';

const NOT_INSIDE_A_NUMBER = String.raw`(?<![\w+]|\w[-/.,]|\d[ -])`;
const SEPARATED = new RegExp(String.raw`${NOT_INSIDE_A_NUMBER}(\d{3})([- ])(\d{2})\2(\d{4})`, 'g');
const BARE = new RegExp(String.raw`${NOT_INSIDE_A_NUMBER}(\d{3})()(\d{2})(\d{4})`, 'g');
// Checked on a short window before the number; no unbounded quantifier.
const SSN_LABEL = /(?:\bssn|\bss#|\bsocial security(?: (?:number|no\.?|#))?)(?: is)?[ :#=]{0,3}$/i;

/** Never issued: area 000, 666 or 900-999, group 00, serial 0000 (SSA rules). */
function validParts(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

function accept(requireLabel: boolean) {
  return (match: RegExpExecArray, text: string): Span | undefined => {
    const [whole, area, , group, serial] = match;
    const start = match.index;
    const end = start + whole.length;
    if (!endsCleanly(text, end) || !validParts(area, group, serial)) return undefined;
    if (afterIdentifierLabel(text, start)) return undefined;
    if (requireLabel && !SSN_LABEL.test(text.slice(Math.max(0, start - 40), start).replace(/\s+/g, ' '))) return undefined;
    return { start, end };
  };
}

export const ssnDetector: Detector = {
  type: 'ssn',
  find: (text) => (/\d/.test(text) ? [...scanCandidates(text, SEPARATED, accept(false)), ...scanCandidates(text, BARE, accept(true))] : []),
};
