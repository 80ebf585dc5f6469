// The rollout state machine, pure: which stable and canary the pointer names after each command.
// Publishing and promote move forward; rollback drops the canary, or else returns the stable to
// the one before it, found by replaying the history.
import { PolicyError } from '../policy/errors';

export interface RolloutState {
  stable: string;
  canary?: string;
  /** 0 when there is no canary. */
  canaryPercent: number;
}

export type RolloutAction = 'publish' | 'canary' | 'promote' | 'rollback';

/** One pointer change, as kept in the `history` list. */
export interface HistoryEntry {
  sequence: number;
  at: string;
  actor: string;
  action: RolloutAction;
  from: RolloutState | null;
  to: RolloutState;
  reason?: string;
}

/** Where `promote` without `--to` moves a canary: the first step above its current percent. */
export const PROMOTE_STEPS = [10, 50, 100] as const;

export function publishStable(version: string): RolloutState {
  return { stable: version, canaryPercent: 0 };
}

/** A new canary beside the stable (replacing a running one only when the caller said so: see below). */
export function publishCanary(current: RolloutState | null, version: string, percent: number): RolloutState {
  checkCanaryPercent(percent);
  if (!current) throw refuse(`there is no stable version yet to run a canary against; publish ${version} without --canary first`);
  return { stable: current.stable, canary: version, canaryPercent: percent };
}

/**
 * A publish (stable or canary) while a canary runs would drop it without a word: refused unless
 * the caller passes `replaceCanary` (`--replace-canary`), or promotes or rolls back first.
 */
export function checkNoRunningCanary(current: RolloutState | null, replaceCanary: boolean): void {
  if (!current?.canary || replaceCanary) return;
  throw refuse(`a canary of ${current.canary} is running at ${current.canaryPercent}%: promote or roll back first, or pass --replace-canary`);
}

export function checkCanaryPercent(percent: number): void {
  if (!Number.isInteger(percent) || percent < 1 || percent > 99) throw refuse(`--canary must be a whole percent from 1 to 99, got ${percent}`);
}

/** Moves the canary up; at 100 it becomes the stable and the canary clears. */
export function promote(current: RolloutState | null, to?: number): RolloutState {
  if (!current?.canary) throw refuse('there is no canary to promote');
  const target = to ?? PROMOTE_STEPS.find((step) => step > current.canaryPercent) ?? 100;
  if (!Number.isInteger(target) || target < 1 || target > 100) throw refuse(`--to must be a whole percent from 1 to 100, got ${to}`);
  if (target <= current.canaryPercent) throw refuse(`canary ${current.canary} is already at ${current.canaryPercent}%; --to ${target} would not move it forward`);
  if (target === 100) return { stable: current.canary, canaryPercent: 0 };
  return { ...current, canaryPercent: target };
}

/** Drops the canary if there is one, else returns the stable to the previous stable. */
export function rollback(current: RolloutState | null, history: HistoryEntry[]): RolloutState {
  if (!current) throw refuse('there is nothing to roll back: no version has been published');
  if (current.canary) return { stable: current.stable, canaryPercent: 0 };
  const previous = previousStable(history, current.stable);
  if (!previous) throw refuse(`there is no stable version before ${current.stable} to roll back to`);
  return { stable: previous, canaryPercent: 0 };
}

/**
 * The stable that was in effect before `stable` became it. Replays the history as a stack of
 * stables: a publish or promote pushes, a rollback pops, so rolling back twice goes two
 * versions back instead of bouncing between the last two.
 */
export function previousStable(history: HistoryEntry[], stable: string): string | undefined {
  const stack: string[] = [];
  for (const entry of [...history].sort((a, b) => a.sequence - b.sequence)) {
    if (entry.from && stack.length === 0) stack.push(entry.from.stable);
    if (entry.from?.stable === entry.to.stable) continue;
    if (entry.action === 'rollback') stack.pop();
    if (stack.at(-1) !== entry.to.stable) stack.push(entry.to.stable);
  }
  if (stack.at(-1) !== stable) stack.push(stable);
  return stack.at(-2);
}

export function sameState(a: RolloutState | null, b: RolloutState): boolean {
  return !!a && a.stable === b.stable && a.canary === b.canary && a.canaryPercent === b.canaryPercent;
}

function refuse(message: string): PolicyError {
  return new PolicyError('input_error', message);
}
