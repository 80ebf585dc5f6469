// Thresholds: defaults, GATE_* vars (a bad one keeps the default and says so), a signed pointer's
// per-rollout overrides, and critical limits that are never stricter than the promotion gates.
import { describe, expect, it } from 'vitest';
import { criticalThresholds, DEFAULT_THRESHOLDS, thresholdsFromVars, withOverrides } from '../../src/rollout/thresholds';

describe('thresholds', () => {
  it('default to 5% errors, 30% deny margin (2-point floor), 20% cost margin, 100 decisions', () => {
    expect(thresholdsFromVars({})).toEqual({ maxErrorRate: 0.05, denyMargin: 0.3, denyFloor: 0.02, costMargin: 0.2, minDecisions: 100 });
  });

  it('take the GATE_* vars', () => {
    const vars = { GATE_MAX_ERROR_RATE: '0.02', GATE_DENY_MARGIN: '0.5', GATE_DENY_FLOOR: '0', GATE_COST_MARGIN: '1', GATE_MIN_DECISIONS: '500' };
    expect(thresholdsFromVars(vars)).toEqual({ maxErrorRate: 0.02, denyMargin: 0.5, denyFloor: 0, costMargin: 1, minDecisions: 500 });
  });

  it('keep the default for a var that is not a valid number, and say which', () => {
    const warnings: string[] = [];
    const t = thresholdsFromVars({ GATE_MAX_ERROR_RATE: '5%', GATE_MIN_DECISIONS: '0', GATE_COST_MARGIN: '' }, (m) => warnings.push(m));
    expect(t).toEqual(DEFAULT_THRESHOLDS);
    expect(warnings).toEqual([
      'GATE_MAX_ERROR_RATE="5%" is not a valid fraction from 0 to 1; using 0.05',
      'GATE_MIN_DECISIONS="0" is not a valid whole number >= 1; using 100',
    ]);
  });

  it('let a signed pointer override them per rollout, field by field', () => {
    expect(withOverrides(DEFAULT_THRESHOLDS, { minDecisions: 20, denyMargin: 0.1 })).toEqual({ ...DEFAULT_THRESHOLDS, minDecisions: 20, denyMargin: 0.1 });
    expect(withOverrides(DEFAULT_THRESHOLDS, undefined)).toEqual(DEFAULT_THRESHOLDS);
  });

  it('make the critical limits 10% errors, +50% deny (5-point floor), +50% cost, never stricter than the gates', () => {
    expect(criticalThresholds(DEFAULT_THRESHOLDS)).toEqual({ maxErrorRate: 0.1, denyMargin: 0.5, denyFloor: 0.05, costMargin: 0.5, minDecisions: 100 });
    const loose = { ...DEFAULT_THRESHOLDS, maxErrorRate: 0.2, costMargin: 2 };
    expect(criticalThresholds(loose)).toMatchObject({ maxErrorRate: 0.2, costMargin: 2 });
  });
});
