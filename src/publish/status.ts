// status: what the pointer says, whether it verifies, the versions in KV and recent history.
import { keyIdOf, verifyPointer, type PointerGates } from '../bundle/index';
import { HISTORY_KEY, POINTER_KEY, type KvTarget } from './kv-target';
import type { HistoryDocument } from './pointer-store';
import type { HistoryEntry, RolloutState } from './rollout';
import { formatTenantReach, tenantReach, type TenantReach } from './tenant-reach';
import { listBundleVersions } from './versions';
// Rollout gates (issue 6): the kill switch and the automatic stops are read from KV; the gates
// come from the worker (GateSource) because only it can reach the counters.
import { formatGateTable, formatHistoryLine, formatKillSwitch } from '../rollout/format';
import { mergeHistory, type AutoStopEntry, type DisplayEntry } from '../rollout/history';
import { judgeKillSwitch, KILL_SWITCH_KEY, KILL_SWITCH_LOG_KEY, type KillSwitchState } from '../rollout/kill-switch';
import type { GateSource } from '../rollout/promotion';

export interface RolloutStatus {
  target: string;
  pointer: (RolloutState & { sequence: number; updatedAt: string; actor?: string; reason?: string; gates?: PointerGates }) | null;
  /** `verified (key <id>)`, `NOT VERIFIED: <why>`, or `not checked (no public key)`. */
  signature: string;
  versions: string[];
  /** Newest first: pointer moves and the coordinator's automatic stops. */
  history: (HistoryEntry | DisplayEntry)[];
  killSwitch?: KillSwitchState;
  gates?: GateSource;
  /** With `tenant`: its canary bucket and the version it is served. */
  tenant?: TenantReach;
}

export async function status(opts: { target: KvTarget; publicKey?: string; historyLimit?: number; gates?: GateSource; tenant?: string }): Promise<RolloutStatus> {
  const { target } = opts;
  const pointerText = await target.get(POINTER_KEY);
  const doc = pointerText === null ? null : parseOrNull(pointerText);
  const history = (parseOrNull((await target.get(HISTORY_KEY)) ?? 'null') as HistoryDocument | null)?.entries ?? [];
  const pointer = pointerFields(doc);
  const stops = parseOrNull((await target.get(KILL_SWITCH_LOG_KEY)) ?? 'null');
  const killSwitch = pointer ? judgeKillSwitch(pointer, await target.get(KILL_SWITCH_KEY)) : undefined;
  return {
    target: target.description,
    pointer,
    signature: await signatureText(doc, pointerText !== null, opts.publicKey),
    versions: await listBundleVersions(target),
    history: mergeHistory(history, Array.isArray(stops) ? (stops as AutoStopEntry[]) : []).slice(0, opts.historyLimit ?? 10),
    ...(killSwitch ? { killSwitch } : {}),
    ...(opts.gates ? { gates: opts.gates } : {}),
    ...(pointer && opts.tenant !== undefined ? { tenant: tenantReach(pointer, opts.tenant, killSwitch?.state === 'active') } : {}),
  };
}

export function formatStatus(s: RolloutStatus): string {
  const lines = [`target:   ${s.target}`];
  if (!s.pointer) lines.push('pointer:  none (nothing published yet)');
  else {
    const p = s.pointer;
    lines.push(`stable:   ${p.stable}`);
    lines.push(`canary:   ${p.canary ? `${p.canary} at ${p.canaryPercent}%` : 'none'}`);
    if (s.tenant) lines.push(formatTenantReach(s.tenant, p));
    const overrides = Object.entries(p.gates ?? {}).filter(([, v]) => v !== undefined);
    if (overrides.length) lines.push(`pointer gates: ${overrides.map(([k, v]) => `${k}=${v}`).join(', ')} (the rest from the worker's GATE_* vars)`);
    lines.push(`sequence: ${p.sequence}, updated ${p.updatedAt}${p.actor ? ` by ${p.actor}` : ''}${p.reason ? ` (${p.reason})` : ''}`);
  }
  lines.push(`signature: ${s.signature}`);
  lines.push(`versions: ${s.versions.length ? s.versions.join(', ') : 'none'}`);
  if (s.killSwitch) lines.push(`kill switch: ${formatKillSwitch(s.killSwitch)}`);
  lines.push(...gateLines(s));
  lines.push(...shadowLines(s));
  if (s.history.length) {
    lines.push('history (newest first):');
    for (const e of s.history) lines.push(formatHistoryLine(e as DisplayEntry));
  }
  return lines.join('\n');
}

function gateLines(s: RolloutStatus): string[] {
  if (!s.gates || !s.pointer?.canary) return [];
  if (!s.gates.ok) return [`gates:    not available (${s.gates.url}: ${s.gates.problem})`];
  const view = s.gates.view;
  if (!view.gates || view.canary !== s.pointer.canary) return [`gates:    the worker at ${s.gates.url} reports canary ${view.canary ?? 'none'} (KV propagation takes up to a minute)`];
  return [`gates:    canary ${view.canary} since ${view.canaryStartedAt} (from ${s.gates.url})`, ...formatGateTable(view.gates, '  ')];
}

/** Spec §10: each shadow rule's hits on the versions served, so it can be enforced with evidence. */
function shadowLines(s: RolloutStatus): string[] {
  if (!s.gates?.ok) return [];
  const { shadow = [], shadowProblem } = s.gates.view;
  if (shadowProblem) return [`shadow:   not available (${shadowProblem})`];
  if (shadow.length === 0) return [];
  const lines = [`shadow rules (would have fired, never decided; from ${s.gates.url}):`];
  for (const v of shadow) {
    lines.push(`  ${v.version}: ${v.decisions} decisions${v.since ? ` since ${v.since}` : ''}`);
    if (v.rules.length === 0) lines.push('    no shadow rule has matched yet');
    for (const r of v.rules) {
      lines.push(`    ${r.rule} → ${r.decision}: ${r.hits} hits (${(r.rate * 100).toFixed(1)}%), last ${r.lastSeen}`);
      lines.push(`      teams: ${subjects(r.teams, r.otherTeamHits)}; users: ${subjects(r.users, r.otherUserHits)}`);
    }
  }
  return lines;
}

function subjects(named: Array<{ id: string; hits: number }>, other: number): string {
  const list = named.map((n) => `${n.id} (${n.hits})`);
  if (other > 0) list.push(`others (${other})`);
  return list.length > 0 ? list.join(', ') : 'none named';
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
