import fc from 'fast-check';
import { encode as encodeCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { encode as encodeO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { encodeChat as encodeChatGpt4o } from 'gpt-tokenizer/model/gpt-4o';
import { describe, expect, it } from 'vitest';
import { EXACT_BUDGET_CHARS, MAX_RUN } from '../../src/enrich/bounded-count';
import { countMessageTokens, countTokens } from '../../src/enrich/index';
import { tokenizerFor } from '../../src/enrich/model-family';

const asText = { disallowedSpecial: new Set<string>() };
const exactO200k = (t: string): number => encodeO200k(t, asText).length;
const exactCl100k = (t: string): number => encodeCl100k(t, asText).length;

describe('tokenizer choice', () => {
  it.each([
    ['gpt-4o', 'o200k_base'], ['gpt-4o-mini-2024-07-18', 'o200k_base'], ['gpt-4.1', 'o200k_base'], ['gpt-5-mini', 'o200k_base'],
    ['o1', 'o200k_base'], ['o3-mini', 'o200k_base'], ['o4-mini', 'o200k_base'], ['chatgpt-4o-latest', 'o200k_base'],
    ['openai/gpt-4o', 'o200k_base'], ['ft:gpt-4o-mini:acme::abc123', 'o200k_base'],
    ['gpt-4', 'cl100k_base'], ['gpt-4-turbo', 'cl100k_base'], ['gpt-3.5-turbo', 'cl100k_base'], ['text-embedding-3-small', 'cl100k_base'],
  ])('%s uses %s exactly', (model, encoding) => {
    expect(tokenizerFor(model)).toMatchObject({ encoding, exact: true, factor: 1 });
  });

  it.each([['claude-3-5-sonnet-20241022', 1.25], ['gemini-2.5-pro', 1.1], ['llama-3.1-70b', 1.1], ['mistral-large-latest', 1.1], ['some-new-model', 1.1], [undefined, 1.1]])(
    '%s is approximated from cl100k × %s',
    (model, factor) => {
      expect(tokenizerFor(model)).toMatchObject({ encoding: 'cl100k_base', exact: false, factor });
    },
  );
  it('does not mistake o-prefixed names for the o-series', () => {
    expect(tokenizerFor('o1-preview').encoding).toBe('o200k_base');
    expect(tokenizerFor('orca-2').exact).toBe(false);
  });
});

describe('countTokens', () => {
  it('matches the real tokenizer for OpenAI families', () => {
    const text = 'Tokenizers split text into pieces: "unbelievable", 12345, and émojis 🎉 too.';
    expect(countTokens(text, 'gpt-4o')).toBe(exactO200k(text));
    expect(countTokens(text, 'gpt-4')).toBe(exactCl100k(text));
    expect(countTokens('hello world', 'gpt-4o')).toBe(2);
  });

  it('equals the exact count for any text within the budget without long runs (property)', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9éü日本,.!?'-]{1,12}$/);
    const textArb = fc.array(fc.tuple(word, fc.constantFrom(' ', '\n', '  ', '\t')), { maxLength: 200 }).map((parts) => parts.flat().join(''));
    fc.assert(
      fc.property(textArb, (text) => countTokens(text, 'gpt-4o') === exactO200k(text) && countTokens(text, 'gpt-3.5-turbo') === exactCl100k(text)),
      { numRuns: 200 },
    );
  });

  it('counts special-token text as plain text instead of throwing', () => {
    const text = 'a <|endoftext|> b <|im_start|>';
    expect(countTokens(text, 'gpt-4o')).toBe(exactO200k(text));
    expect(countTokens(text, 'gpt-4o')).toBeGreaterThan(4);
  });

  it('scales the cl100k count for approximated families', () => {
    const text = 'Claude and Gemini have their own tokenizers, so this count is an approximation.';
    expect(countTokens(text, 'claude-3-5-sonnet')).toBe(Math.ceil(exactCl100k(text) * 1.25));
    expect(countTokens(text, 'gemini-2.0-flash')).toBe(Math.ceil(exactCl100k(text) * 1.1));
    expect(countTokens(text)).toBe(Math.ceil(exactCl100k(text) * 1.1));
  });

  it('is 0 for empty text', () => {
    expect(countTokens('', 'gpt-4o')).toBe(0);
  });

  it('stays close to the exact count on long unbroken runs, which it slices', () => {
    const base64 = btoa(String.fromCharCode(...Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)));
    const cjk = '東京は日本の首都であり、世界で最も人口の多い都市圏の一つです。'.repeat(30);
    for (const text of [base64, cjk]) {
      expect(text.length).toBeGreaterThan(MAX_RUN * 10);
      const exact = exactO200k(text);
      expect(Math.abs(countTokens(text, 'gpt-4o') - exact) / exact).toBeLessThan(0.03);
    }
  });

  it('extrapolates beyond the budget within 2% on long mixed text', () => {
    const paragraph = 'In 2024 the committee reviewed 37 proposals; 12 were accepted after two rounds of review. ';
    const code = 'function add(a, b) { return a + b; } // adds two numbers\n';
    const text = (paragraph.repeat(3) + code).repeat(Math.ceil((EXACT_BUDGET_CHARS * 4) / (paragraph.length * 3 + code.length)));
    expect(text.length).toBeGreaterThan(EXACT_BUDGET_CHARS * 3);
    const exact = exactO200k(text);
    expect(Math.abs(countTokens(text, 'gpt-4o') - exact) / exact).toBeLessThan(0.02);
  });

  it('returns a positive count for inputs that are quadratic for BPE (100 KB runs)', () => {
    for (const text of [' '.repeat(100_000) + 'x', 'a'.repeat(100_000), '日本語のテキスト'.repeat(12_500)]) {
      const n = countTokens(text, 'gpt-4o');
      expect(Number.isInteger(n) && n > 0).toBe(true);
    }
  });
});

describe('countMessageTokens', () => {
  const chat = [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'What is the capital of France?' },
    { role: 'assistant', content: 'Paris.' },
    { role: 'user', content: 'And of Germany?' },
  ];

  it("matches gpt-tokenizer's own chat encoding for gpt-4o (OpenAI's documented framing)", () => {
    expect(countMessageTokens(chat, 'gpt-4o')).toBe(encodeChatGpt4o(chat as never, 'gpt-4o').length);
  });

  it('adds 3 tokens per message, 1 per name and 3 for reply priming', () => {
    const content = (m: { role: string; content: string }): number => exactCl100k(m.role) + exactCl100k(m.content);
    expect(countMessageTokens(chat, 'gpt-4')).toBe(chat.reduce((n, m) => n + 3 + content(m), 3));
    const named = [{ role: 'user', name: 'jane', content: 'hi' }];
    expect(countMessageTokens(named, 'gpt-4')).toBe(3 + exactCl100k('user') + exactCl100k('hi') + exactCl100k('jane') + 1 + 3);
  });

  it('counts the text parts of content lists and skips images and malformed entries', () => {
    const parts = [
      { role: 'user', content: [{ type: 'text', text: 'Describe this picture' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
      null,
      'not a message',
    ];
    expect(countMessageTokens(parts as never, 'gpt-4o')).toBe(countMessageTokens([{ role: 'user', content: 'Describe this picture' }], 'gpt-4o'));
  });

  it('bounds the work on a huge conversation and still counts every message', () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({ role: 'user', content: `message number ${i} with a few more words in it` }));
    const exact = many.reduce((n, m) => n + 3 + exactO200k(m.role) + exactO200k(m.content), 3);
    expect(Math.abs(countMessageTokens(many, 'gpt-4o') - exact) / exact).toBeLessThan(0.02);
  });
});
