// Feeding and reading the per-version counters. Every decision of a version would otherwise land
// on one object, so each version is spread over STATS_SHARDS objects by request id, and a
// window read sums the shards.
import { fnv1a } from './decision-shards';
import type { VersionStatsEnv } from './env';
import type { VersionStats } from './version-stats';
import { mergeMinutes, summarize } from './version-stats-sum';
import { mergeShadow } from './version-stats-shadow';
import type { MinuteStats, ShadowDelta, ShadowStats, StatsDelta, VersionWindow } from './version-stats-types';
import type { ShadowMatch } from '../policy/types';

export const STATS_SHARDS = 4;

export interface VersionStatsEvent {
  bundleVersion: string;
  requestId: string;
  outcome: string;
  error?: boolean;
  estimatedCostUsd?: number;
  /** When it happened (default now), epoch ms. */
  time?: number;
  /** Decision.shadow: present when the bundle has shadow rules (every such decision counts). */
  shadow?: ShadowMatch[];
  /** Who it was, as the decision record names them (masked by MASK_FIELDS). */
  teamId?: string;
  userId?: string;
}

/** Counts one decision with its own call (the worker batches instead: addVersionStats). Meant for `ctx.waitUntil`; never rejects, resolves false on failure. */
export async function recordVersionStats(env: VersionStatsEnv, event: VersionStatsEvent): Promise<boolean> {
  try {
    const stub = shardStub(env, event.bundleVersion, fnv1a(event.requestId) % STATS_SHARDS);
    await stub.add(event.bundleVersion, event.time ?? Date.now(), {
      outcome: event.outcome,
      errors: event.error ? 1 : 0,
      estimatedCostUsd: event.estimatedCostUsd,
    });
    return true;
  } catch (error) {
    console.error(JSON.stringify({ msg: 'version stats not recorded', version: event?.bundleVersion, error: String(error) }));
    return false;
  }
}

/**
 * Adds an already summed delta (several decisions of one version, minute and outcome) to shard
 * `shard` of the version with one call. Rejects when the object could not be reached. The
 * worker's write-behind buffer (worker/recording/version-stats.ts) batches through this.
 */
export async function addVersionStats(env: VersionStatsEnv, version: string, shard: number, minute: number, delta: StatsDelta): Promise<void> {
  await shardStub(env, version, shard % STATS_SHARDS).add(version, minute, delta);
}

/** Adds one flush's shadow-rule counts of `version` to shard `shard`. Rejects when the object could not be reached. */
export async function addShadowStats(env: VersionStatsEnv, version: string, shard: number, delta: ShadowDelta): Promise<void> {
  await shardStub(env, version, shard % STATS_SHARDS).addShadow(version, delta);
}

/** Per shadow rule of `version`: hits, rate and the teams and users hit, summed over its shards. */
export async function shadowStatsOf(env: VersionStatsEnv, version: string): Promise<ShadowStats> {
  const shards = await Promise.all(Array.from({ length: STATS_SHARDS }, (_, n) => shardStub(env, version, n).shadow(version)));
  return mergeShadow(version, shards as ShadowStats[]);
}

/** A version's counters since `sinceMs`, summed over its shards. */
export async function versionStatsWindow(env: VersionStatsEnv, version: string, sinceMs: number): Promise<VersionWindow> {
  const windows = await Promise.all(Array.from({ length: STATS_SHARDS }, (_, n) => shardStub(env, version, n).window(version, sinceMs)));
  return summarize(version, sinceMs, mergeMinutes(windows.map((w) => w.minutes as MinuteStats[])));
}

function shardStub(env: VersionStatsEnv, version: string, n: number): DurableObjectStub<VersionStats> {
  return env.VERSION_STATS.get(env.VERSION_STATS.idFromName(`${version}#${n}`));
}
