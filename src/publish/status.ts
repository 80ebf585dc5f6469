// status: what the pointer says, whether it verifies, the versions in KV and recent history.
import { keyIdOf, verifyPointer } from '../bundle/index';
import { HISTORY_KEY, POINTER_KEY, type KvTarget } from './kv-target';
import type { HistoryDocument } from './pointer-store';
import type { HistoryEntry, RolloutState } from './rollout';
import { listBundleVersions } from './versions';

export interface RolloutStatus {
  target: string;
  pointer: (RolloutState & { sequence: number; updatedAt: string; actor?: string; reason?: string }) | null;
  /** `verified (key <id>)`, `NOT VERIFIED: <why>`, or `not checked (no public key)`. */
  signature: string;
  versions: string[];
  /** Newest first. */
  history: HistoryEntry[];
}

export async function status(opts: { target: KvTarget; publicKey?: string; historyLimit?: number }): Promise<RolloutStatus> {
  const { target } = opts;
  const pointerText = await target.get(POINTER_KEY);
  const doc = pointerText === null ? null : parseOrNull(pointerText);
  const history = (parseOrNull((await target.get(HISTORY_KEY)) ?? 'null') as HistoryDocument | null)?.entries ?? [];
  return {
    target: target.description,
    pointer: pointerFields(doc),
    signature: await signatureText(doc, pointerText !== null, opts.publicKey),
    versions: await listBundleVersions(target),
    history: [...history].reverse().slice(0, opts.historyLimit ?? 10),
  };
}

export function formatStatus(s: RolloutStatus): string {
  const lines = [`target:   ${s.target}`];
  if (!s.pointer) lines.push('pointer:  none (nothing published yet)');
  else {
    const p = s.pointer;
    lines.push(`stable:   ${p.stable}`);
    lines.push(`canary:   ${p.canary ? `${p.canary} at ${p.canaryPercent}%` : 'none'}`);
    lines.push(`sequence: ${p.sequence}, updated ${p.updatedAt}${p.actor ? ` by ${p.actor}` : ''}${p.reason ? ` (${p.reason})` : ''}`);
  }
  lines.push(`signature: ${s.signature}`);
  lines.push(`versions: ${s.versions.length ? s.versions.join(', ') : 'none'}`);
  if (s.history.length) {
    lines.push('history (newest first):');
    for (const e of s.history) lines.push(`  #${e.sequence} ${e.at} ${e.actor} ${e.action}: ${describeState(e.from)} -> ${describeState(e.to)}${e.reason ? ` (${e.reason})` : ''}`);
  }
  return lines.join('\n');
}

function describeState(state: RolloutState | null): string {
  if (!state) return 'nothing';
  return state.canary ? `${state.stable} + canary ${state.canary} ${state.canaryPercent}%` : state.stable;
}

// Shown as stored, verified or not: status is how one finds out what is wrong with it.
function pointerFields(doc: unknown): RolloutStatus['pointer'] {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
  const { signature: _signature, ...fields } = doc as Record<string, unknown>;
  return fields as unknown as RolloutStatus['pointer'];
}

async function signatureText(doc: unknown, present: boolean, publicKey: string | undefined): Promise<string> {
  if (!present) return 'none';
  if (doc === null) return 'NOT VERIFIED: the pointer is not JSON';
  if (!publicKey) return 'not checked (no public key)';
  const verified = await verifyPointer(doc, publicKey);
  return verified.ok ? `verified (key ${await keyIdOf(publicKey)})` : `NOT VERIFIED: ${verified.message}`;
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
