// IP addresses: dotted-quad IPv4 with octets 0-255 (no leading zeros), and IPv6 in full,
// compressed ("::") and IPv4-mapped forms.
//
// Known hard case, decided: "1.2.3.4" is a valid address and a valid version number. A quad
// right after a word such as "version", "v", "build", "release", "firmware" or "section" is
// read as a version or section number; everywhere else it is an address.

import { scanCandidates } from './scan';
import type { Detector, Span } from './types';

const IPV4_CANDIDATE = /(?<![\w.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\w]|\.\d)/g;
// Hex groups, colons and (for the mapped form) dots; at least one colon; bounded at 45 characters.
const IPV6_CANDIDATE = /(?<![\w:.])[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]{2,41}/g;

const VERSION_CONTEXT = /(?:\bv|\bversion|\bver\.?|\brelease|\bbuild|\bfirmware|\bsection|\bchapter|\bclause|\bstep|\bfigure|\btable|§) ?[:#=]? ?$/i;

function validOctets(quad: string): boolean {
  return quad.split('.').every((octet) => (octet === '0' || octet[0] !== '0') && Number(octet) <= 255);
}

function acceptIpv4(match: RegExpExecArray, text: string): Span | undefined {
  if (!validOctets(match[0])) return undefined;
  const before = text.slice(Math.max(0, match.index - 16), match.index).replace(/\s+/g, ' ');
  if (VERSION_CONTEXT.test(before)) return undefined;
  return { start: match.index, end: match.index + match[0].length };
}

const HAS_DIGIT = /\d/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const IPV4_TAIL = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Full check of one IPv6 literal (RFC 4291 text forms). */
export function isIpv6(address: string): boolean {
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const parts = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  let groupCount = parts.length;
  const last = parts[parts.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!address.endsWith(last) || !IPV4_TAIL.test(last) || !validOctets(last)) return false;
    parts.pop();
    groupCount += 1; // an IPv4 tail fills two groups
  }
  if (!parts.every((p) => HEX_GROUP.test(p))) return false;
  return halves.length === 2 ? groupCount <= 7 : groupCount === 8;
}

function acceptIpv6(match: RegExpExecArray): Span | undefined {
  let candidate = match[0];
  // Sentence punctuation and a port separator may follow the address.
  candidate = candidate.replace(/\.+$/, '');
  if (candidate.endsWith(':') && !candidate.endsWith('::')) candidate = candidate.slice(0, -1);
  // "a::b" and "dead:beef" read as code or words; real addresses in text carry at least one digit.
  if (!/\d/.test(candidate) || !isIpv6(candidate)) return undefined;
  return { start: match.index, end: match.index + candidate.length };
}

export const ipAddressDetector: Detector = {
  type: 'ip_address',
  find: (text) => [
    ...(text.includes('.') && HAS_DIGIT.test(text) ? scanCandidates(text, IPV4_CANDIDATE, acceptIpv4) : []),
    ...(text.includes(':') && HAS_DIGIT.test(text) ? scanCandidates(text, IPV6_CANDIDATE, acceptIpv6) : []),
  ],
};
