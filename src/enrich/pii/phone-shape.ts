// Reads a phone-number candidate as digit groups and separators, the way a person writes one:
// "44 (0)20 7946 0958" is the groups 44 | (0) | 20 | 7946 | 0958.

export interface PhoneShape {
  groups: Array<{ digits: string; parenthesised: boolean }>;
  /** Separator characters between groups ('' where a parenthesis alone separates them). */
  separators: string[];
  /** How much of the candidate was read: the rest did not look like part of the number. */
  length: number;
}

const SEPARATORS = ' .-/';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Reads groups until the text stops looking like one phone number: two separators in a row,
 * an unclosed parenthesis, or a separator that no digit group follows.
 */
export function readPhoneShape(candidate: string): PhoneShape | undefined {
  const shape: PhoneShape = { groups: [], separators: [], length: 0 };
  let i = 0;
  let separator = '';
  for (;;) {
    const parenthesised = candidate[i] === '(';
    const groupStart = parenthesised ? i + 1 : i;
    let j = groupStart;
    while (isDigit(candidate[j])) j++;
    if (j === groupStart || (parenthesised && candidate[j] !== ')')) break;
    if (shape.groups.length > 0) shape.separators.push(separator);
    shape.groups.push({ digits: candidate.slice(groupStart, j), parenthesised });
    i = parenthesised ? j + 1 : j;
    shape.length = i;
    separator = '';
    if (SEPARATORS.includes(candidate[i] ?? '\0')) {
      separator = candidate[i];
      i++;
    } else if (!(parenthesised && isDigit(candidate[i])) && !(candidate[i] === '(' && !parenthesised)) {
      break; // "(0)20" and "44(0)" need no separator; anything else ends the number
    }
  }
  return shape.groups.length > 0 ? shape : undefined;
}

export function digitCount(shape: PhoneShape): number {
  return shape.groups.reduce((n, g) => n + g.digits.length, 0);
}
