// Injection scores clustering just under the block threshold: more requests in the band right
// below it than in the band below that is what probing for the threshold looks like.
import type { Condition, Policy } from '../../policy/types';
import { bump, number, round, teamOf, topCounts, userOf } from './fields';
import { confidenceOf, type Finder } from './types';

/** The threshold when the policy set is not given, or blocks on no injection score (the shipped policies' 0.8). */
export const DEFAULT_INJECTION_THRESHOLD = 0.8;
/** Width of the band just under the threshold. */
export const BAND = 0.1;
/** The band needs at least this many requests, */
export const MIN_NEAR = 10;
/** and this many times the requests of the band below it. */
export const CLUSTER_RATIO = 2;

export const findInjectionNearThreshold: Finder = ({ records, policies }) => {
  const threshold = blockThreshold(policies) ?? DEFAULT_INJECTION_THRESHOLD;
  const low = round(threshold - BAND, 6);
  let near = 0;
  let below = 0;
  const users = new Map<string, number>();
  const teams = new Map<string, number>();
  for (const r of records) {
    const score = number(r, 'llm.injectionScore');
    if (score === undefined || score >= threshold) continue;
    if (score >= low) {
      near++;
      bump(users, userOf(r));
      bump(teams, teamOf(r));
    } else if (score >= threshold - 2 * BAND) below++;
  }
  if (near < MIN_NEAR || near < CLUSTER_RATIO * below) return [];
  const policy: Policy = {
    metadata: { id: 'injection-near-threshold', description: `Warn on injection scores from ${low} up to the block threshold ${threshold}.` },
    rules: [{
      id: 'warn-near-threshold',
      condition: { operator: 'and', conditions: [{ operator: 'gte', field: 'llm.injectionScore', value: low }, { operator: 'lt', field: 'llm.injectionScore', value: threshold }] } as Condition,
      action: { decision: 'warn', reason: 'injection score {{llm.injectionScore}} is just under the block threshold' },
    }],
  };
  const context = (score: number) => ({ llm: { injectionScore: score } });
  return [{
    id: 'injection-near-threshold',
    category: 'risk',
    metric: 'injection_score_near_threshold',
    recommendation: `${near} requests scored just under the injection threshold ${threshold} (from ${low}), against ${below} in the band below: someone may be probing it. Warn on (and watch) scores from ${low}, or lower the threshold.`,
    priority: near >= 5 * Math.max(1, below) ? 'high' : 'medium',
    effort: 'low',
    impact: 'high',
    confidence: confidenceOf(near),
    evidence: { threshold, band: [low, threshold], nearThreshold: near, bandBelow: below, users: topCounts(users), teams: topCounts(teams) },
    policy,
    tests: [
      { name: 'a score just under the threshold warns', context: context(round(threshold - BAND / 2, 6)), expect: { warnings: 1 } },
      { name: 'a score below the band does not', context: context(round(threshold - 2 * BAND, 6)), expect: { warnings: 0 } },
    ],
  }];
};

/** The lowest score an enforced request-stage deny rule blocks at (`llm.injectionScore gt|gte N`). */
function blockThreshold(policies: Policy[] | undefined): number | undefined {
  let found: number | undefined;
  const visit = (c: Condition) => {
    if (typeof c === 'boolean') return;
    if ('conditions' in c && Array.isArray(c.conditions) && c.operator === 'and') c.conditions.forEach(visit);
    if ('field' in c && c.field === 'llm.injectionScore' && (c.operator === 'gt' || c.operator === 'gte') && typeof c.value === 'number') {
      found = found === undefined ? c.value : Math.min(found, c.value);
    }
  };
  for (const p of policies ?? []) {
    if ((p.status ?? 'active') !== 'active') continue;
    for (const r of p.rules) {
      if (r.action.decision === 'deny' && r.enabled !== false && (r.stage ?? 'request') === 'request' && (r.mode ?? p.metadata.mode) !== 'shadow') visit(r.condition);
    }
  }
  return found;
}
