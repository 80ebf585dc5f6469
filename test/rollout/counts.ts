// Synthetic per-version totals (the shape VersionStats windows have) for the pure gate tests.
import type { VersionCounts } from '../../src/rollout/gates';

export function counts(decisions: number, opts: { deny?: number; errors?: number; costUsd?: number } = {}): VersionCounts {
  const deny = opts.deny ?? 0;
  return { count: decisions, errors: opts.errors ?? 0, estimatedCostUsd: opts.costUsd ?? 0, byOutcome: { allow: decisions - deny, ...(deny ? { deny } : {}) } };
}
