// The unsigned kill switch can only narrow: it sends the pointer's current canary (at the
// pointer's sequence) to 0%. One naming any other version, an older sequence, or carrying fields
// that would widen or move traffic is ignored, and traffic follows the signed pointer.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { KILL_SWITCH_KEY, newKillSwitch } from '../../src/rollout/kill-switch';
import { refreshWorker, rolloutView, tenants, versionFor } from './rollout-support';
import { BASE_POLICIES, buildBundle, putBundle, putPointer } from './support/publish';

const CANARY_TEAMS = tenants('canary', 30, 6, 'ks');
const STABLE_TEAMS = tenants('stable', 30, 6, 'ks');
const valid = (over: Record<string, unknown> = {}) => ({ ...newKillSwitch({ canary: '2.1.0', sequence: 5, stoppedAt: new Date().toISOString(), reason: 'critical gate breach', gates: [] }), ...over });

async function withKillSwitch(value: unknown): Promise<void> {
  await env.BUNDLES.put(KILL_SWITCH_KEY, typeof value === 'string' ? value : JSON.stringify(value));
  await refreshWorker();
}

async function sides(): Promise<{ canary: string[]; stable: string[] }> {
  return { canary: await Promise.all(CANARY_TEAMS.map(versionFor)), stable: await Promise.all(STABLE_TEAMS.map(versionFor)) };
}

const AS_POINTER_SAYS = { canary: Array(6).fill('2.1.0'), stable: Array(6).fill('2.0.0') };
const ALL_STABLE = { canary: Array(6).fill('2.0.0'), stable: Array(6).fill('2.0.0') };

beforeAll(async () => {
  for (const v of ['2.0.0', '2.1.0', '2.2.0']) await putBundle(await buildBundle(BASE_POLICIES, v));
  await putPointer({ stable: '2.0.0', canary: '2.1.0', canaryPercent: 30, sequence: 5 });
});

describe('kill switch at the edge', () => {
  it('without one, traffic follows the signed pointer', async () => {
    await env.BUNDLES.delete(KILL_SWITCH_KEY);
    await refreshWorker();
    expect(await sides()).toEqual(AS_POINTER_SAYS);
  });

  it('naming the canary at the pointer sequence, sends everyone to the stable', async () => {
    await withKillSwitch(valid());
    expect(await sides()).toEqual(ALL_STABLE);
    expect((await rolloutView()).killSwitch).toMatchObject({ state: 'active', killSwitch: { canary: '2.1.0', sequence: 5 } });
  });

  it.each([
    ['the stable version', valid({ canary: '2.0.0' })],
    ['a version the pointer does not name', valid({ canary: '2.2.0' })],
    ['an older pointer sequence', valid({ sequence: 4 })],
    ['a canary percent of 100 (widening)', valid({ canaryPercent: 100 })],
    ['a new stable', valid({ stable: '2.2.0' })],
    ['a version to serve instead', valid({ serve: '2.2.0' })],
    ['not JSON at all', '{"canary": "2.1.0", '],
  ])('naming %s, is ignored', async (_name, forged) => {
    await withKillSwitch(forged);
    expect(await sides()).toEqual(AS_POINTER_SAYS);
    expect((await rolloutView()).killSwitch.state).toBe('ignored');
  });

  it('is superseded by the next pointer move, even naming the same canary', async () => {
    await withKillSwitch(valid());
    expect(await sides()).toEqual(ALL_STABLE);
    await putPointer({ stable: '2.0.0', canary: '2.1.0', canaryPercent: 30, sequence: 6 });
    await refreshWorker();
    expect(await sides()).toEqual(AS_POINTER_SAYS);
  });

  it('never changes what the stable serves', async () => {
    await putPointer({ stable: '2.0.0', sequence: 7 });
    await withKillSwitch(valid({ canary: '2.0.0', sequence: 7 }));
    expect([...(await sides()).canary, ...(await sides()).stable]).toEqual(Array(12).fill('2.0.0'));
  });
});
