// disabled (info): draft and disabled policies, and disabled rules, are validated but never
// evaluated. Worth a line in the report so nobody wonders why a rule never fires.
import { findingAt, type LintFinding } from '../finding';
import type { Check } from '../lint-set';

export const checkDisabled: Check = (set) => [
  ...set.policies.flatMap((policy): LintFinding[] => {
    const status = policy.status ?? 'active';
    if (status === 'active') return [];
    return [findingAt(policy, 'status', {
      severity: 'info',
      code: 'disabled',
      message: `policy is ${status}: none of its rules are evaluated`,
      suggestion: 'set status: active (or remove the status line) when it is ready',
    })];
  }),
  // Rules of a policy that is off are covered by the policy's own finding.
  ...set.rules.flatMap((entry): LintFinding[] => {
    if (entry.rule.enabled !== false || (entry.policy.status ?? 'active') !== 'active') return [];
    return [findingAt(entry.policy, `${entry.path}.enabled`, {
      severity: 'info',
      code: 'disabled',
      message: `rule ${entry.rule.id} is disabled: it is validated but never evaluated`,
      suggestion: 'remove enabled: false to turn it on, or delete the rule if it is no longer needed',
    }, entry.rule.id)];
  }),
];
