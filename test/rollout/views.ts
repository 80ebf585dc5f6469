// A GET /v1/rollout answer for the CLI tests: canary 1.1.0 at 10% over stable 1.0.0, passing gates.
import { promotionGates } from '../../src/rollout/gates';
import { DEFAULT_THRESHOLDS } from '../../src/rollout/thresholds';
import type { RolloutView } from '../../src/rollout/view';
import { counts } from './counts';

export const STABLE = counts(1000, { deny: 100, costUsd: 1 });

export function viewWith(over: Partial<RolloutView> = {}): RolloutView {
  return {
    stable: '1.0.0',
    canary: '1.1.0',
    percent: 10,
    sequence: 2,
    updatedAt: '2026-11-20T10:00:00.000Z',
    canaryStartedAt: '2026-11-20T10:00:00.000Z',
    thresholds: DEFAULT_THRESHOLDS,
    gates: promotionGates(counts(200, { deny: 20, costUsd: 0.2 }), STABLE, DEFAULT_THRESHOLDS),
    critical: null,
    killSwitch: { state: 'none' },
    coordinator: null,
    history: [],
    ...over,
  };
}
