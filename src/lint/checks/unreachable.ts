// unreachable (warning): an authoritative rule whose condition always holds (a catch-all) decides
// every request it applies to, so an authoritative rule below it (a lower effective priority, or
// the same priority and a weaker decision: deny > needs_approval > allow) can never decide. Such a
// rule still matches and is listed in matchedRules; it just never changes the decision. warn and
// modify rules do not decide, so they are never shadowed and never shadow.
import { staticTruth } from '../constant';
import { findingAt, type LintFinding } from '../finding';
import { DECISION_STRENGTH, namespaceCovers, ruleLabel, type Check, type RuleEntry } from '../lint-set';

export const checkUnreachable: Check = (set) => {
  const deciding = set.rules.filter((r) => r.live && r.authoritative);
  const catchAlls = deciding.filter((r) => staticTruth(r.rule.condition)?.value === true);
  if (catchAlls.length === 0) return [];
  return deciding.flatMap((entry): LintFinding[] => {
    const shadow = catchAlls.find((c) => c !== entry && shadows(c, entry));
    return shadow ? [finding(entry, shadow)] : [];
  });
};

function shadows(catchAll: RuleEntry, entry: RuleEntry): boolean {
  if (catchAll.stage !== entry.stage || !namespaceCovers(catchAll.namespace, entry.namespace)) return false;
  if (catchAll.priority !== entry.priority) return catchAll.priority > entry.priority;
  return DECISION_STRENGTH[catchAll.rule.action.decision] > DECISION_STRENGTH[entry.rule.action.decision];
}

function finding(entry: RuleEntry, shadow: RuleEntry): LintFinding {
  const catchAll = `catch-all ${shadow.rule.action.decision} rule ${ruleLabel(shadow)}`;
  const why = shadow.priority > entry.priority
    ? `the ${catchAll} at priority ${shadow.priority} always matches, and only the highest matched priority decides`
    : `the ${catchAll} at the same priority ${shadow.priority} always matches, and ${shadow.rule.action.decision} overrides ${entry.rule.action.decision}`;
  const scope = shadow.namespace === undefined ? '' : ` in namespace ${shadow.namespace}`;
  return findingAt(entry.policy, entry.path, {
    severity: 'warning',
    code: 'unreachable',
    message: `${entry.rule.action.decision} rule ${ruleLabel(entry)} (priority ${entry.priority}) can never decide${scope}: ${why}; it still appears in matchedRules when its condition holds`,
    suggestion: `if it is an exception to ${ruleLabel(shadow)}, give it a priority above ${shadow.priority}; otherwise narrow the catch-all's condition or remove this rule`,
  }, entry.rule.id);
}
