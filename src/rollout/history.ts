// The rollout history as shown: the publisher's signed `history` entries (pointer moves, with
// the gate table and any --force override this issue adds) merged with the RolloutCoordinator's
// automatic stops, newest first. Also where a canary's window starts.
import type { HistoryEntry, RolloutState } from '../publish/rollout';
import type { GateReport, GateRow } from './gates';
import { COORDINATOR_ACTOR } from './kill-switch';

/** What promote and rollback add to their history entry (src/rollout/history-note.ts). */
export interface RolloutNote {
  /** The promotion gates when the move was decided (absent when the worker could not be reached). */
  gates?: GateReport;
  /** `promote --force`: the gates did not allow it; `reason` says why it went ahead. */
  forced?: boolean;
  /** rollback after the coordinator had stopped the canary: that stop. */
  autoStop?: AutoStopEntry;
}

export type PublisherEntry = HistoryEntry & RolloutNote;

/** One automatic stop, as the coordinator logs it. */
export interface AutoStopEntry {
  action: 'auto-stop';
  actor: typeof COORDINATOR_ACTOR;
  at: string;
  canary: string;
  /** The pointer sequence whose canary it stopped. */
  sequence: number;
  reason: string;
  gates: GateRow[];
}

export type DisplayEntry = PublisherEntry | AutoStopEntry;

export function isAutoStop(entry: DisplayEntry): entry is AutoStopEntry {
  return entry.action === 'auto-stop';
}

/** Newest first; a stop sorts after the pointer move it stopped when both carry the same time. */
export function mergeHistory(entries: PublisherEntry[], stops: AutoStopEntry[]): DisplayEntry[] {
  const all: DisplayEntry[] = [...entries, ...stops];
  return all.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (isAutoStop(a) ? 1 : 0) - (isAutoStop(b) ? 1 : 0) || b.sequence - a.sequence);
}

/**
 * When the pointer's canary started: the time of the history entry that brought that version in
 * as the canary (a promote from 10 to 50% keeps the start). The history must reach the pointer's
 * own sequence (it is written just after the pointer and may lag in KV); otherwise, or without a
 * verified history, the pointer's updatedAt: later than the truth, so the window is shorter,
 * never one that mixes in an earlier run of the same version.
 */
export function canaryStartedAt(pointer: RolloutState & { sequence: number; updatedAt: string }, history: HistoryEntry[]): string {
  if (!pointer.canary) return pointer.updatedAt;
  const newestFirst = history.filter((e) => e.sequence <= pointer.sequence).sort((a, b) => b.sequence - a.sequence);
  if (newestFirst[0]?.sequence !== pointer.sequence) return pointer.updatedAt;
  let start = pointer.updatedAt;
  for (const entry of newestFirst) {
    if (entry.to.canary !== pointer.canary) break;
    start = entry.at;
    if (entry.from?.canary !== pointer.canary) break;
  }
  return start;
}
