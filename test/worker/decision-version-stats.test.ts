// VersionStats counters (per bundle version, per minute) against real local Durable Objects.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { VersionStatsEnv } from '../../src/durable/env';
import { STATS_SHARDS, recordVersionStats, versionStatsWindow } from '../../src/durable/version-stats-client';

const statsEnv = env as unknown as VersionStatsEnv;
const T0 = Date.parse('2026-11-20T10:00:00.000Z');

describe('VersionStats', () => {
  it('counts decisions by outcome, errors and estimated cost per minute, across shards', async () => {
    const events = [
      ...Array.from({ length: 30 }, (_, i) => ({ outcome: 'allow', time: T0 + 5_000, requestId: `a${i}`, estimatedCostUsd: 0.01 })),
      ...Array.from({ length: 6 }, (_, i) => ({ outcome: 'deny', time: T0 + 65_000, requestId: `d${i}`, error: i < 2 })),
      { outcome: 'budget_exceeded', time: T0 + 70_000, requestId: 'b0' },
      { outcome: 'allow', time: T0 - 120_000, requestId: 'too-early' },
    ];
    const ok = await Promise.all(events.map((e) => recordVersionStats(statsEnv, { bundleVersion: '2.0.0-canary', ...e })));
    expect(ok.every(Boolean)).toBe(true);

    const w = await versionStatsWindow(statsEnv, '2.0.0-canary', T0);
    expect(w).toMatchObject({ version: '2.0.0-canary', count: 37, errors: 2, byOutcome: { allow: 30, deny: 6, budget_exceeded: 1 } });
    expect(w.estimatedCostUsd).toBeCloseTo(0.3, 9);
    expect(w.minutes.map((m) => [m.minute, m.count])).toEqual([
      [T0, 30],
      [T0 + 60_000, 7],
    ]);
    expect(w.minutes[1].byOutcome).toEqual({ deny: 6, budget_exceeded: 1 });
    // Versions are counted apart.
    expect((await versionStatsWindow(statsEnv, '1.9.0', T0)).count).toBe(0);
  });

  it('rejects a malformed delta without recording it', async () => {
    const stub = statsEnv.VERSION_STATS.get(statsEnv.VERSION_STATS.idFromName('bad#0'));
    let error: unknown;
    try {
      await stub.add('bad', T0, { outcome: 'Not An Outcome' });
    } catch (e) {
      error = e;
    }
    expect(String(error)).toMatch(/outcome/);
    expect(await recordVersionStats(statsEnv, { bundleVersion: '', requestId: 'x', outcome: 'allow' })).toBe(false);
  });

  it('drops minutes older than a week when its alarm runs', async () => {
    const now = Date.now();
    for (let n = 0; n < STATS_SHARDS * 4; n++) {
      await recordVersionStats(statsEnv, { bundleVersion: '0.9.0', requestId: `r${n}`, outcome: 'allow', time: n % 2 ? now - 8 * 86_400_000 : now });
    }
    for (let n = 0; n < STATS_SHARDS; n++) {
      const stub = statsEnv.VERSION_STATS.get(statsEnv.VERSION_STATS.idFromName(`0.9.0#${n}`));
      await runDurableObjectAlarm(stub);
      const oldest = await runInDurableObject(stub, (_, state) => state.storage.sql.exec('SELECT MIN(minute) AS m FROM minute_stats').one().m);
      if (oldest !== null) expect(oldest).toBeGreaterThan(now - 86_400_000);
    }
    expect((await versionStatsWindow(statsEnv, '0.9.0', now - 30 * 86_400_000)).count).toBe(STATS_SHARDS * 2);
  });
});
