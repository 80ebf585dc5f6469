// GET /v1/rollout's answer: the snapshot the gates are judged from, the coordinator's state and
// the history merged with its automatic stops.
import { mergeHistory, type AutoStopEntry } from '../rollout/history';
import { KILL_SWITCH_LOG_KEY } from '../rollout/kill-switch';
import type { RolloutView } from '../rollout/view';
import { coordinatorState, watchCanary } from './rollout-client';
import type { RolloutEnv } from './env';
import { readRolloutSnapshot } from './rollout-snapshot';
import { shadowStatsOf } from './version-stats-client';
import type { ShadowStats } from './version-stats-types';

export async function buildRolloutView(env: RolloutEnv): Promise<RolloutView> {
  const snapshot = await readRolloutSnapshot(env);
  const { pointer, window } = snapshot;
  // Reading the gates of a canary nobody watches (binding added later, pokes failed) starts the watch.
  if (pointer) await watchCanary(env, pointer);
  const coordinator = await coordinatorState(env);
  const stops = coordinator?.stops ?? (await stopsFromKv(env));
  const shadow = await shadowOf(env, [pointer?.stable, window?.version]);
  return {
    stable: pointer?.stable ?? null,
    canary: window?.version ?? null,
    percent: pointer?.canaryPercent ?? 0,
    sequence: pointer?.sequence ?? null,
    updatedAt: pointer?.updatedAt ?? null,
    ...(snapshot.pointerProblem ? { pointerProblem: snapshot.pointerProblem } : {}),
    canaryStartedAt: window?.startedAt ?? null,
    thresholds: snapshot.thresholds,
    gates: window?.gates ?? null,
    critical: window?.critical ?? null,
    killSwitch: snapshot.killSwitch,
    coordinator: coordinator ? { watching: coordinator.watching, nextCheckAt: coordinator.nextCheckAt, lastCheck: coordinator.lastCheck } : null,
    history: mergeHistory(snapshot.history, stops),
    ...(snapshot.historyProblem ? { historyProblem: snapshot.historyProblem } : {}),
    shadow: shadow.stats,
    ...(shadow.problem ? { shadowProblem: shadow.problem } : {}),
  };
}

/** The shadow counters of the versions served; counters out of reach do not cost the rest of the view. */
async function shadowOf(env: RolloutEnv, versions: Array<string | null | undefined>): Promise<{ stats: ShadowStats[]; problem?: string }> {
  const served = [...new Set(versions.filter((v): v is string => typeof v === 'string'))];
  try {
    const stats = await Promise.all(served.map((v) => shadowStatsOf(env, v)));
    return { stats: stats.filter((s) => s.decisions > 0) };
  } catch (e) {
    return { stats: [], problem: `shadow counters not available: ${e instanceof Error ? e.message : String(e)}` };
  }
}

async function stopsFromKv(env: RolloutEnv): Promise<AutoStopEntry[]> {
  try {
    const list: unknown = JSON.parse((await env.BUNDLES.get(KILL_SWITCH_LOG_KEY)) ?? '[]');
    return Array.isArray(list) ? (list as AutoStopEntry[]) : [];
  } catch {
    return [];
  }
}
