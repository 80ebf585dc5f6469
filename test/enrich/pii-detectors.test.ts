import { describe, expect, it } from 'vitest';
import { detectPII, redactPII, type PiiType } from '../../src/enrich/index';

const typesOf = (text: string): PiiType[] => detectPII(text).types;

// Each row: text, and the types expected ([] for a near miss that must not be reported).
const cases: Record<PiiType, Array<[string, PiiType[]]>> = {
  email: [
    ['write to jane.doe+news@example.co.uk today', ['email']],
    ['mailto:someone@example.com?subject=hi', ['email']],
    ['end of sentence bob@example.org.', ['email']],
    ['follow @jane on X', []],
    ['ssh user@localhost', []],
    ['icon@2x.png', []],
    ['npm i lodash@4.17.21', []],
    ['x@y.z', []],
  ],
  phone: [
    ['(415) 555-0132', ['phone']],
    ['call 415-555-0199 now', ['phone']],
    ['+44 20 7946 0958', ['phone']],
    ['+49 (0)89 1234567', ['phone']],
    ['06 12 34 56 78', ['phone']],
    ['030 12345678', ['phone']],
    ['0049 30 1234567', ['phone']],
    ['+14155550132', ['phone']],
    ['on 2024-11-22 at 10:30', []],
    ['05.12.2024 14:00', []],
    ['Order #0123 456789', []],
    ['Ticket 4155550132', []],
    ['ISBN 978-0-306-40615-7', []],
    ['+15.3 °C', []],
  ],
  credit_card: [
    ['4111 1111 1111 1111', ['credit_card']],
    ['5555-5555-5555-4444', ['credit_card']],
    ['amex 3782 822463 10005', ['credit_card']],
    ['4012888888881881 exp 12/26', ['credit_card']],
    ['4111 1111 1111 1112', []], // Luhn fails
    ['1234 5678 9012 3452', []], // Luhn passes, no network starts with 1
    ['IMEI 490154203237518', []], // Luhn-valid, but 15 digits starting with 4 is no card length
    ['Order #4111111111111111', []],
    ['4111-1111 1111-1111', []], // mixed separators are not one number
  ],
  ssn: [
    ['SSN 123-45-6789', ['ssn']],
    ['ssn: 123 45 6789', ['ssn']],
    ['social security number 123456789', ['ssn']],
    ['000-12-3456', []],
    ['666-12-3456', []],
    ['912-34-5678', []],
    ['123-00-4567', []],
    ['123-45-0000', []],
    ['id 123456789', []], // bare nine digits need an SSN label
    ['part 123-45-6789-B', []],
  ],
  iban: [
    ['DE89 3704 0044 0532 0130 00', ['iban']],
    ['DE89370400440532013000', ['iban']],
    ['gb82 west 1234 5698 7654 32', ['iban']],
    ['DE88 3704 0044 0532 0130 00', []], // check digits wrong
    ['DE89 3704 0044 0532 0130', []], // too short for DE
    ['VAT DE123456789', []],
  ],
  ip_address: [
    ['from 203.0.113.5 port 22', ['ip_address']],
    ['127.0.0.1:8080', ['ip_address']],
    ['2001:db8::ff00:42:8329', ['ip_address']],
    ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', ['ip_address']],
    ['[::1]:443', ['ip_address']],
    ['::ffff:192.0.2.128', ['ip_address']],
    ['10.2.3.400', []],
    ['version 1.2.3.4', []],
    ['section 4.2.1.3', []],
    ['1.2.3.4.5', []],
    ['192.168.01.1', []],
    ['12:30:45', []],
    ['00:1A:2B:3C:4D:5E', []],
    ['std::vector<int>', []],
    ['a::b', []],
  ],
  secret: [
    [`sk-${'aB3'.repeat(16)}`, ['secret']],
    [`sk-proj-${'Xy9_'.repeat(20)}`, ['secret']],
    [`sk-ant-api03-${'Qw8-'.repeat(23)}AA`, ['secret']],
    ['AKIA2E0A8F3B244C9986', ['secret']],
    [`ghp_${'a1B2'.repeat(9)}`, ['secret']],
    [`github_pat_${'A1b2C3d4E5'.repeat(6)}`, ['secret']],
    ['xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', ['secret']],
    [`AIza${'Sy0_-'.repeat(7)}`, ['secret']],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----', ['secret']],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', ['secret']],
    ['sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', []],
    ['AKIAIOSFODNN7EXAMPLE', []],
    ['scikit-learn (sk-learn)', []],
    ['xoxb-your-token-goes-here', []],
    ['-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----', []],
  ],
};

describe.each(Object.entries(cases))('%s detector', (_type, rows) => {
  it.each(rows)('%j → %j', (text, expected) => {
    expect(typesOf(text)).toEqual(expected);
  });
});

describe('detectPII', () => {
  it('reports spans that cover exactly the PII', () => {
    const text = 'Mail jane@example.com or call +44 20 7946 0958.';
    const { matches } = detectPII(text);
    expect(matches.map((m) => [m.type, text.slice(m.start, m.end)])).toEqual([
      ['email', 'jane@example.com'],
      ['phone', '+44 20 7946 0958'],
    ]);
  });

  it('lets the more specific detector win an overlap (a token in a URL is a secret, not an email)', () => {
    const token = `ghp_${'a1B2'.repeat(9)}`;
    expect(typesOf(`git clone https://${token}@github.com/acme/app.git`)).toEqual(['secret']);
  });

  it('covers a whole PEM block, and the body of one without an END line', () => {
    const block = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----';
    expect(redactPII(`key:\n${block}\nthanks`)).toBe('key:\n[REDACTED:SECRET]\nthanks');
    const line = 'MHcCAQEEIBkgAoGCCqGSM49AwEHoUQDQgAE'.repeat(2);
    const truncated = `-----BEGIN EC PRIVATE KEY-----\n${line}\n${line}\nAoGCCq==`;
    expect(redactPII(`${truncated}\nplease help`)).toBe('[REDACTED:SECRET]\nplease help');
    expect(redactPII(`${truncated.replace(/\n/g, '\r\n')}\r\nplease help`)).toBe('[REDACTED:SECRET]\r\nplease help');
  });

  it('finds nothing in ordinary prose and code', () => {
    for (const text of ['Summarize this article in three bullet points.', 'for (let i = 0; i < 10; i++) sum += i;', 'Total: $1,299.99 on 2024-11-22']) {
      expect(detectPII(text)).toEqual({ types: [], matches: [] });
    }
  });
});

describe('redactPII', () => {
  const text = 'Jane (jane@example.com, 415-555-0132) paid with 4111 1111 1111 1111 from 203.0.113.5.';

  it('replaces every match with [REDACTED:TYPE]', () => {
    expect(redactPII(text)).toBe('Jane ([REDACTED:EMAIL], [REDACTED:PHONE]) paid with [REDACTED:CREDIT_CARD] from [REDACTED:IP_ADDRESS].');
  });

  it('replaces only the types asked for, case-insensitively, ignoring unknown names', () => {
    expect(redactPII(text, ['EMAIL', 'credit_card', 'no_such_type'])).toBe(
      'Jane ([REDACTED:EMAIL], 415-555-0132) paid with [REDACTED:CREDIT_CARD] from 203.0.113.5.',
    );
  });

  it('leaves text without PII unchanged, and redacts nothing for an empty type list', () => {
    expect(redactPII('nothing here')).toBe('nothing here');
    expect(redactPII(text, [])).toBe(text);
  });
});
