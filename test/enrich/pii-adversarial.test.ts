// One adversarial 100 KB input per detector: inputs built to make a backtracking pattern try
// every start position with long partial matches. The tests only check that detection returns
// (and what it finds), never how long it took; the patterns' linear-time argument is in
// src/enrich/pii/scan.ts and each detector file.

import { describe, expect, it } from 'vitest';
import { detectPII, redactPII } from '../../src/enrich/index';

const SIZE = 100_000;
const fill = (unit: string): string => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);

const adversarial: Record<string, string> = {
  email: fill('a.b@c.'), // every "@" starts a local part that never reaches a valid domain
  phone: fill('+1 (0)'), // endless separator and parenthesis groups after a country code
  credit_card: fill('4111 '), // four-digit groups that never close a card layout
  ssn: fill('123-45-'), // area and group without a serial, repeated
  iban: fill('DE89 '), // a country and check digits that never reach 22 characters
  ip_address: fill('1.1:'), // dotted and colon-separated groups that are neither v4 nor v6
  secret: fill('eyJa.'), // JWT-like segments that never form three long parts
  pem: `-----BEGIN PRIVATE KEY-----\n${fill('A')}`, // a key header with an endless body
  pem_headers: fill('-----BEGIN PRIVATE KEY-----'), // thousands of headers, no END line anywhere
};

describe('PII detection on adversarial 100 KB inputs', () => {
  it.each(Object.entries(adversarial))('%s input returns', (_name, text) => {
    expect(text.length).toBeGreaterThanOrEqual(SIZE);
    const { types } = detectPII(text);
    expect(Array.isArray(types)).toBe(true);
  });

  it('finds nothing in the inputs that contain no PII', () => {
    for (const name of ['email', 'phone', 'credit_card', 'ssn', 'iban', 'ip_address', 'secret']) {
      expect(detectPII(adversarial[name]).types, name).toEqual([]);
    }
  });

  it('still redacts real PII at both ends of a long adversarial text', () => {
    const text = `jane@example.com ${fill('a.b@c.')} 4111 1111 1111 1111`;
    const redacted = redactPII(text);
    expect(redacted.startsWith('[REDACTED:EMAIL] ')).toBe(true);
    expect(redacted.endsWith(' [REDACTED:CREDIT_CARD]')).toBe(true);
  });
});
