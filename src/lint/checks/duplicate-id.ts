// duplicate-id (error): policy ids must be unique in a bundle, rule ids within a policy, and
// budget and rate limit ids across the set (a budget's counters and its `budget.<id>.*` fields are
// keyed by id alone, so two policies defining one id would share them). parsePolicies catches
// some of these within one file; lint sees every file at once.
import { locate } from '../../policy/source';
import type { Policy } from '../../policy/types';
import { findingAt, type LintFinding } from '../finding';
import type { Check } from '../lint-set';

interface Occurrence {
  policy: Policy;
  path: string;
  ruleId?: string;
}

export const checkDuplicateIds: Check = (set) => [
  ...duplicates((id) => `policy id "${id}"`, set.policies.map((policy) => [policy.metadata.id, { policy, path: 'metadata.id' }]), 'policy ids must be unique in a bundle'),
  ...set.policies.flatMap((policy) =>
    duplicates(
      (id) => `rule id "${id}" in policy "${policy.metadata.id}"`,
      set.rules.filter((r) => r.policy === policy).sort((a, b) => a.index - b.index).map((r) => [r.rule.id, { policy, path: `${r.path}.id`, ruleId: r.rule.id }]),
      'rule ids must be unique within a policy',
    ),
  ),
  ...duplicates((id) => `budget or rate limit id "${id}"`, set.limits.map((l) => [l.limit.id, { policy: l.policy, path: `${l.path}.id` }]), 'budget and rate limit ids must be unique across the policy set'),
];

/** Every occurrence after the first of an id, naming where the first one is. */
function duplicates(what: (id: string) => string, occurrences: Array<[string, Occurrence]>, rule: string): LintFinding[] {
  const first = new Map<string, Occurrence>();
  const findings: LintFinding[] = [];
  for (const [id, here] of occurrences) {
    const earlier = first.get(id);
    if (!earlier) {
      first.set(id, here);
      continue;
    }
    const finding = findingAt(here.policy, here.path, {
      severity: 'error',
      code: 'duplicate-id',
      message: `duplicate ${what(id)} (first defined ${describe(earlier)})`,
      suggestion: `rename one of them: ${rule}`,
    }, here.ruleId);
    const at = locate(earlier.policy, earlier.path);
    if (at?.file) finding.seeAlso = `${at.file}${at.line !== undefined ? `:${at.line}` : ''}`;
    findings.push(finding);
  }
  return findings;
}

/**
 * The first occurrence by policy and path: one wording whether or not the policies came with file
 * positions, so lint of a folder and lint of its compiled bundle say the same thing. Its file and
 * line, when known, go in the finding's `seeAlso`, beside the duplicate's own.
 */
function describe(o: Occurrence): string {
  return `in policy "${o.policy.metadata.id}" at ${o.path}`;
}
