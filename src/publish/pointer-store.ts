// Reads and moves the signed rollout pointer and its signed history in KV. Every move re-reads
// the pointer, verifies its signature, and writes sequence + 1; then it appends the change to
// `history`. The pointer is written first: it is what the edge follows, the history explains it.
import { keyIdOf, parsePointer, signDocument, signPointer, verifyDocument, verifyPointer, type Pointer, type PointerGates, type SignedPointer } from '../bundle/index';
import { PolicyError } from '../policy/errors';
import { HISTORY_KEY, POINTER_KEY, type KvTarget } from './kv-target';
import type { SigningKey } from './keys';
import type { HistoryEntry, RolloutAction, RolloutState } from './rollout';

export const HISTORY_FORMAT = 'llm-policy-history/v1';

export interface HistoryDocument {
  format: typeof HISTORY_FORMAT;
  entries: HistoryEntry[];
}

export interface RolloutSnapshot {
  /** Verified; unsigned only when an unverified pointer is being replaced. */
  pointer: Pointer | null;
  history: HistoryEntry[];
}

export interface PointerChange {
  action: RolloutAction;
  to: RolloutState;
  /**
   * The gate overrides the new pointer carries (only with a canary). Absent: none. Every move
   * says so explicitly: a promote that keeps them passes the current pointer's.
   */
  gates?: PointerGates;
}

export interface MoveOptions {
  actor: string;
  reason?: string;
  /** Clock for `updatedAt` and the history entry; tests pass a fixed one. */
  now?: () => Date;
  /**
   * What to do when the stored pointer or history does not verify with this key. `refuse`
   * (default) stops; `replace` (local dev only, after a dev key was re-created) overwrites them.
   */
  onUnverified?: 'refuse' | 'replace';
  warn?: (line: string) => void;
}

/** The current pointer and history, both verified with `publicKey`. */
export async function readRollout(target: KvTarget, publicKey: string, opts: Pick<MoveOptions, 'onUnverified' | 'warn'> = {}): Promise<RolloutSnapshot> {
  return { pointer: await readPointer(target, publicKey, opts), history: await readHistory(target, publicKey, opts) };
}

/**
 * Moves the pointer: reads and verifies the current one, asks `decide` for the change, signs
 * the result with sequence + 1 and writes it, then appends to the history.
 */
export async function movePointer(
  target: KvTarget,
  key: SigningKey,
  decide: (current: RolloutSnapshot) => PointerChange | Promise<PointerChange>,
  opts: MoveOptions,
): Promise<{ pointer: SignedPointer; entry: HistoryEntry }> {
  const current = await readRollout(target, key.publicKey, opts);
  const { action, to, gates } = await decide(current);
  const at = (opts.now ?? (() => new Date()))().toISOString();
  const next: Pointer = {
    ...stateFields(to),
    ...(gates && to.canary ? { gates } : {}),
    sequence: (current.pointer?.sequence ?? 0) + 1,
    updatedAt: at,
    actor: opts.actor,
    ...(opts.reason ? { reason: opts.reason } : {}),
  };
  const pointer = await signPointer(next, key.privateKey);
  await target.put(POINTER_KEY, JSON.stringify(pointer));

  const entry: HistoryEntry = {
    sequence: next.sequence,
    at,
    actor: opts.actor,
    action,
    from: current.pointer ? stateFields(current.pointer) : null,
    to: stateFields(to),
    ...(opts.reason ? { reason: opts.reason } : {}),
  };
  const history: HistoryDocument = { format: HISTORY_FORMAT, entries: [...current.history, entry] };
  await target.put(HISTORY_KEY, JSON.stringify(await signDocument(history, key.privateKey)));
  return { pointer, entry };
}

export function stateFields(state: RolloutState): RolloutState {
  return state.canary ? { stable: state.stable, canary: state.canary, canaryPercent: state.canaryPercent } : { stable: state.stable, canaryPercent: 0 };
}

async function readPointer(target: KvTarget, publicKey: string, opts: Pick<MoveOptions, 'onUnverified' | 'warn'>): Promise<Pointer | null> {
  const doc = await readJson(target, POINTER_KEY);
  if (doc === null) return null;
  const verified = await verifyPointer(doc, publicKey);
  if (verified.ok) return verified.pointer;
  const problem = `the pointer in ${target.description} does not verify with key ${await keyIdText(publicKey)}: ${verified.message}`;
  if (opts.onUnverified !== 'replace') throw new PolicyError('signature_error', `${problem}; refusing to move it`);
  opts.warn?.(`WARNING: ${problem}; replacing it`);
  // Keep counting from its sequence when it has a readable one: an edge may hold it already.
  try {
    return parsePointer(doc);
  } catch {
    return null;
  }
}

async function readHistory(target: KvTarget, publicKey: string, opts: Pick<MoveOptions, 'onUnverified' | 'warn'>): Promise<HistoryEntry[]> {
  const doc = await readJson(target, HISTORY_KEY);
  if (doc === null) return [];
  const verified = await verifyDocument(doc, publicKey);
  const entries = (doc as Partial<HistoryDocument>).entries;
  if (verified.ok && (doc as HistoryDocument).format === HISTORY_FORMAT && Array.isArray(entries)) return entries;
  const problem = `the history in ${target.description} does not verify with key ${await keyIdText(publicKey)}: ${verified.ok ? 'not a history document' : verified.message}`;
  if (opts.onUnverified !== 'replace') throw new PolicyError('signature_error', `${problem}; refusing to extend it`);
  opts.warn?.(`WARNING: ${problem}; starting a new history`);
  return [];
}

async function readJson(target: KvTarget, key: string): Promise<unknown> {
  const text = await target.get(key);
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new PolicyError('bundle_error', `the ${key} value in ${target.description} is not JSON`);
  }
}

function keyIdText(publicKey: string): Promise<string> {
  return keyIdOf(publicKey).catch(() => '(unreadable key)');
}
