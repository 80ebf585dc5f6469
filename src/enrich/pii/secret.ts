// Credentials by their published formats: OpenAI, Anthropic, AWS, GitHub, Slack, Google and
// Stripe keys, PEM private keys and JWTs. Placeholders ("sk-xxxx…", "sk-your-key-here",
// AWS's documented AKIAIOSFODNN7EXAMPLE) are not reported.

import { scanCandidates, wholeMatch } from './scan';
import type { Detector, Span } from './types';

// All prefixes are literal and every run is bounded; the lookbehind keeps starts at token starts.
const TOKEN = /(?<![A-Za-z0-9_-])(?:sk-[A-Za-z0-9_-]{20,300}|(?:sk|rk)_live_[A-Za-z0-9]{20,200}|(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}|gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{50,250}|xox[baprs]-[A-Za-z0-9-]{10,250}|AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/g;
const JWT = /(?<![A-Za-z0-9_.-])eyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{16,4096}/g;
const PEM_HEADER = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/g;

/** Random keys mix cases and digits; placeholders and prose do not. */
function looksRandom(body: string): boolean {
  return /[0-9]/.test(body) && /[a-z]/.test(body) && /[A-Z]/.test(body);
}

function acceptToken(match: RegExpExecArray): Span | undefined {
  const [token] = match;
  if (token.startsWith('sk-') && !looksRandom(token.slice(3))) return undefined;
  if (token.startsWith('xox') && !/[0-9]/.test(token)) return undefined;
  if (/^A[A-Z]{3}/.test(token) && token.endsWith('EXAMPLE')) return undefined;
  return wholeMatch(match);
}

// A key block is at most a few KB; this bounds the search for its END line.
const PEM_MAX_LENGTH = 16 * 1024;
const BASE64_LINE = /^[A-Za-z0-9+/=]+$/;
const FULL_LINE = 40;

/**
 * End of a PEM body that has no END line (a truncated paste): the full-length base64 lines
 * after the header and the one shorter line that may close them. Prose after the key is left alone.
 */
function endOfTruncatedBody(text: string, afterHeader: number): number {
  const lines = text.slice(afterHeader, afterHeader + PEM_MAX_LENGTH).split('\n');
  if (lines.length < 2 || lines[0].replace(/\r$/, '') !== '') return afterHeader;
  let end = afterHeader + lines[0].length;
  for (const raw of lines.slice(1)) {
    const line = raw.replace(/\r$/, '');
    if (!BASE64_LINE.test(line)) break;
    end += 1 + line.length;
    if (line.length < FULL_LINE) break;
    end += raw.length - line.length;
  }
  return end;
}

/**
 * PEM private keys: the header through its END line, or through the base64 body when the END
 * line is missing. The position of the next END line is found once and reused by later headers,
 * so many headers without END lines still cost one pass over the text.
 */
function findPemBlocks(text: string): Span[] {
  let nextEnd: number | undefined;
  return scanCandidates(text, PEM_HEADER, (match) => {
    const start = match.index;
    const afterHeader = start + match[0].length;
    if (nextEnd === undefined || (nextEnd !== -1 && nextEnd < afterHeader)) nextEnd = text.indexOf('-----END ', afterHeader);
    if (nextEnd !== -1 && nextEnd - start < PEM_MAX_LENGTH) {
      const close = text.slice(nextEnd + 9, nextEnd + 64).indexOf('-----');
      if (close !== -1) return { start, end: nextEnd + 9 + close + 5 };
    }
    return { start, end: endOfTruncatedBody(text, afterHeader) };
  });
}

export const secretDetector: Detector = {
  type: 'secret',
  find: (text) => [
    ...scanCandidates(text, TOKEN, acceptToken),
    ...scanCandidates(text, JWT, wholeMatch),
    ...findPemBlocks(text),
  ],
};
