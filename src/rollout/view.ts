// What GET /v1/rollout answers (the worker builds it, the CLI reads it): the pointer, the canary's
// window, both gate tables, the kill switch, the coordinator and the merged history.
import type { GateReport } from './gates';
import type { DisplayEntry } from './history';
import type { KillSwitchState } from './kill-switch';
import type { GateThresholds } from './thresholds';
import type { ShadowStats } from '../durable/version-stats-types';

export interface CoordinatorState {
  /** The canary the coordinator's alarm is checking, if any. */
  watching: { canary: string; startedAt: string } | null;
  /** ISO 8601, like every other time in the view; null when no check is scheduled. */
  nextCheckAt: string | null;
  lastCheck: { at: string; canary: string; sequence: number; verdict: string } | null;
}

export interface RolloutView {
  stable: string | null;
  canary: string | null;
  /** The signed pointer's canary percent (the kill switch may send 0% to it instead). */
  percent: number;
  sequence: number | null;
  updatedAt: string | null;
  /** Why there is no usable pointer (missing, or it did not verify). */
  pointerProblem?: string;
  /** Start of the window the gates count over. */
  canaryStartedAt: string | null;
  thresholds: GateThresholds;
  /** The promotion gates; null without a canary. */
  gates: GateReport | null;
  /** The automatic stop's (critical) gates; null without a canary. */
  critical: GateReport | null;
  killSwitch: KillSwitchState;
  /** Null when the ROLLOUT binding is missing or did not answer. */
  coordinator: CoordinatorState | null;
  /** Newest first. */
  history: DisplayEntry[];
  historyProblem?: string;
  /**
   * Spec §10: per shadow rule of the stable and canary versions, how often it would have fired and
   * on whom (versions whose bundles have no shadow rules are left out).
   */
  shadow?: ShadowStats[];
  shadowProblem?: string;
}
