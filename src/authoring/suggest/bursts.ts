// Bursty keys without a rate limit: callers (by user id) who sent many requests within one
// minute, while the policy set limits no request rate per user.
import type { Policy } from '../../policy/types';
import { userOf } from './fields';
import { confidenceOf, type Finder } from './types';

/** Requests by one user within one calendar minute that make a burst. */
export const BURST_PER_MINUTE = 30;
const MINUTE_MS = 60_000;

export const findBurstsWithoutRateLimit: Finder = ({ records, policies }) => {
  if (policies?.some((p) => (p.rateLimits ?? []).some((l) => l.scope === 'user.id' && l.limit.requests !== undefined))) return [];
  const perMinute = new Map<string, Map<number, number>>();
  const limited = new Set<string>();
  for (const r of records) {
    const user = userOf(r);
    if (!user) continue;
    if (r.decision === 'rate_limited') limited.add(user);
    const minute = Math.floor(Date.parse(r.time) / MINUTE_MS);
    let minutes = perMinute.get(user);
    if (!minutes) perMinute.set(user, (minutes = new Map()));
    minutes.set(minute, (minutes.get(minute) ?? 0) + 1);
  }
  const peaks = [...perMinute]
    .filter(([user]) => !limited.has(user))
    .map(([user, minutes]) => ({ user, peak: Math.max(...minutes.values()), minutes: minutes.size }))
    .filter((p) => p.peak >= BURST_PER_MINUTE)
    .sort((a, b) => b.peak - a.peak || (a.user < b.user ? -1 : 1));
  if (peaks.length === 0) return [];
  const counts = [...perMinute.values()].flatMap((m) => [...m.values()]).sort((a, b) => a - b);
  const p95 = counts[Math.min(counts.length - 1, Math.ceil(0.95 * counts.length) - 1)];
  // Room for ordinary use (1.5 × the 95th percentile of a user's minute), but under the bursts seen.
  const limit = Math.max(10, Math.min(Math.ceil(1.5 * p95), BURST_PER_MINUTE - 1));
  const named = peaks.slice(0, 20).map((p) => p.user).sort();
  const policy: Policy = {
    metadata: { id: 'user-rate-limit', description: `At most ${limit} requests per minute per user.` },
    rules: [{
      id: 'warn-bursty-users',
      condition: { operator: 'in', field: 'user.id', value: named },
      action: { decision: 'warn', reason: 'user {{user.id}} sent bursts of requests; a rate limit of ' + limit + ' per minute applies' },
    }],
    rateLimits: [{ id: 'user-requests-per-minute', scope: 'user.id', window: 'minute', limit: { requests: limit } }],
  };
  return [{
    id: 'bursts-without-rate-limit',
    category: 'best_practice',
    metric: 'requests_per_minute_per_user',
    recommendation: `Limit each user to ${limit} requests per minute: ${peaks.length} users sent ${BURST_PER_MINUTE} or more within one minute (up to ${peaks[0].peak}), and no rate limit per user is set.`,
    priority: peaks[0].peak >= 3 * BURST_PER_MINUTE ? 'high' : 'medium',
    effort: 'low',
    impact: 'medium',
    confidence: confidenceOf(peaks.reduce((n, p) => n + p.peak, 0)),
    evidence: { burstPerMinute: BURST_PER_MINUTE, users: peaks.slice(0, 10).map((p) => ({ id: p.user, peakPerMinute: p.peak })), burstyUsers: peaks.length, p95PerMinute: p95, limit },
    policy,
    tests: [
      { name: `a bursty user is warned`, context: { user: { id: named[0] } }, expect: { warnings: 1 } },
      { name: 'another user is not', context: { user: { id: `not-${named[0]}` } }, expect: { warnings: 0 } },
    ],
  }];
};
