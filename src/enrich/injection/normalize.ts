// Text as the injection patterns read it: lower case, invisible characters removed, every run
// of spaces a single space and every run of line breaks a single "\n". The patterns can then
// use one literal space where a person would type any amount of white space, which keeps them
// free of adjacent, overlapping quantifiers.

// Zero-width and bidirectional-control characters are used to hide words from filters.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

export function normalizeForInjection(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .toLowerCase()
    // Only runs that are not already a single space are rewritten (most of them are).
    .replace(/(?: [^\S\n]|[^\S\n ])[^\S\n]*/g, ' ')
    .replace(/ ?\n[\s]*/g, '\n');
}
