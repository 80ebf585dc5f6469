// What regenerating a changed pattern would do to its stale policies: the policy the pattern
// generates now against the one on disk, policy by policy and rule by rule. Provenance is left out
// of the comparison (the description's word diff already shows what changed in the pattern).
import { diffPolicies, type PolicyDiff } from '../../bundle/diff';
import type { Policy } from '../../policy/types';
import { patternProvenance } from './provenance';
import type { Pattern } from './read';
import type { LocatedPolicy, PatternStatus } from './status';

/** The policies `generate --from-pattern` would write for the pattern now; undefined when it cannot. */
export type Regenerate = (pattern: Pattern) => Promise<Policy[] | undefined>;

/** Pattern id -> the diff from its stale policies to what it generates now. */
export async function regenerationDiffs(status: PatternStatus, policies: LocatedPolicy[], regenerate: Regenerate): Promise<Map<string, PolicyDiff>> {
  const diffs = new Map<string, PolicyDiff>();
  for (const entry of status.patterns) {
    if (!entry.policies.some((p) => p.state === 'stale')) continue;
    const now = await regenerate(entry.pattern);
    if (!now) continue;
    const before = policies.map((p) => p.policy).filter((p) => patternProvenance(p)?.id === entry.pattern.id);
    diffs.set(entry.pattern.id, diffPolicies(before.map(withoutSource), now.map(withoutSource)));
  }
  return diffs;
}

function withoutSource(policy: Policy): Policy {
  const { source: _source, ...metadata } = policy.metadata;
  return { ...policy, metadata };
}
