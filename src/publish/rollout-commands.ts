// promote and rollback: move the signed pointer without publishing. Both re-read and verify the
// current pointer, check that the bundle they move traffic to is in KV and verifies, and record
// the change in the history.
import { parseBundle, verifyBundleDetailed, type PointerGates, type SignedPointer } from '../bundle/index';
import { PolicyError } from '../policy/errors';
import { defaultActor } from './actor';
import { bundleKey, type KvTarget } from './kv-target';
import { loadSigningKey, type SigningKey } from './keys';
import { movePointer, type MoveOptions } from './pointer-store';
import { requireKeyFile } from './pipeline';
import { promote as promoteState, rollback as rollbackState, type HistoryEntry, type RolloutState } from './rollout';
// Rollout gates (issue 6): what a gate or the kill switch adds to the history entry.
import type { AutoStopEntry, RolloutNote } from '../rollout/history';
import { withHistoryNote } from '../rollout/history-note';
import { judgeKillSwitch, KILL_SWITCH_KEY } from '../rollout/kill-switch';

interface PointerCommandOptions {
  target: KvTarget;
  keyFile?: string;
  key?: SigningKey;
  actor?: string;
  reason?: string;
  now?: () => Date;
  log?: (line: string) => void;
}

/**
 * A check before a promotion takes effect (the CLI plugs in src/rollout/worker-gate.ts). Return
 * `{ ok: false, reason }` to stop it; a `note` (gate table, --force) goes into the history entry.
 */
export type PromotionGate = (change: { from: RolloutState; to: RolloutState; target: KvTarget }) => Promise<{ ok: true; note?: RolloutNote } | { ok: false; reason: string }>;

export interface PromoteOptions extends PointerCommandOptions {
  /** Percent to move the canary to; default the next of 10 → 50 → 100. 100 makes it the stable. */
  to?: number;
  gates?: PromotionGate[];
  /**
   * New gate overrides for the canary (promote --gates). Absent: the current pointer's are kept
   * while the canary moves up. At 100% the canary is the stable and any overrides are dropped.
   */
  pointerGates?: PointerGates;
}

export interface PointerMove {
  pointer: SignedPointer;
  entry: HistoryEntry;
}

export async function promote(opts: PromoteOptions): Promise<PointerMove> {
  const key = await resolveKey(opts);
  let note: RolloutNote = {};
  return movePointer(
    withHistoryNote(opts.target, key.privateKey, () => note),
    key,
    async ({ pointer }) => {
      const to = promoteState(pointer, opts.to);
      if (opts.pointerGates && !to.canary) throw new PolicyError('input_error', `--gates has no effect here: promoting to 100% makes ${pointer!.canary} the stable, and a stable carries no gates`);
      await assertServable(opts.target, to.canary ?? to.stable, key.publicKey);
      for (const gate of opts.gates ?? []) {
        const verdict = await gate({ from: pointer!, to, target: opts.target });
        if (!verdict.ok) throw new PolicyError('input_error', `promotion stopped by a rollout gate: ${verdict.reason}`);
        note = { ...note, ...verdict.note };
      }
      return { action: 'promote', to, gates: to.canary ? (opts.pointerGates ?? pointer!.gates) : undefined };
    },
    moveOptions(opts),
  );
}

/** Drops the canary if there is one, else returns the stable to the previous stable. Needs a reason. */
export async function rollback(opts: PointerCommandOptions & { reason: string }): Promise<PointerMove> {
  if (!opts.reason?.trim()) throw new PolicyError('input_error', 'rollback needs --reason "why"');
  const key = await resolveKey(opts);
  let note: RolloutNote = {};
  return movePointer(
    withHistoryNote(opts.target, key.privateKey, () => note),
    key,
    async ({ pointer, history }) => {
      const to = rollbackState(pointer, history);
      await assertServable(opts.target, to.stable, key.publicKey);
      const autoStop = pointer ? await activeStop(opts.target, pointer) : undefined;
      if (autoStop) note = { autoStop };
      return { action: 'rollback', to };
    },
    moveOptions(opts),
  );
}

/** The coordinator's kill switch on this pointer's canary, if one is in effect (recorded by rollback). */
async function activeStop(target: KvTarget, pointer: RolloutState & { sequence: number }): Promise<AutoStopEntry | undefined> {
  const judged = judgeKillSwitch(pointer, await target.get(KILL_SWITCH_KEY));
  if (judged.state !== 'active') return undefined;
  const k = judged.killSwitch;
  return { action: 'auto-stop', actor: k.actor, at: k.stoppedAt, canary: k.canary, sequence: k.sequence, reason: k.reason, gates: k.gates };
}

async function resolveKey(opts: PointerCommandOptions): Promise<SigningKey> {
  return opts.key ?? loadSigningKey(requireKeyFile(opts.keyFile));
}

function moveOptions(opts: PointerCommandOptions): MoveOptions {
  return { actor: opts.actor ?? defaultActor(), reason: opts.reason, now: opts.now, warn: opts.log };
}

/** The pointer may only name a bundle the edge will load: present, well-formed and signed by this key. */
async function assertServable(target: KvTarget, version: string, publicKey: string): Promise<void> {
  const text = await target.get(bundleKey(version));
  if (text === null) throw new PolicyError('input_error', `${bundleKey(version)} is not in ${target.description}; refusing to point traffic at it`);
  let problem: string | undefined;
  try {
    const verified = await verifyBundleDetailed(parseBundle(JSON.parse(text), bundleKey(version)), publicKey);
    if (!verified.ok) problem = verified.message;
  } catch (e) {
    problem = (e as Error).message;
  }
  if (problem) throw new PolicyError('signature_error', `${bundleKey(version)} does not verify: ${problem}; refusing to point traffic at it`);
}
