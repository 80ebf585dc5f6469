// Email addresses: a local part, "@", and a domain of at least two labels with an alphabetic TLD.

import { scanCandidates } from './scan';
import type { Detector, Span } from './types';

// Bounded runs (local part ≤ 64, domain ≤ 253, the RFC 5321 limits) after a token-start lookbehind.
const CANDIDATE = /(?<![\w.%+-])[\w.%+-]{1,64}@[A-Za-z0-9.-]{1,253}/g;

// File names such as icon@2x.png look like addresses; these extensions are not TLDs.
const ASSET_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'ico', 'bmp', 'tif', 'tiff', 'avif']);

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TLD = /^(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9-]{1,59})$/;

function acceptEmail(match: RegExpExecArray): Span | undefined {
  const [candidate] = match;
  const at = candidate.indexOf('@');
  const local = candidate.slice(0, at);
  // A sentence may end right after the address: drop trailing dots and hyphens from the domain.
  const domain = candidate.slice(at + 1).replace(/[.-]+$/, '');
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return undefined;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return undefined;
  const tld = labels[labels.length - 1];
  if (!TLD.test(tld) || ASSET_EXTENSIONS.has(tld.toLowerCase())) return undefined;
  return { start: match.index, end: match.index + at + 1 + domain.length };
}

export const emailDetector: Detector = {
  type: 'email',
  find: (text) => (text.includes('@') ? scanCandidates(text, CANDIDATE, acceptEmail) : []),
};
