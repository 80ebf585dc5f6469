// Gate thresholds: the defaults, the worker's GATE_* vars over them, a signed pointer's `gates`
// over those, and the looser "critical" limits the automatic stop uses. Pure: the worker (route
// and Durable Object alarm) and the CLI read the same numbers.
import type { PointerGates } from '../bundle/pointer';

export interface GateThresholds {
  /** The canary's error rate must stay below this fraction. */
  maxErrorRate: number;
  /** Canary deny rate ≤ stable deny rate × (1 + denyMargin) ... */
  denyMargin: number;
  /** ... or ≤ stable deny rate + denyFloor, whichever is higher (so a stable rate near 0 does not make one deny a failure). */
  denyFloor: number;
  /** Canary estimated cost per request ≤ stable's × (1 + costMargin). */
  costMargin: number;
  /** Fewer canary decisions than this: the verdict is insufficient_data. */
  minDecisions: number;
}

export const DEFAULT_THRESHOLDS: Readonly<GateThresholds> = {
  maxErrorRate: 0.05,
  denyMargin: 0.3,
  denyFloor: 0.02,
  costMargin: 0.2,
  minDecisions: 100,
};

/** A breach of these stops a running canary (the RolloutCoordinator's alarm). */
export const CRITICAL_LIMITS: Readonly<Omit<GateThresholds, 'minDecisions'>> = {
  maxErrorRate: 0.1,
  denyMargin: 0.5,
  denyFloor: 0.05,
  costMargin: 0.5,
};

/** The wrangler vars that set the thresholds (text, as every var). */
export const THRESHOLD_VARS = {
  maxErrorRate: 'GATE_MAX_ERROR_RATE',
  denyMargin: 'GATE_DENY_MARGIN',
  denyFloor: 'GATE_DENY_FLOOR',
  costMargin: 'GATE_COST_MARGIN',
  minDecisions: 'GATE_MIN_DECISIONS',
} as const satisfies Record<keyof GateThresholds, string>;

/**
 * The defaults with each GATE_* var that holds a valid number applied. An invalid var keeps the
 * default and is reported through `warn`, so a typo cannot switch a gate off.
 */
export function thresholdsFromVars(vars: object, warn?: (message: string) => void): GateThresholds {
  const out: GateThresholds = { ...DEFAULT_THRESHOLDS };
  for (const [field, name] of Object.entries(THRESHOLD_VARS) as [keyof GateThresholds, string][]) {
    const text = (vars as Record<string, unknown>)[name];
    if (typeof text !== 'string' || text.trim() === '') continue;
    const n = Number(text);
    if (validValue(field, n)) out[field] = n;
    else warn?.(`${name}=${JSON.stringify(text)} is not a valid ${describeField(field)}; using ${out[field]}`);
  }
  return out;
}

/** A signed pointer's per-rollout overrides over `base` (the pointer schema has checked their ranges). */
export function withOverrides(base: GateThresholds, overrides: PointerGates | undefined): GateThresholds {
  if (!overrides) return { ...base };
  const out = { ...base };
  for (const field of Object.keys(THRESHOLD_VARS) as (keyof GateThresholds)[]) {
    const value = overrides[field];
    if (value !== undefined && validValue(field, value)) out[field] = value;
  }
  return out;
}

/**
 * The automatic stop's limits: the critical ones, but never stricter than the promotion gates
 * (a canary that could be promoted must not be stopped). Same minimum sample.
 */
export function criticalThresholds(t: GateThresholds): GateThresholds {
  return {
    maxErrorRate: Math.max(t.maxErrorRate, CRITICAL_LIMITS.maxErrorRate),
    denyMargin: Math.max(t.denyMargin, CRITICAL_LIMITS.denyMargin),
    denyFloor: Math.max(t.denyFloor, CRITICAL_LIMITS.denyFloor),
    costMargin: Math.max(t.costMargin, CRITICAL_LIMITS.costMargin),
    minDecisions: t.minDecisions,
  };
}

function validValue(field: keyof GateThresholds, n: number): boolean {
  if (!Number.isFinite(n) || n < 0) return false;
  if (field === 'minDecisions') return Number.isInteger(n) && n >= 1;
  if (field === 'maxErrorRate' || field === 'denyFloor') return n <= 1;
  return n <= 100;
}

function describeField(field: keyof GateThresholds): string {
  if (field === 'minDecisions') return 'whole number >= 1';
  if (field === 'maxErrorRate' || field === 'denyFloor') return 'fraction from 0 to 1';
  return 'relative margin from 0 to 100';
}
