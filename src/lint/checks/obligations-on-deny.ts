// obligations-on-deny (warning): obligations are returned only when the final decision is allow
// (spec §3.4), so on a deny or needs_approval rule they can never take effect.
import { findingAt, type LintFinding } from '../finding';
import type { Check } from '../lint-set';

export const checkObligationsOnDeny: Check = (set) =>
  set.rules.flatMap((entry): LintFinding[] => {
    const { decision, obligations } = entry.rule.action;
    if ((decision !== 'deny' && decision !== 'needs_approval') || !Array.isArray(obligations) || obligations.length === 0) return [];
    return [findingAt(entry.policy, `${entry.path}.action.obligations`, {
      severity: 'warning',
      code: 'obligations-on-deny',
      message: `obligations on a ${decision} rule are never returned: obligations apply only when the final decision is allow`,
      suggestion: 'move them to a modify rule with the condition under which they should apply, or remove them',
    }, entry.rule.id)];
  });
