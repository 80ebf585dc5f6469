// shadow (info): a rule in shadow mode (its own `mode: shadow`, or its policy's metadata.mode) is
// evaluated and reported in Decision.shadow but never decides, warns or adds obligations. Worth
// a line, so a rule left in shadow after its trial is not mistaken for an enforced one. Checks
// about how decisions combine (conflict, unreachable) leave shadow rules out.
import { findingAt, type LintFinding } from '../finding';
import type { Check } from '../lint-set';

export const checkShadowMode: Check = (set) =>
  set.rules.flatMap((entry): LintFinding[] => {
    if (!entry.shadow || !entry.live) return [];
    const own = entry.rule.mode === 'shadow';
    return [findingAt(entry.policy, own ? `${entry.path}.mode` : 'metadata.mode', {
      severity: 'info',
      code: 'shadow',
      message: `rule ${entry.rule.id} is in shadow mode${own ? '' : ' (from metadata.mode)'}: it is evaluated and reported in the decision's shadow list, but never decides`,
      suggestion: 'check its hits with llm-policy status (or simulate --from-decisions), then set mode: enforce',
    }, entry.rule.id)];
  });
