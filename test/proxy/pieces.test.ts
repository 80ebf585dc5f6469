// The proxy's pure pieces, in the runtime they serve in: URL joining, header filtering, clamping,
// and the OutputGuard's promise that a denied phrase never reaches the client, however the
// upstream splits its text into events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/policy/types';
import { isProtectedHeader, parseForwardHeaders, upstreamHeaders } from '../../src/worker/proxy/headers';
import { applyObligations } from '../../src/worker/proxy/obligations';
import { HOLDBACK_CHARS, OutputGuard, rewriteRange } from '../../src/worker/proxy/output-guard';
import { openaiChat } from '../../src/worker/proxy/providers/openai-chat';
import { openaiResponses } from '../../src/worker/proxy/providers/openai-responses';
import type { ResponseVerdict } from '../../src/worker/proxy/response-rules';
import { upstreamUrl } from '../../src/worker/proxy/upstream';

describe('upstreamUrl', () => {
  it('appends the endpoint path, without a doubled /v1', () => {
    expect(upstreamUrl('https://api.openai.com', '/v1/chat/completions')).toBe('https://api.openai.com/v1/chat/completions');
    expect(upstreamUrl('https://api.openai.com/v1/', '/v1/chat/completions')).toBe('https://api.openai.com/v1/chat/completions');
    expect(upstreamUrl('https://gateway.example/openai', '/v1/embeddings')).toBe('https://gateway.example/openai/v1/embeddings');
  });
});

describe('upstreamHeaders', () => {
  it('forwards only the allowlist: no caller credentials, organisation, project, beta flags or x-*', () => {
    const incoming = new Headers({
      connection: 'close, x-hop',
      'x-hop': '1',
      'proxy-authorization': 'x',
      te: 'trailers',
      authorization: 'Bearer client',
      'x-api-key': 'client',
      'cf-connecting-ip': '198.51.100.1',
      'openai-organization': 'org-1',
      'openai-project': 'proj-1',
      'anthropic-beta': 'computer-use-2024-10-22',
      'api-key': 'azure-style',
      'x-anything': 'no',
      'user-agent': 'OpenAI/JS 6.49.0',
      accept: 'application/json',
    });
    const out = upstreamHeaders(incoming, { provider: 'openai', providerKey: 'sk-up', requestId: 'r1', extra: [['x-team', 'blue']] });
    expect(Object.fromEntries(out)).toEqual({
      accept: 'application/json',
      authorization: 'Bearer sk-up',
      'content-type': 'application/json',
      'user-agent': 'OpenAI/JS 6.49.0',
      'x-request-id': 'r1',
      'x-team': 'blue',
    });
    const anthropic = upstreamHeaders(incoming, { provider: 'anthropic', providerKey: 'sk-ant', requestId: 'r2', extra: [] });
    expect(anthropic.get('anthropic-beta')).toBeNull();
    expect(anthropic.get('anthropic-version')).toBe('2023-06-01');
    expect(anthropic.get('x-api-key')).toBe('sk-ant');
    expect(isProtectedHeader('Authorization')).toBe(true);
  });

  it('PROXY_FORWARD_HEADERS adds names and prefixes, never credentials', () => {
    const allowed = parseForwardHeaders(' OpenAI-Organization , x-stainless-*,authorization');
    const incoming = new Headers({ 'openai-organization': 'org-1', 'x-stainless-lang': 'js', 'x-other': '1', authorization: 'Bearer client' });
    const out = upstreamHeaders(incoming, { provider: 'openai', providerKey: 'sk-up', requestId: 'r1', extra: [], allowed });
    expect(out.get('openai-organization')).toBe('org-1');
    expect(out.get('x-stainless-lang')).toBe('js');
    expect(out.get('x-other')).toBeNull();
    expect(out.get('authorization')).toBe('Bearer sk-up');
    expect(isProtectedHeader('Proxy-Connection')).toBe(true);
    expect(isProtectedHeader('x-team')).toBe(false);
  });
});

describe('applyObligations', () => {
  it('takes the lowest set_max_tokens, the first route_model, and the union of redact types', () => {
    const body: Record<string, unknown> = { model: 'a', max_tokens: 900, messages: [{ role: 'user', content: 'mail a@example.com, call +1 415 555 0132' }] };
    applyObligations(openaiChat, body, [
      { type: 'route_model', model: 'first' },
      { type: 'set_max_tokens', value: 300 },
      { type: 'redact_pii', types: ['email'] },
      { type: 'set_max_tokens', value: 100 },
      { type: 'route_model', model: 'second' },
      { type: 'redact_pii', types: ['phone'] },
    ]);
    expect(body).toEqual({ model: 'first', max_tokens: 100, messages: [{ role: 'user', content: 'mail [REDACTED:EMAIL], call [REDACTED:PHONE]' }] });
  });

  it('sets the endpoint field when the body has no maximum', () => {
    const body: Record<string, unknown> = { model: 'a', input: 'hi' };
    applyObligations(openaiResponses, body, [{ type: 'set_max_tokens', value: 50 }]);
    expect(body.max_output_tokens).toBe(50);
  });
});

describe('rewriteRange', () => {
  it('puts the token where a span starts and drops its tail from later ranges', () => {
    const text = 'call 555-0100 now';
    const spans = [{ type: 'phone' as const, start: 5, end: 13 }];
    expect(rewriteRange(text, 0, 8, spans)).toBe('call [REDACTED:PHONE]');
    expect(rewriteRange(text, 8, text.length, spans)).toBe(' now');
  });
});

describe('OutputGuard', () => {
  const deny = { decision: 'deny' } as Decision;
  const judge = (text: string): ResponseVerdict =>
    text.includes('FORBIDDEN') ? { kind: 'deny', code: 'policy_denied', message: 'no', decision: deny } : { kind: 'pass', decision: { decision: 'allow' } as Decision };

  it('never releases a denied phrase, nor the text just before it, however the text is split', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), fc.string({ maxLength: 600 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 50 }), (before, after, cuts) => {
        fc.pre(!`${before}${after}`.includes('FORBIDDEN'));
        const text = `${before}FORBIDDEN${after}`;
        const guard = new OutputGuard({ judge });
        let released = '';
        const take = (out: string) => {
          for (const m of out.matchAll(/^data: (.*)$/gm)) released += JSON.parse(m[1]).t;
        };
        let at = 0;
        let stopped = false;
        for (let i = 0; at < text.length && !stopped; i++) {
          const piece = text.slice(at, at + cuts[i % cuts.length]);
          at += piece.length;
          guard.add({ data: JSON.stringify({ t: piece }) }, piece);
          const step = guard.drain();
          take(step.out);
          stopped = step.stop !== undefined;
        }
        if (!stopped) {
          const step = guard.finish();
          take(step.out);
          stopped = step.stop !== undefined;
        }
        expect(stopped).toBe(true);
        expect(text.startsWith(released)).toBe(true);
        expect(released.length).toBeLessThanOrEqual(Math.max(0, before.length - HOLDBACK_CHARS + 'FORBIDDEN'.length));
      }),
      { numRuns: 300 },
    );
  });

  it('releases events before any text at once, and everything at the end of a clean stream', () => {
    const guard = new OutputGuard({ judge });
    guard.add({ data: 'role' });
    expect(guard.drain().out).toBe('data: role\n\n');
    guard.add({ data: 'text' }, 'short clean text');
    expect(guard.drain().out).toBe('');
    expect(guard.finish()).toEqual({ out: 'data: text\n\n' });
  });
});
