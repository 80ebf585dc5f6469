// The RolloutCoordinator's alarm against real VersionStats counters and KV: a bad canary is
// stopped with the kill switch and its tenants get the stable; a good one is left alone; with no
// canary the checks end. Workers poke it when they load a pointer with a canary.
import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { coordinator } from '../../src/durable/rollout-client';
import { KILL_SWITCH_KEY, KILL_SWITCH_LOG_KEY } from '../../src/rollout/kill-switch';
import { countDecisions, refreshWorker, rolloutEnv, tenants, versionFor } from './rollout-support';
import { BASE_POLICIES, buildBundle, putBundle, putPointer } from './support/publish';

const stub = () => coordinator(rolloutEnv.ROLLOUT!);
const CANARY_TEAMS = tenants('canary', 20, 5);
const STABLE_TEAMS = tenants('stable', 20, 5);

beforeAll(async () => {
  for (const v of ['1.0.0', '1.1.0', '1.2.0']) await putBundle(await buildBundle(BASE_POLICIES, v));
});

describe('RolloutCoordinator alarm', () => {
  it('is armed when a worker loads a pointer with a canary', async () => {
    await putPointer({ stable: '1.0.0', canary: '1.1.0', canaryPercent: 20, sequence: 1 });
    await refreshWorker();
    expect(await versionFor(CANARY_TEAMS[0])).toBe('1.1.0');
    const state = await stub().state();
    expect(state.watching).toMatchObject({ canary: '1.1.0' });
    // ISO 8601, like every other time in GET /v1/rollout.
    expect(state.nextCheckAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(state.nextCheckAt!)).toBeGreaterThan(Date.now());
  });

  it('leaves a healthy canary running and checks again a minute later', async () => {
    await countDecisions('1.0.0', { decisions: 1000, deny: 100, errors: 5, costUsd: 1 });
    await countDecisions('1.1.0', { decisions: 200, deny: 22, errors: 2, costUsd: 0.2 });
    expect(await runDurableObjectAlarm(stub())).toBe(true);
    expect(await env.BUNDLES.get(KILL_SWITCH_KEY)).toBeNull();
    const state = await stub().state();
    expect(state.lastCheck).toMatchObject({ canary: '1.1.0', sequence: 1, verdict: 'pass' });
    expect(state.nextCheckAt).not.toBeNull();
  });

  it('stops a canary that breaches a critical gate: kill switch written, its tenants get the stable', async () => {
    // 60 more canary decisions, all errors: 62 of 260 (24%) is above the 10% critical limit.
    await countDecisions('1.1.0', { decisions: 60, errors: 60 });
    expect(await runDurableObjectAlarm(stub())).toBe(true);

    const killSwitch = JSON.parse((await env.BUNDLES.get(KILL_SWITCH_KEY))!);
    expect(killSwitch).toMatchObject({ format: 'llm-policy-killswitch/v1', canary: '1.1.0', sequence: 1, actor: 'rollout-coordinator' });
    expect(killSwitch.reason).toMatch(/^critical gate breach: error_rate 0\.238 > 0\.100$/);
    expect(killSwitch.gates.find((g: any) => g.gate === 'error_rate')).toMatchObject({ pass: false, threshold: 0.1 });
    expect(JSON.parse((await env.BUNDLES.get(KILL_SWITCH_LOG_KEY))!)).toEqual([expect.objectContaining({ action: 'auto-stop', canary: '1.1.0', sequence: 1 })]);

    await refreshWorker();
    for (const team of [...CANARY_TEAMS, ...STABLE_TEAMS]) expect(await versionFor(team)).toBe('1.0.0');
  });

  it('records one stop per canary run, however many checks follow', async () => {
    expect(await runDurableObjectAlarm(stub())).toBe(true);
    expect(await runDurableObjectAlarm(stub())).toBe(true);
    expect((await stub().state()).stops).toHaveLength(1);
  });

  it('checks the next canary after a pointer move, which supersedes the stop', async () => {
    await putPointer({ stable: '1.0.0', canary: '1.2.0', canaryPercent: 20, sequence: 2 });
    await refreshWorker();
    expect(await versionFor(CANARY_TEAMS[0])).toBe('1.2.0');
    expect((await stub().state()).watching).toMatchObject({ canary: '1.2.0' });
    expect(await runDurableObjectAlarm(stub())).toBe(true);
    expect((await stub().state()).lastCheck).toMatchObject({ canary: '1.2.0', sequence: 2, verdict: 'insufficient_data' });
  });

  it('ends its checks when the pointer runs no canary', async () => {
    await putPointer({ stable: '1.0.0', sequence: 3 });
    expect(await runDurableObjectAlarm(stub())).toBe(true);
    const state = await stub().state();
    expect(state.watching).toBeNull();
    expect(state.nextCheckAt).toBeNull();
    expect(await runDurableObjectAlarm(stub())).toBe(false);
  });

  it('keeps checking after a failed check (a failing counter read does not end the watch)', async () => {
    // A valid semver longer than VersionStats accepts (128 characters): its window read throws.
    const long = `1.3.0-${'x'.repeat(130)}`;
    await stub().watch('1.1.0', new Date().toISOString());
    await putPointer({ stable: '1.0.0', canary: long, canaryPercent: 20, sequence: 4 });
    expect(await runDurableObjectAlarm(stub())).toBe(true);
    expect((await stub().state()).nextCheckAt).not.toBeNull();
  });
});
