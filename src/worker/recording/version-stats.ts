// Version stats through the isolate's write-behind buffer (write-behind.ts): a request pushes its
// event and returns; within ~50 ms a flush (under some request's waitUntil) sums the events per
// (version, minute, outcome) and sends one VersionStats.add per sum, so a busy version costs
// its objects one write per outcome per flush rather than one per decision.
import { STATS_SHARDS, addShadowStats, addVersionStats, type VersionStatsEvent } from '../../durable/version-stats-client';
import type { ShadowDelta } from '../../durable/version-stats-types';
import type { Decision, ShadowMatch } from '../../policy/types';
import { fromUnit, toUnit } from '../../durable/amounts';
import { privacySettings, privateSubject } from '../../durable/decision-privacy';
import type { DecisionsEnv, VersionStatsEnv } from '../../durable/env';
import { BUFFER_CAP, bufferPerKey, FLUSH_DELAY_MS, retryOnce, WriteBehind, type WaitUntil } from './write-behind';

const MINUTE_MS = 60_000;

interface Pending {
  version: string;
  minute: number;
  outcome: string;
  error: boolean;
  /** Micro-dollars, as the counters keep them, so sums are exact. */
  costUnits: number;
  /** Set for bundles with shadow rules (spec §10): what matched, and on whom. */
  shadow?: { matches: ShadowMatch[]; time: number; teamId?: string; userId?: string };
}

interface Sum {
  version: string;
  minute: number;
  outcome: string;
  count: number;
  errors: number;
  costUnits: number;
}

type Namespace = VersionStatsEnv['VERSION_STATS'];

const bufferOf = bufferPerKey<Namespace, Pending>(
  (ns) => new WriteBehind<Pending>({ name: 'version stats', delayMs: FLUSH_DELAY_MS, cap: BUFFER_CAP, send: (items) => send(ns, items) }),
);

/** Queues one decision's count; it is added within ~50 ms, off the request's path (write-behind.ts). */
export function countVersionStatsLater(env: VersionStatsEnv, waitUntil: WaitUntil, event: VersionStatsEvent): void {
  const time = event.time ?? Date.now();
  const cost = event.estimatedCostUsd;
  versionStatsBuffer(env).push(
    {
      version: event.bundleVersion,
      minute: time - (time % MINUTE_MS),
      outcome: event.outcome,
      error: event.error === true,
      costUnits: typeof cost === 'number' && Number.isFinite(cost) && cost > 0 ? toUnit('costUsd', cost) : 0,
      ...(event.shadow ? { shadow: { matches: event.shadow, time, teamId: event.teamId, userId: event.userId } } : {}),
    },
    waitUntil,
  );
}

/** What the shadow counters need of a decision (spec §10), when its bundle has shadow rules. */
export function shadowEvent(env: DecisionsEnv, decision: Decision, context: object): { shadow?: Decision['shadow']; teamId?: string; userId?: string } {
  if (!decision.shadow) return {};
  const { teamId, userId } = privateSubject(context, privacySettings(env).maskFields);
  return { shadow: decision.shadow, teamId, userId };
}

/** The isolate's buffer for this namespace (tests read its size and flush it). */
export function versionStatsBuffer(env: VersionStatsEnv): WriteBehind<Pending> {
  return bufferOf(env.VERSION_STATS);
}

/** The events summed per (version, minute, outcome). */
export function sumEvents(items: readonly Pending[]): Sum[] {
  const sums = new Map<string, Sum>();
  for (const e of items) {
    const key = `${e.version}\u0000${e.minute}\u0000${e.outcome}`;
    let sum = sums.get(key);
    if (!sum) {
      sum = { version: e.version, minute: e.minute, outcome: e.outcome, count: 0, errors: 0, costUnits: 0 };
      sums.set(key, sum);
    }
    sum.count += 1;
    sum.errors += e.error ? 1 : 0;
    sum.costUnits += e.costUnits;
  }
  return [...sums.values()];
}

/** The shadow-rule hits per version: one delta per version with shadow rules. */
export function shadowDeltas(items: readonly Pending[]): Map<string, ShadowDelta> {
  const deltas = new Map<string, ShadowDelta>();
  for (const e of items) {
    if (!e.shadow) continue;
    let delta = deltas.get(e.version);
    if (!delta) deltas.set(e.version, (delta = { decisions: 0, firstMs: e.shadow.time, lastMs: e.shadow.time, rules: [] }));
    delta.decisions += 1;
    delta.firstMs = Math.min(delta.firstMs, e.shadow.time);
    delta.lastMs = Math.max(delta.lastMs, e.shadow.time);
    for (const m of e.shadow.matches) {
      const rule = `${m.policyId}/${m.ruleId}`;
      let r = delta.rules.find((x) => x.rule === rule);
      if (!r) delta.rules.push((r = { rule, decision: m.decision, hits: 0, teams: {}, users: {} }));
      r.hits += 1;
      if (e.shadow.teamId !== undefined) r.teams[e.shadow.teamId] = (r.teams[e.shadow.teamId] ?? 0) + 1;
      if (e.shadow.userId !== undefined) r.users[e.shadow.userId] = (r.users[e.shadow.userId] ?? 0) + 1;
    }
  }
  return deltas;
}

async function send(ns: Namespace, items: Pending[]): Promise<void> {
  const env = { VERSION_STATS: ns };
  const shadow = [...shadowDeltas(items)].map(([version, delta]) =>
    retryOnce({ msg: 'shadow stats not recorded', version, decisions: delta.decisions }, () =>
      addShadowStats(env, version, Math.floor(Math.random() * STATS_SHARDS), delta),
    ),
  );
  await Promise.all([
    ...shadow,
    ...sumEvents(items).map((s) => {
      // Any shard will do: a window read sums them all. A random one spreads the isolates' flushes.
      const shard = Math.floor(Math.random() * STATS_SHARDS);
      const delta = { outcome: s.outcome, count: s.count, errors: s.errors, estimatedCostUsd: fromUnit('costUsd', s.costUnits) };
      return retryOnce({ msg: 'version stats not recorded', version: s.version, minute: s.minute, outcome: s.outcome, count: s.count }, () =>
        addVersionStats(env, s.version, shard, s.minute, delta),
      );
    }),
  ]);
}
