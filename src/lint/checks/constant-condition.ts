// constant-condition (warning): a condition, or a part of one, that is always true or always false
// whatever the request (constant.ts proves it: `and` holding false, `or` holding true, `not: true`,
// `in: []`, contradicting leaves in one `and`, a leaf and its negation in one `or` ...). Each
// outermost such part is reported once. A bare `condition: true` is the intended catch-all and is
// not reported; `true` and `false` inside a larger condition only through the node they decide.
import type { Condition } from '../../policy/types';
import { childrenOf } from '../conditions';
import { staticTruth } from '../constant';
import { findingAt, type LintFinding } from '../finding';
import type { Check, RuleEntry } from '../lint-set';

export const checkConstantConditions: Check = (set) =>
  set.rules.flatMap((entry) => {
    if (entry.compileFailure || entry.rule.condition === true) return [];
    return constantParts(entry, entry.rule.condition, `${entry.path}.condition`, true);
  });

function constantParts(entry: RuleEntry, condition: Condition, path: string, isRoot: boolean): LintFinding[] {
  const truth = staticTruth(condition);
  if (truth && (isRoot || typeof condition !== 'boolean')) return [finding(entry, path, isRoot, truth.value, truth.why)];
  return childrenOf(condition, path).flatMap((child) => constantParts(entry, child.condition, child.path, false));
}

function finding(entry: RuleEntry, path: string, isRoot: boolean, value: boolean, why: string): LintFinding {
  const effect = value ? 'the rule matches every request' : 'the rule never matches';
  const message = isRoot
    ? `the condition is always ${value} (${why}): ${effect}`
    : `this part of the condition is always ${value} (${why})`;
  let suggestion: string;
  if (isRoot && entry.rule.condition === false) suggestion = 'to switch the rule off, write enabled: false instead of condition: false';
  else if (isRoot && value) suggestion = 'if a catch-all is meant, write condition: true; otherwise fix the condition';
  else suggestion = value ? 'remove the part that is always true, or fix it' : 'fix the contradiction, or remove the part that can never hold';
  return findingAt(entry.policy, path, { severity: 'warning', code: 'constant-condition', message, suggestion }, entry.rule.id);
}
