// What a proxied caller is warned of and what the record keeps: warnings reach the caller in
// x-policy-warnings and the record; a rate-limit refusal is recorded with its own reason (not the
// overturned allow's "no rule matched"), and stored before the 429 is answered; /metrics counts
// records queued against records stored.
import { env } from 'cloudflare:test';
import { APIError } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryDecisions } from '../../src/durable/decisions-client';
import { MAX_HEADER_CHARS, warningsHeader } from '../../src/worker/proxy/warnings-header';
import { call } from '../worker/support/http';
import { ADMIN, publish } from '../worker/support/publish';
import { clientKey, eventually, openai } from './support/clients';

const POLICIES = `
metadata: { id: careful }
rules:
  - id: note-team
    condition: { operator: eq, field: team.id, value: team-warned }
    action: { decision: warn, reason: "team {{team.id}}: mind the cost, please" }
rateLimits:
  - id: one-a-day
    scope: user.id
    window: day
    limit: { requests: 1 }
`;

const HELLO = [{ role: 'user' as const, content: 'Say hello' }];

beforeAll(async () => {
  await publish(POLICIES, '1.0.0');
});

function decoded(header: string | null): string[] {
  return (header ?? '').split(',').filter((s) => s !== '').map(decodeURIComponent);
}

describe('warnings through the proxy', () => {
  it('reach the caller in x-policy-warnings and the decision record', async () => {
    const key = await clientKey({ user: { id: 'warned-user' }, team: { id: 'team-warned' } });
    const { response } = await openai(key).chat.completions.create({ model: 'gpt-4o-mini', messages: HELLO }).withResponse();
    expect(response.headers.get('x-policy-decision')).toBe('allow');
    expect(decoded(response.headers.get('x-policy-warnings'))).toEqual(['team team-warned: mind the cost, please']);
    const page = await eventually(() => queryDecisions(env, { team: 'team-warned' }), (p) => p.records.length === 1, 'warned record');
    expect(page.records[0].warnings).toEqual(['team team-warned: mind the cost, please']);
  });

  it('are absent when there is none', async () => {
    const key = await clientKey({ user: { id: 'plain-user' }, team: { id: 'team-plain' } });
    const { response } = await openai(key).chat.completions.create({ model: 'gpt-4o-mini', messages: HELLO }).withResponse();
    expect(response.headers.get('x-policy-warnings')).toBeNull();
  });

  it('stay within the header bound, saying how many were left out', () => {
    const long = Array.from({ length: 40 }, (_, i) => `warning ${i}: ${'x'.repeat(100)}`);
    const value = warningsHeader(long)!;
    expect(value.length).toBeLessThanOrEqual(MAX_HEADER_CHARS);
    const items = value.split(',');
    const shown = items.length - 1;
    expect(items.at(-1)).toBe(`+${40 - shown} more`);
    expect(items.slice(0, shown).map(decodeURIComponent)).toEqual(long.slice(0, shown));
  });
});

describe('a rate-limit refusal', () => {
  it('is recorded with its own reason, before the 429 is answered', async () => {
    const key = await clientKey({ user: { id: 'once-user' }, team: { id: 'team-once' } });
    const client = openai(key, { 'x-request-id': 'once-2' });
    await openai(key).chat.completions.create({ model: 'gpt-4o-mini', messages: HELLO });
    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: HELLO }).catch((e: unknown) => e);
    expect((error as APIError).status).toBe(429);
    // No waiting: the refusal's record is stored before the refusal is sent.
    const page = await queryDecisions(env, { decision: 'rate_limited', team: 'team-once' });
    expect(page.records).toHaveLength(1);
    expect(page.records[0].requestId).toBe('once-2');
    expect(page.records[0].reasons[0]).toBe('rate limit "one-a-day" exceeded');
    expect(page.records[0].reasons).not.toContain('no rule matched: default allow');
  });
});

describe('/metrics', () => {
  it('counts decision records queued and stored', async () => {
    const text = await (await call('/metrics', { token: ADMIN })).text();
    const value = (state: string) => Number(new RegExp(`llm_policy_decision_records_total\\{state="${state}"\\} (\\d+)`).exec(text)?.[1] ?? NaN);
    expect(value('queued')).toBeGreaterThan(0);
    expect(value('stored')).toBeGreaterThan(0);
    expect(value('stored')).toBeLessThanOrEqual(value('queued'));
  });
});
