// Canary selection: a tenant's bucket is a pure function of its key, so it sticks across requests
// and isolates, and P% of tenants land on the canary.
import { beforeAll, describe, expect, it } from 'vitest';
import { canaryBucket, tenantKey, usesCanary } from '../../src/worker/bundle/canary';
import { call, json } from './support/http';
import { ADMIN, BASE_POLICIES, buildBundle, putBundle, putPointer } from './support/publish';

describe('buckets', () => {
  it('are stable values in 0..99 (the same in every isolate and deploy)', () => {
    // Pinned values: changing the hash would move tenants between versions mid-rollout.
    expect(['acme', 'team-1', '', 'dev-team'].map(canaryBucket)).toEqual([94, 89, 23, 65]);
    for (let i = 0; i < 1000; i++) {
      const b = canaryBucket(`t${i}`);
      expect(Number.isInteger(b) && b >= 0 && b < 100).toBe(true);
    }
  });

  it.each([1, 5, 10, 25, 50, 90])('send %i%% of 10,000 tenants to the canary (within 2 points)', (percent) => {
    let onCanary = 0;
    for (let i = 0; i < 10_000; i++) if (usesCanary(`team-${i}`, percent)) onCanary++;
    expect(Math.abs(onCanary / 100 - percent)).toBeLessThanOrEqual(2);
  });

  it('only grow the canary population when the percentage rises', () => {
    for (let i = 0; i < 2000; i++) if (usesCanary(`team-${i}`, 10)) expect(usesCanary(`team-${i}`, 20)).toBe(true);
  });

  it('key a request by team, else user, else client key id', () => {
    expect(tenantKey({ team: { id: 't' }, user: { id: 'u' } }, 'k')).toBe('t');
    expect(tenantKey({ user: { id: 'u' } }, 'k')).toBe('u');
    expect(tenantKey({}, 'k')).toBe('k');
  });
});

describe('end to end', () => {
  const CANARY = BASE_POLICIES.replace('value: gpt-4o }', 'value: gpt-4o-mini }');

  beforeAll(async () => {
    await putBundle(await buildBundle(BASE_POLICIES, '1.0.0'));
    await putBundle(await buildBundle(CANARY, '1.1.0'));
    await putPointer({ stable: '1.0.0', canary: '1.1.0', canaryPercent: 30, sequence: 1 });
  });

  it('serves each tenant from its side consistently and names the deciding version', { timeout: 30_000 }, async () => {
    const seen = new Map<string, string>();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 40; i++) {
        const team = `tenant-${i}`;
        const res = await call('/v1/evaluate', { token: ADMIN, body: { context: { team: { id: team } } } });
        const version = (await json(res)).bundle.version;
        expect(res.headers.get('x-policy-bundle')).toBe(version);
        expect(version).toBe(usesCanary(team, 30) ? '1.1.0' : '1.0.0');
        if (round === 1) expect(version).toBe(seen.get(team));
        seen.set(team, version);
      }
    }
    expect(new Set(seen.values()).size).toBe(2);
  });
});
