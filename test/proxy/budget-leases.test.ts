// Budget leases on proxied calls (the default `lease: auto`), against the real BudgetCounter
// objects: the counter shows the isolate's lease as `leased` while the calls spend from it
// without a counter call, conditions see that state, and the real usage reaches the counter's
// `used` when the lease goes back. The worker runs in this isolate, so its lease holder is the
// module the test imports (its clock is moved to end the lease, then restored).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LEASE_TTL_MS } from '../../src/durable/budget-counter';
import { isolateLeases } from '../../src/durable/lease-holder';
import { estimateCost } from '../../src/enrich/index';
import { call, json } from '../worker/support/http';
import { ADMIN, publish } from '../worker/support/publish';
import { clientKey, eventually, openai } from './support/clients';

const POLICIES = `
metadata: { id: leases }
rules:
  - id: allow-all
    condition: true
    action: { decision: allow }
  - id: lease-seen
    condition: { operator: gt, field: budget.lease-team.leased.costUsd, value: 0 }
    action: { decision: warn, reason: "a lease is out on the team budget" }
budgets:
  - id: lease-team
    scope: team.id
    window: month
    limit: { costUsd: 100 }
`;

const HELLO = [{ role: 'user' as const, content: 'Say hello' }];
const model = 'gpt-4o-mini';

interface BudgetState {
  used: { costUsd: number; tokens: number; requests: number };
  reserved: { costUsd: number; tokens: number; requests: number };
  leased: { costUsd: number };
  remaining: { costUsd: number };
}

async function budget(team: string): Promise<BudgetState> {
  return json<BudgetState>(await call(`/v1/budgets/lease-team/${team}`, { token: ADMIN }));
}

function decoded(header: string | null): string[] {
  return header ? header.split(',').map(decodeURIComponent) : [];
}

beforeAll(async () => {
  await publish(POLICIES, '1.0.0');
});

afterEach(() => isolateLeases.setClock(undefined));

describe('proxied calls under a budget lease', () => {
  it('spend from the lease, show it to conditions and /v1/budgets, and settle into used when it goes back', async () => {
    const team = 'team-leased';
    const key = await clientKey({ team: { id: team } });
    const client = openai(key, { 'x-fake-output-tokens': '40' });
    await client.chat.completions.create({ model, max_tokens: 100, messages: HELLO });

    // The first call took a lease: the counter holds it as leased, and nothing is reserved or used yet.
    const held = await budget(team);
    expect(held.leased.costUsd).toBeGreaterThan(0);
    expect(held.reserved.requests).toBe(0);
    expect(held.used.requests).toBe(0);
    expect(held.remaining.costUsd).toBeCloseTo(100 - held.leased.costUsd, 9);

    // The second call spends from the same lease (the counter does not move) and its condition sees the lease.
    const { response } = await client.chat.completions.create({ model, max_tokens: 100, messages: HELLO }).withResponse();
    expect(decoded(response.headers.get('x-policy-warnings'))).toContain('a lease is out on the team budget');
    expect(await budget(team)).toEqual(held);

    // Once the lease's time is up the next call hands it back with both calls' real usage.
    isolateLeases.setClock(() => Date.now() + LEASE_TTL_MS);
    await client.chat.completions.create({ model, max_tokens: 100, messages: HELLO });
    const perCall = estimateCost({ provider: 'openai', model, inputTokens: 12, outputTokens: 40 })!;
    const back = await eventually(() => budget(team), (s) => s.used.requests === 2, 'lease returned');
    expect(back.used.tokens).toBe(2 * (12 + 40));
    expect(back.used.costUsd).toBeCloseTo(2 * perCall, 6);
  });
});
