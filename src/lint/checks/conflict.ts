// conflict (warning): an allow and a deny (or needs_approval) rule with the same condition at the
// same effective priority. Spec §3 combines a tier deny-overrides (deny, then needs_approval, then
// allow), so the weaker rule never decides wherever the stronger one applies. Only reported when
// the stronger rule's namespace covers the weaker one's; catch-alls are unreachable's business.
import { conditionKey } from '../conditions';
import { staticTruth } from '../constant';
import { findingAt } from '../finding';
import { DECISION_STRENGTH, namespaceCovers, ruleLabel, type Check, type RuleEntry } from '../lint-set';

export const checkConflicts: Check = (set) => {
  const tiers = new Map<string, RuleEntry[]>();
  for (const entry of set.rules) {
    if (!entry.live || !entry.authoritative || staticTruth(entry.rule.condition)?.value === true) continue;
    const key = `${entry.stage} ${entry.priority} ${conditionKey(entry.rule.condition)}`;
    tiers.set(key, [...(tiers.get(key) ?? []), entry]);
  }
  return [...tiers.values()].flatMap((tier) =>
    tier.flatMap((weaker) => {
      const stronger = tier.find((other) => DECISION_STRENGTH[other.rule.action.decision] > DECISION_STRENGTH[weaker.rule.action.decision] && namespaceCovers(other.namespace, weaker.namespace));
      if (!stronger) return [];
      const decision = weaker.rule.action.decision;
      const winner = stronger.rule.action.decision;
      return [findingAt(weaker.policy, `${weaker.path}.condition`, {
        severity: 'warning',
        code: 'conflict',
        message: `${decision} rule ${ruleLabel(weaker)} has the same condition as ${winner} rule ${ruleLabel(stronger)} at priority ${weaker.priority}: ${winner} overrides ${decision} within a priority, so this rule never decides (it still appears in matchedRules)`,
        suggestion: `to make it an exception, give it a priority above ${weaker.priority}; otherwise remove one of the two rules`,
      }, weaker.rule.id)];
    }),
  );
};
