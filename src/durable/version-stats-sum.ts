// Adding up version counters: minutes into a window, and shards' minutes into one.
import type { MinuteStats, StatsTotals, VersionWindow } from './version-stats-types';

export function addTotals(into: StatsTotals, from: StatsTotals): void {
  into.count += from.count;
  into.errors += from.errors;
  into.estimatedCostUsd += from.estimatedCostUsd;
  for (const [k, n] of Object.entries(from.byOutcome)) into.byOutcome[k] = (into.byOutcome[k] ?? 0) + n;
}

/** Merges minutes that share a start (from several shards), ascending. */
export function mergeMinutes(lists: MinuteStats[][]): MinuteStats[] {
  const byMinute = new Map<number, MinuteStats>();
  for (const list of lists) {
    for (const m of list) {
      const into = byMinute.get(m.minute);
      if (into) addTotals(into, m);
      else byMinute.set(m.minute, { ...m, byOutcome: { ...m.byOutcome } });
    }
  }
  return [...byMinute.values()].sort((a, b) => a.minute - b.minute);
}

export function summarize(version: string, sinceMs: number, minutes: MinuteStats[]): VersionWindow {
  const out: VersionWindow = { version, sinceMs, count: 0, errors: 0, estimatedCostUsd: 0, byOutcome: {}, minutes };
  for (const m of minutes) addTotals(out, m);
  return out;
}
