// The rollout gates, pure: a canary's counters against the stable's over the same window (since
// the canary started), as a table of gates and one verdict. The promotion gates decide whether
// `promote` may move the canary up; the critical gates (looser limits) decide whether the
// RolloutCoordinator stops it. See src/rollout/README.md.
import type { GateThresholds } from './thresholds';

/** A version's totals over the window; VersionStats windows have this shape. */
export interface VersionCounts {
  count: number;
  errors: number;
  estimatedCostUsd: number;
  byOutcome: Record<string, number>;
}

export type GateName = 'decisions' | 'error_rate' | 'deny_rate' | 'cost_per_request';
export type Comparison = '<' | '<=' | '>=';
export type Verdict = 'pass' | 'fail' | 'insufficient_data';

export interface GateRow {
  gate: GateName;
  /** The canary's value (a count, a fraction, or USD per request). */
  value: number;
  /** What the value is compared with; null when the stable has too few decisions to compare against. */
  threshold: number | null;
  comparison: Comparison;
  pass: boolean;
  /** The stable's value, for the relative gates. */
  stable?: number;
  note?: string;
}

export interface GateReport {
  verdict: Verdict;
  rows: GateRow[];
}

/** Outcomes counted as denials for the deny-rate gate. Budget and rate limits are not policy denials. */
export const DENY_OUTCOMES = ['deny'] as const;

// Floating point: 0.7 × 1.3 is 0.9099999999999999, which would fail a canary at exactly 0.91.
const EPSILON = 1e-9;

/** Whether `promote` may move the canary: every gate must pass. */
export function promotionGates(canary: VersionCounts, stable: VersionCounts, t: GateThresholds): GateReport {
  return report(canary, stable, t, '<');
}

/** Whether the canary must be stopped: `fail` is a critical breach. Pass `criticalThresholds(...)`. */
export function criticalGates(canary: VersionCounts, stable: VersionCounts, critical: GateThresholds): GateReport {
  // "error rate above 10%" is the breach, so exactly 10% still passes.
  return report(canary, stable, critical, '<=');
}

function report(canary: VersionCounts, stable: VersionCounts, t: GateThresholds, errorComparison: Comparison): GateReport {
  const hasBaseline = stable.count >= t.minDecisions;
  const baselineNote = `stable has ${stable.count} decision${stable.count === 1 ? '' : 's'} in the window, fewer than ${t.minDecisions}`;
  const rows: GateRow[] = [
    { gate: 'decisions', value: canary.count, threshold: t.minDecisions, comparison: '>=', pass: canary.count >= t.minDecisions },
    compare('error_rate', rate(canary.errors, canary.count), t.maxErrorRate, errorComparison),
  ];

  const canaryDeny = denyRate(canary);
  const stableDeny = denyRate(stable);
  rows.push(
    hasBaseline
      ? { ...compare('deny_rate', canaryDeny, Math.max(stableDeny * (1 + t.denyMargin), stableDeny + t.denyFloor), '<='), stable: stableDeny }
      : { gate: 'deny_rate', value: canaryDeny, threshold: null, comparison: '<=', pass: false, note: baselineNote },
  );

  const canaryCost = rate(canary.estimatedCostUsd, canary.count);
  const stableCost = rate(stable.estimatedCostUsd, stable.count);
  rows.push(
    hasBaseline
      ? { ...compare('cost_per_request', canaryCost, stableCost * (1 + t.costMargin), '<='), stable: stableCost }
      : { gate: 'cost_per_request', value: canaryCost, threshold: null, comparison: '<=', pass: false, note: baselineNote },
  );
  return { verdict: verdictOf(rows, canary.count >= t.minDecisions), rows };
}

/**
 * Too few canary decisions: insufficient_data, whatever the rates say. Else any failing gate
 * with a threshold is a fail (the error rate needs no baseline); else a gate without a baseline
 * leaves it insufficient_data.
 */
function verdictOf(rows: GateRow[], enoughCanary: boolean): Verdict {
  if (!enoughCanary) return 'insufficient_data';
  if (rows.some((r) => r.threshold !== null && !r.pass)) return 'fail';
  if (rows.some((r) => r.threshold === null)) return 'insufficient_data';
  return 'pass';
}

function compare(gate: GateName, value: number, threshold: number, comparison: Comparison): GateRow {
  const pass = comparison === '<' ? value < threshold : comparison === '<=' ? value <= threshold * (1 + EPSILON) : value >= threshold;
  return { gate, value, threshold, comparison, pass };
}

function denyRate(c: VersionCounts): number {
  return rate(DENY_OUTCOMES.reduce((n, o) => n + (c.byOutcome[o] ?? 0), 0), c.count);
}

function rate(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}
