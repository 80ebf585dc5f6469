// Helpers for the rollout tests in workerd: real local KV and Durable Objects throughout.
import { env, SELF } from 'cloudflare:test';
import { signDocument } from '../../src/bundle/index';
import type { RolloutEnv } from '../../src/durable/env';
import type { VersionStats } from '../../src/durable/version-stats';
import type { KvTarget } from '../../src/publish/kv-target';
import type { HistoryEntry } from '../../src/publish/rollout';
import { usesCanary } from '../../src/worker/bundle/canary';
import { loaderFor } from '../../src/worker/bundle/registry';
import { readConfig } from '../../src/worker/config';
import { call, json } from './support/http';
import { ADMIN } from './support/publish';

export const rolloutEnv = env as unknown as RolloutEnv;

/**
 * Counts decisions for `version` in its VersionStats (the real object, shard 0 of 4: a window
 * read sums the shards). `at` is when they happened (default now).
 */
export async function countDecisions(version: string, c: { decisions: number; deny?: number; errors?: number; costUsd?: number; at?: number }): Promise<void> {
  const stats = env.VERSION_STATS as unknown as DurableObjectNamespace<VersionStats>;
  const stub = stats.get(stats.idFromName(`${version}#0`));
  const at = c.at ?? Date.now();
  const deny = c.deny ?? 0;
  if (c.decisions - deny > 0) await stub.add(version, at, { outcome: 'allow', count: c.decisions - deny, errors: c.errors ?? 0, estimatedCostUsd: c.costUsd ?? 0 });
  if (deny > 0) await stub.add(version, at, { outcome: 'deny', count: deny });
}

/** Tenants (team ids) the canary at `percent` serves, or does not. */
export function tenants(side: 'canary' | 'stable', percent: number, n: number, prefix = 'team'): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) if (usesCanary(`${prefix}-${i}`, percent) === (side === 'canary')) out.push(`${prefix}-${i}`);
  return out;
}

/** The version that decided an evaluate request for this team. */
export async function versionFor(team: string): Promise<string> {
  const res = await call('/v1/evaluate', { token: ADMIN, body: { context: { team: { id: team } } } });
  return (await json(res)).bundle.version;
}

/**
 * Makes this isolate's bundle loader (the one SELF serves with) re-read KV now, not after
 * POINTER_REFRESH_SECONDS, and waits for what it hands to waitUntil (the coordinator poke).
 */
export async function refreshWorker(): Promise<void> {
  const background: Promise<unknown>[] = [];
  await loaderFor(env, readConfig(env)).refresh((p) => background.push(p));
  await Promise.all(background);
}

/** The publisher's signed history, as src/publish writes it. */
export async function putHistory(entries: HistoryEntry[]): Promise<void> {
  await env.BUNDLES.put('history', JSON.stringify(await signDocument({ format: 'llm-policy-history/v1', entries }, env.TEST_BUNDLE_PRIVATE_KEY)));
}

/** The BUNDLES namespace as the publishing code's KvTarget (real local KV, not a copy). */
export function kvTarget(): KvTarget {
  return {
    description: 'workerd local KV',
    get: (key) => env.BUNDLES.get(key),
    put: (key, value) => env.BUNDLES.put(key, value),
    list: async (prefix) => (await env.BUNDLES.list({ prefix })).keys.map((k) => k.name),
  };
}

export const rolloutView = async (): Promise<any> => json(await call('/v1/rollout', { token: ADMIN }));

export { SELF };
