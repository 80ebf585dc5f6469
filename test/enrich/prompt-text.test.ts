import { describe, expect, it } from 'vitest';
import { promptText } from '../../src/enrich/index';

describe('promptText', () => {
  it('joins system, prompt and message texts, one per line', () => {
    expect(promptText({ system: 'S', prompt: 'P', messages: [{ role: 'user', content: 'M1' }, { role: 'assistant', content: 'M2' }] })).toBe('S\nP\nM1\nM2');
  });

  it('reads OpenAI and Anthropic content parts and skips images', () => {
    const messages = [
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url', image_url: { url: 'https://x' } }, { type: 'input_text', text: 'b' }] },
      { role: 'user', content: [{ type: 'image', source: {} }, { type: 'text', text: 'c' }] },
    ];
    expect(promptText({ messages })).toBe('a\nb\nc');
  });

  it('reads tool results one level deep, where indirect injections arrive', () => {
    const messages = [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'fetched page' }] }] }];
    expect(promptText({ messages })).toBe('fetched page');
    const deep = { type: 'tool_result', content: [{ type: 'tool_result', content: 'too deep' }] };
    expect(promptText({ messages: [{ role: 'user', content: [deep] }] })).toBe('');
  });

  it('accepts an Anthropic system given as text blocks', () => {
    expect(promptText({ system: [{ type: 'text', text: 'be brief' }] })).toBe('be brief');
  });

  it('is empty for anything without a prompt', () => {
    for (const llm of [undefined, null, 'text', {}, { messages: 'no' }, { messages: [null, 3, { content: 42 }] }]) expect(promptText(llm)).toBe('');
  });
});
