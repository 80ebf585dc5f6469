// While the canary percent stays the same, a tenant never flaps between versions: many requests
// for a fixed tenant set, across pointer re-reads (the same split re-signed with new sequences,
// as promote's refusals and republishing leave it), always land each tenant on one version.
import { beforeAll, describe, expect, it } from 'vitest';
import { usesCanary } from '../../src/worker/bundle/canary';
import { refreshWorker, versionFor } from './rollout-support';
import { BASE_POLICIES, buildBundle, putBundle, putPointer } from './support/publish';

const TEAMS = Array.from({ length: 20 }, (_, i) => `sticky-${i}`);
const PERCENT = 25;

beforeAll(async () => {
  await putBundle(await buildBundle(BASE_POLICIES, '3.0.0'));
  await putBundle(await buildBundle(BASE_POLICIES, '3.1.0'));
});

describe('tenant stickiness', () => {
  it('each tenant gets the same version on every request while the percent is unchanged', async () => {
    const seen = new Map<string, Set<string>>(TEAMS.map((t) => [t, new Set()]));
    for (let sequence = 1; sequence <= 4; sequence++) {
      await putPointer({ stable: '3.0.0', canary: '3.1.0', canaryPercent: PERCENT, sequence });
      await refreshWorker();
      for (let round = 0; round < 2; round++) {
        const versions = await Promise.all(TEAMS.map(versionFor));
        TEAMS.forEach((team, i) => seen.get(team)!.add(versions[i]));
      }
    }
    for (const [team, versions] of seen) expect([team, [...versions]]).toEqual([team, [usesCanary(team, PERCENT) ? '3.1.0' : '3.0.0']]);
    // Both sides were exercised.
    expect(new Set([...seen.values()].flatMap((v) => [...v]))).toEqual(new Set(['3.0.0', '3.1.0']));
  }, 60_000);
});
