// Reaching the one RolloutCoordinator: the worker's poke when it loads a pointer with a canary,
// and its state for GET /v1/rollout.
import type { AutoStopEntry } from '../rollout/history';
import type { CoordinatorState } from '../rollout/view';
import type { RolloutEnv } from './env';

export const COORDINATOR_NAME = 'rollout';

/** Pokes the coordinator for a pointer that runs a canary. Never rejects; without the binding, does nothing. */
export async function watchCanary(env: Partial<RolloutEnv>, pointer: { canary?: string; canaryPercent: number; updatedAt: string }): Promise<void> {
  if (!env.ROLLOUT || !pointer.canary || pointer.canaryPercent === 0) return;
  try {
    await coordinator(env.ROLLOUT).watch(pointer.canary, pointer.updatedAt);
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', event: 'rollout_watch_failed', canary: pointer.canary, error: String(error) }));
  }
}

/**
 * The loader's persistent replay check: records a verified pointer's sequence and returns the
 * highest ever seen. Without the binding it returns the sequence itself (memory only).
 */
export function pointerSequenceGuard(env: Partial<RolloutEnv>): (sequence: number) => Promise<number> {
  return async (sequence) => (env.ROLLOUT ? coordinator(env.ROLLOUT).observeSequence(sequence) : sequence);
}

/** The coordinator's state, or null when the binding is missing or it did not answer. */
export async function coordinatorState(env: Partial<RolloutEnv>): Promise<(CoordinatorState & { stops: AutoStopEntry[] }) | null> {
  if (!env.ROLLOUT) return null;
  try {
    return await coordinator(env.ROLLOUT).state();
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', event: 'rollout_state_failed', error: String(error) }));
    return null;
  }
}

export function coordinator(ns: NonNullable<RolloutEnv['ROLLOUT']>): DurableObjectStub<import('./rollout-coordinator').RolloutCoordinator> {
  return ns.get(ns.idFromName(COORDINATOR_NAME));
}
