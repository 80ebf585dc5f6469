// decidePromotion: promote moves only when the worker says every gate passes for this canary and
// no kill switch stopped it; --force needs --reason; an unreachable worker refuses.
import { describe, expect, it } from 'vitest';
import { promotionGates } from '../../src/rollout/gates';
import { decidePromotion, type GateSource } from '../../src/rollout/promotion';
import { DEFAULT_THRESHOLDS } from '../../src/rollout/thresholds';
import type { RolloutView } from '../../src/rollout/view';
import { counts } from './counts';
import { STABLE, viewWith } from './views';

const URL = 'http://127.0.0.1:8787';

const from = (view: RolloutView): GateSource => ({ ok: true, url: URL, view });
const decide = (source: GateSource, force = false, reason?: string) => decidePromotion({ canary: '1.1.0', source, force, reason });

describe('decidePromotion', () => {
  it('allows when every gate passes', () => {
    expect(decide(from(viewWith()))).toMatchObject({ allow: true, forced: false, report: { verdict: 'pass' } });
  });

  it('refuses when a gate fails, naming it', () => {
    const failing = viewWith({ gates: promotionGates(counts(200, { errors: 20, deny: 20, costUsd: 0.2 }), STABLE, DEFAULT_THRESHOLDS) });
    const d = decide(from(failing));
    expect(d.allow).toBe(false);
    expect(d.message).toBe('gates verdict fail (error_rate); or override with --force --reason "why"');
    expect(d.report?.verdict).toBe('fail');
  });

  it('refuses on insufficient data', () => {
    const d = decide(from(viewWith({ gates: promotionGates(counts(40), STABLE, DEFAULT_THRESHOLDS) })));
    expect(d).toMatchObject({ allow: false, message: expect.stringMatching(/^gates verdict insufficient_data \(decisions\)/) });
  });

  it('refuses a canary the coordinator stopped, even with passing gates', () => {
    const stopped = viewWith({
      killSwitch: { state: 'active', killSwitch: { format: 'llm-policy-killswitch/v1', canary: '1.1.0', sequence: 2, stoppedAt: '2026-11-20T10:05:00.000Z', reason: 'critical gate breach: error_rate', actor: 'rollout-coordinator', gates: [] } },
    });
    expect(decide(from(stopped)).message).toMatch(/^canary 1\.1\.0 was stopped automatically at 2026-11-20T10:05:00\.000Z \(critical gate breach: error_rate\); roll back/);
  });

  it('refuses when the worker reports another canary (KV not propagated yet)', () => {
    expect(decide(from(viewWith({ canary: '1.0.5' }))).message).toMatch(/reports canary 1\.0\.5, but the pointer names 1\.1\.0/);
  });

  it('refuses when the worker cannot be reached', () => {
    const d = decide({ ok: false, url: URL, problem: 'fetch failed (ECONNREFUSED)' });
    expect(d).toEqual({ allow: false, message: `cannot read the rollout gates from ${URL}: fetch failed (ECONNREFUSED) (or override with --force --reason "why")` });
  });

  it('lets --force --reason through anything, keeping the gates it saw', () => {
    expect(decide({ ok: false, url: URL, problem: 'down' }, true, 'incident 42: fix must ship')).toMatchObject({ allow: true, forced: true });
    const d = decide(from(viewWith({ gates: promotionGates(counts(40), STABLE, DEFAULT_THRESHOLDS) })), true, 'low traffic weekend');
    expect(d).toMatchObject({ allow: true, forced: true, report: { verdict: 'insufficient_data' } });
  });

  it('refuses --force without a reason', () => {
    expect(decide(from(viewWith()), true, '  ')).toMatchObject({ allow: false, message: expect.stringMatching(/^--force needs --reason/) });
  });
});
