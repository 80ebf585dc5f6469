// Everything the rollout gates are judged from, read fresh: the signed pointer and history
// (verified), the kill switch, the thresholds, and both versions' counters since the canary
// started. GET /v1/rollout and the RolloutCoordinator's alarm read the same snapshot.
import { verifyDocument, verifyPointer, type SignedPointer } from '../bundle/index';
import { promotionGates, criticalGates, type GateReport } from '../rollout/gates';
import { canaryStartedAt, type PublisherEntry } from '../rollout/history';
import { judgeKillSwitch, KILL_SWITCH_KEY, type KillSwitchState } from '../rollout/kill-switch';
import { criticalThresholds, thresholdsFromVars, withOverrides, type GateThresholds } from '../rollout/thresholds';
import { HISTORY_KEY, POINTER_KEY } from '../publish/kv-target';
import type { RolloutEnv } from './env';
import { versionStatsWindow } from './version-stats-client';
import type { VersionWindow } from './version-stats-types';

export interface CanaryWindow {
  version: string;
  startedAt: string;
  canary: VersionWindow;
  stable: VersionWindow;
  gates: GateReport;
  critical: GateReport;
}

export interface RolloutSnapshot {
  pointer: SignedPointer | null;
  pointerProblem?: string;
  history: PublisherEntry[];
  historyProblem?: string;
  killSwitch: KillSwitchState;
  thresholds: GateThresholds;
  /** Present when the pointer runs a canary. */
  window?: CanaryWindow;
}

export async function readRolloutSnapshot(env: RolloutEnv, warn: (message: string) => void = () => undefined): Promise<RolloutSnapshot> {
  const publicKey = (env.BUNDLE_PUBLIC_KEY ?? '').trim();
  const [pointerText, historyText, killText] = await Promise.all([env.BUNDLES.get(POINTER_KEY), env.BUNDLES.get(HISTORY_KEY), env.BUNDLES.get(KILL_SWITCH_KEY)]);
  const { pointer, problem: pointerProblem } = await verifiedPointer(pointerText, publicKey);
  const { history, problem: historyProblem } = await verifiedHistory(historyText, publicKey);
  const thresholds = withOverrides(thresholdsFromVars(env, warn), pointer?.gates);
  const snapshot: RolloutSnapshot = {
    pointer,
    ...(pointerProblem ? { pointerProblem } : {}),
    history,
    ...(historyProblem ? { historyProblem } : {}),
    killSwitch: pointer ? judgeKillSwitch(pointer, killText) : killText === null ? { state: 'none' } : { state: 'ignored', why: 'there is no verified pointer' },
    thresholds,
  };
  if (pointer?.canary && pointer.canaryPercent > 0) snapshot.window = await canaryWindow(env, pointer, history, thresholds);
  return snapshot;
}

async function canaryWindow(env: RolloutEnv, pointer: SignedPointer, history: PublisherEntry[], thresholds: GateThresholds): Promise<CanaryWindow> {
  const version = pointer.canary!;
  const startedAt = canaryStartedAt(pointer, history);
  const since = Date.parse(startedAt);
  const [canary, stable] = await Promise.all([versionStatsWindow(env, version, since), versionStatsWindow(env, pointer.stable, since)]);
  return {
    version,
    startedAt,
    canary,
    stable,
    gates: promotionGates(canary, stable, thresholds),
    critical: criticalGates(canary, stable, criticalThresholds(thresholds)),
  };
}

async function verifiedPointer(text: string | null, publicKey: string): Promise<{ pointer: SignedPointer | null; problem?: string }> {
  if (text === null) return { pointer: null, problem: 'no pointer in KV: nothing has been published' };
  if (!publicKey) return { pointer: null, problem: 'BUNDLE_PUBLIC_KEY is not set: the pointer cannot be verified' };
  const doc = parseOrUndefined(text);
  if (doc === undefined) return { pointer: null, problem: 'the pointer is not JSON' };
  const verified = await verifyPointer(doc, publicKey);
  return verified.ok ? { pointer: verified.pointer } : { pointer: null, problem: `the pointer does not verify (${verified.reason}): ${verified.message}` };
}

// Only a verified history decides where a canary's window starts; an unverified one is shown as a problem.
async function verifiedHistory(text: string | null, publicKey: string): Promise<{ history: PublisherEntry[]; problem?: string }> {
  if (text === null) return { history: [] };
  const doc = parseOrUndefined(text) as { entries?: unknown } | undefined;
  if (!doc || !Array.isArray(doc.entries)) return { history: [], problem: 'the history is not a history document' };
  const verified = publicKey ? await verifyDocument(doc, publicKey) : { ok: false as const, message: 'BUNDLE_PUBLIC_KEY is not set' };
  return verified.ok ? { history: doc.entries as PublisherEntry[] } : { history: [], problem: `the history does not verify: ${verified.message}` };
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
