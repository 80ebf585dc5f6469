// Runs one candidate pattern over a text and keeps the candidates a validator accepts.
//
// Why this is linear: every candidate pattern in this folder starts with a negative lookbehind,
// so a match can only begin where a token begins, and uses bounded quantifiers only, so one
// attempt reads at most a fixed number of characters. A rejected candidate resumes the search
// one position after where it started, so every start position is tried at most once:
// total work is O(text length × the pattern's bound).

import type { Span } from './types';

export function scanCandidates(
  text: string,
  pattern: RegExp,
  accept: (match: RegExpExecArray, text: string) => Span | undefined,
): Span[] {
  if (!pattern.global) throw new Error(`candidate pattern ${pattern} needs the g flag`);
  const spans: Span[] = [];
  pattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const span = accept(match, text);
    if (span) {
      spans.push(span);
      pattern.lastIndex = Math.max(span.end, match.index + 1);
    } else {
      pattern.lastIndex = match.index + 1;
    }
  }
  return spans;
}

/** The candidate as a span, when the validator needs no trimming. */
export function wholeMatch(match: RegExpExecArray): Span {
  return { start: match.index, end: match.index + match[0].length };
}
