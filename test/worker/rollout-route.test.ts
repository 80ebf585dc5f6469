// GET /v1/rollout: the gate tables the CLI reads, computed from real VersionStats counters over
// the canary's window; per-rollout thresholds from the signed pointer; history merged with the
// coordinator's stops; admin only.
import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { coordinator } from '../../src/durable/rollout-client';
import { countDecisions, putHistory, rolloutEnv, rolloutView } from './rollout-support';
import { call, json } from './support/http';
import { BASE_POLICIES, buildBundle, putBundle, putPointer } from './support/publish';

const HOUR = 3_600_000;
const gate = (view: any, name: string) => view.gates.rows.find((r: any) => r.gate === name);

beforeAll(async () => {
  for (const v of ['4.0.0', '4.1.0', '4.2.0', '4.3.0', '4.4.0', '4.5.0']) await putBundle(await buildBundle(BASE_POLICIES, v));
});

describe('GET /v1/rollout', () => {
  it('is for the admin token only', async () => {
    expect((await call('/v1/rollout')).status).toBe(401);
    const client = await call('/v1/rollout', { token: 'dev-client-key', origin: 'http://127.0.0.1:8787' });
    expect(client.status).toBe(403);
  });

  it('says why there is nothing to judge before anything is published', async () => {
    const view = await rolloutView();
    expect(view).toMatchObject({ stable: null, canary: null, gates: null, pointerProblem: 'no pointer in KV: nothing has been published', killSwitch: { state: 'none' } });
  });

  it('passes a canary that looks like its stable', async () => {
    await putPointer({ stable: '4.0.0', canary: '4.1.0', canaryPercent: 10, sequence: 1 });
    await countDecisions('4.0.0', { decisions: 1000, deny: 100, errors: 5, costUsd: 1 });
    await countDecisions('4.1.0', { decisions: 150, deny: 15, errors: 1, costUsd: 0.15 });
    const view = await rolloutView();
    expect(view).toMatchObject({ stable: '4.0.0', canary: '4.1.0', percent: 10, sequence: 1, gates: { verdict: 'pass' }, critical: { verdict: 'pass' } });
    expect(view.thresholds).toEqual({ maxErrorRate: 0.05, denyMargin: 0.3, denyFloor: 0.02, costMargin: 0.2, minDecisions: 100 });
    expect(gate(view, 'decisions')).toMatchObject({ value: 150, threshold: 100, pass: true });
    expect(gate(view, 'deny_rate')).toMatchObject({ value: 0.1, stable: 0.1, pass: true });
  });

  it.each([
    ['error_rate', { decisions: 200, deny: 20, errors: 12, costUsd: 0.2 }],
    ['deny_rate', { decisions: 200, deny: 40, costUsd: 0.2 }],
    ['cost_per_request', { decisions: 200, deny: 20, costUsd: 0.5 }],
  ])('fails on %s', async (failing, canary) => {
    const version = { error_rate: '4.2.0', deny_rate: '4.3.0', cost_per_request: '4.4.0' }[failing]!;
    await putPointer({ stable: '4.0.0', canary: version, canaryPercent: 10, sequence: 2 });
    await countDecisions(version, canary);
    const view = await rolloutView();
    expect(view.gates.verdict).toBe('fail');
    expect(view.gates.rows.filter((r: any) => !r.pass).map((r: any) => r.gate)).toEqual([failing]);
  });

  it('says insufficient_data under the minimum, and honours the signed pointer gates override', async () => {
    // The test's own clock and counts: the canary started at `startedAt` (the pointer's updatedAt,
    // as no history says otherwise), and both versions' decisions are counted in that minute, so a
    // minute boundary between this test and an earlier one's counts cannot empty the window.
    const startedAt = Date.now() - 10 * 60_000;
    const updatedAt = new Date(startedAt).toISOString();
    await putPointer({ stable: '4.0.0', canary: '4.5.0', canaryPercent: 10, sequence: 3, updatedAt });
    await countDecisions('4.0.0', { decisions: 1000, deny: 100, costUsd: 1, at: startedAt });
    await countDecisions('4.5.0', { decisions: 40, deny: 4, costUsd: 0.04, at: startedAt });
    expect((await rolloutView()).gates.verdict).toBe('insufficient_data');
    await putPointer({ stable: '4.0.0', canary: '4.5.0', canaryPercent: 10, sequence: 4, updatedAt, gates: { minDecisions: 25 } });
    const view = await rolloutView();
    expect(view.thresholds.minDecisions).toBe(25);
    expect(view.gates.verdict).toBe('pass');
  });

  it('counts only since the canary started (from the signed history), across promote steps', async () => {
    const started = Date.now() - 2 * HOUR;
    // A first run of 4.5.0, three hours ago, that went badly: outside this run's window.
    await countDecisions('4.5.0', { decisions: 500, errors: 500, at: Date.now() - 3 * HOUR });
    await putHistory([
      { sequence: 4, at: new Date(started).toISOString(), actor: 'ci', action: 'canary', from: { stable: '4.0.0', canaryPercent: 0 }, to: { stable: '4.0.0', canary: '4.5.0', canaryPercent: 10 } },
      { sequence: 5, at: new Date().toISOString(), actor: 'oncall', action: 'promote', from: { stable: '4.0.0', canary: '4.5.0', canaryPercent: 10 }, to: { stable: '4.0.0', canary: '4.5.0', canaryPercent: 50 } },
    ]);
    // Decisions of this run, an hour in: inside the window although before the promote.
    await countDecisions('4.5.0', { decisions: 100, deny: 10, costUsd: 0.1, at: Date.now() - HOUR });
    await putPointer({ stable: '4.0.0', canary: '4.5.0', canaryPercent: 50, sequence: 5 });
    const view = await rolloutView();
    expect(view.canaryStartedAt).toBe(new Date(started).toISOString());
    // 100 of this run, and the 40 the test before counted (at its own clock, inside this window).
    expect(gate(view, 'decisions').value).toBe(140);
    expect(gate(view, 'error_rate').value).toBe(0);
    expect(view.history.map((e: any) => e.sequence)).toEqual([5, 4]);
  });

  it('shows the coordinator watching, and its stops in the history', async () => {
    await countDecisions('4.5.0', { decisions: 100, errors: 100 });
    expect(await runDurableObjectAlarm(coordinator(rolloutEnv.ROLLOUT!))).toBe(true);
    const view = await rolloutView();
    expect(view.coordinator.watching).toMatchObject({ canary: '4.5.0' });
    expect(view.coordinator.lastCheck).toMatchObject({ canary: '4.5.0', sequence: 5, verdict: 'fail' });
    expect(view.killSwitch).toMatchObject({ state: 'active', killSwitch: { canary: '4.5.0', sequence: 5 } });
    expect(view.history[0]).toMatchObject({ action: 'auto-stop', actor: 'rollout-coordinator', canary: '4.5.0', sequence: 5 });
    expect(view.history.slice(1).map((e: any) => e.sequence)).toEqual([5, 4]);
  });

  it('refuses to judge from a pointer that does not verify', async () => {
    await env.BUNDLES.put('pointer', JSON.stringify({ stable: '4.0.0', canary: '4.1.0', canaryPercent: 90, sequence: 99, updatedAt: new Date().toISOString() }));
    const view = await json(await call('/v1/rollout', { token: 'test-admin-token' }));
    expect(view).toMatchObject({ stable: null, canary: null, gates: null });
    expect(view.pointerProblem).toMatch(/^the pointer does not verify \(missing_signature\)/);
  });
});
