// The promotion and critical gates on synthetic counters: each gate passing and failing, the
// minimum sample, the stable baseline, the deny floor near a 0% stable rate, and the boundaries.
import { describe, expect, it } from 'vitest';
import { criticalGates, promotionGates, type GateReport } from '../../src/rollout/gates';
import { criticalThresholds, DEFAULT_THRESHOLDS } from '../../src/rollout/thresholds';
import { counts } from './counts';

const T = DEFAULT_THRESHOLDS;
const CRITICAL = criticalThresholds(T);
// A healthy stable: 1000 decisions, 10% denied, $0.001 per request, 1% errors.
const STABLE = counts(1000, { deny: 100, errors: 10, costUsd: 1 });

const row = (r: GateReport, gate: string) => r.rows.find((x) => x.gate === gate)!;
const failing = (r: GateReport) => r.rows.filter((x) => !x.pass).map((x) => x.gate);

describe('promotion gates', () => {
  it('pass a canary that looks like its stable', () => {
    const r = promotionGates(counts(200, { deny: 22, errors: 2, costUsd: 0.21 }), STABLE, T);
    expect(r.verdict).toBe('pass');
    expect(r.rows.map((x) => x.gate)).toEqual(['decisions', 'error_rate', 'deny_rate', 'cost_per_request']);
    expect(row(r, 'deny_rate')).toMatchObject({ value: 0.11, stable: 0.1, pass: true });
    expect(row(r, 'deny_rate').threshold).toBeCloseTo(0.13, 12);
    expect(row(r, 'cost_per_request').threshold).toBeCloseTo(0.0012, 12);
  });

  it('fail on the error rate (5% or more)', () => {
    const r = promotionGates(counts(200, { errors: 10 }), STABLE, T);
    expect(r.verdict).toBe('fail');
    expect(failing(r)).toEqual(['error_rate']);
    expect(row(r, 'error_rate')).toMatchObject({ value: 0.05, threshold: 0.05, comparison: '<', pass: false });
    expect(promotionGates(counts(200, { errors: 9, deny: 20, costUsd: 0.2 }), STABLE, T).verdict).toBe('pass');
  });

  it('fail on a deny rate more than 30% above the stable one', () => {
    expect(failing(promotionGates(counts(200, { deny: 27, costUsd: 0.2 }), STABLE, T))).toEqual(['deny_rate']);
    expect(promotionGates(counts(200, { deny: 26, costUsd: 0.2 }), STABLE, T).verdict).toBe('pass');
  });

  it('fail on a cost per request more than 20% above the stable one', () => {
    expect(failing(promotionGates(counts(200, { deny: 20, costUsd: 0.25 }), STABLE, T))).toEqual(['cost_per_request']);
    expect(promotionGates(counts(200, { deny: 20, costUsd: 0.24 }), STABLE, T).verdict).toBe('pass');
  });

  it('say insufficient_data under 100 canary decisions, however bad the rates', () => {
    const r = promotionGates(counts(99, { errors: 50, deny: 40 }), STABLE, T);
    expect(r.verdict).toBe('insufficient_data');
    expect(row(r, 'decisions')).toMatchObject({ value: 99, threshold: 100, comparison: '>=', pass: false });
    expect(promotionGates(counts(100, { deny: 10, costUsd: 0.1 }), STABLE, T).verdict).toBe('pass');
  });

  it('say insufficient_data when the stable has too few decisions to compare against', () => {
    const r = promotionGates(counts(200), counts(50), T);
    expect(r.verdict).toBe('insufficient_data');
    expect(row(r, 'deny_rate')).toMatchObject({ threshold: null, pass: false });
    expect(row(r, 'deny_rate').note).toMatch(/stable has 50 decisions/);
    // The error rate needs no baseline: a failing one is a fail even then.
    expect(promotionGates(counts(200, { errors: 20 }), counts(50), T).verdict).toBe('fail');
  });

  it('allow a few points of denials when the stable denies nothing (the deny floor)', () => {
    const clean = counts(1000);
    expect(row(promotionGates(counts(200, { deny: 4 }), clean, T), 'deny_rate')).toMatchObject({ value: 0.02, threshold: 0.02, pass: true });
    expect(promotionGates(counts(200, { deny: 5 }), clean, T).verdict).toBe('fail');
  });

  it('fail a canary that costs anything when the stable costs nothing', () => {
    expect(failing(promotionGates(counts(200, { costUsd: 0.01 }), counts(1000), T))).toEqual(['cost_per_request']);
    expect(promotionGates(counts(200), counts(1000), T).verdict).toBe('pass');
  });

  it('take relative margins without floating-point surprises', () => {
    // 0.7 × 1.3 is 0.9099999999999999 in floating point; a canary at exactly 91% denies still passes.
    expect(row(promotionGates(counts(100, { deny: 91 }), counts(100, { deny: 70 }), T), 'deny_rate').pass).toBe(true);
  });

  it('use the thresholds they are given', () => {
    const strict = { ...T, maxErrorRate: 0.01, minDecisions: 10 };
    expect(promotionGates(counts(20, { errors: 1, deny: 2, costUsd: 0.02 }), STABLE, strict).verdict).toBe('fail');
    expect(promotionGates(counts(20, { deny: 2, costUsd: 0.02 }), STABLE, strict).verdict).toBe('pass');
  });
});

describe('critical gates (the automatic stop)', () => {
  it('breach above 10% errors, not at 10%', () => {
    expect(criticalGates(counts(200, { errors: 20, deny: 20, costUsd: 0.2 }), STABLE, CRITICAL).verdict).toBe('pass');
    const r = criticalGates(counts(200, { errors: 21, deny: 20, costUsd: 0.2 }), STABLE, CRITICAL);
    expect(r.verdict).toBe('fail');
    expect(failing(r)).toEqual(['error_rate']);
  });

  it('breach at a deny rate more than 50% above the stable one, or a cost more than 50% above', () => {
    expect(criticalGates(counts(200, { deny: 30, costUsd: 0.3 }), STABLE, CRITICAL).verdict).toBe('pass');
    expect(failing(criticalGates(counts(200, { deny: 31, costUsd: 0.2 }), STABLE, CRITICAL))).toEqual(['deny_rate']);
    expect(failing(criticalGates(counts(200, { deny: 20, costUsd: 0.31 }), STABLE, CRITICAL))).toEqual(['cost_per_request']);
  });

  it('do not stop a canary that could be promoted: the gap between the two sets of limits', () => {
    const degraded = counts(200, { errors: 14, deny: 28, costUsd: 0.28 });
    expect(promotionGates(degraded, STABLE, T).verdict).toBe('fail');
    expect(criticalGates(degraded, STABLE, CRITICAL).verdict).toBe('pass');
  });

  it('never breach on fewer than the minimum decisions', () => {
    expect(criticalGates(counts(99, { errors: 99 }), STABLE, CRITICAL).verdict).toBe('insufficient_data');
  });

  it('still breach on errors when the stable has no baseline', () => {
    expect(criticalGates(counts(200, { errors: 100 }), counts(0), CRITICAL).verdict).toBe('fail');
    expect(criticalGates(counts(200, { deny: 200 }), counts(0), CRITICAL).verdict).toBe('insufficient_data');
  });
});
