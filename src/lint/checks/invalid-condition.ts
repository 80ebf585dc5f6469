// invalid-condition (error): a rule the engine cannot compile (a value of the wrong type, a regex
// RE2 rejects, a malformed tree). parsePolicies already rejects these; for bundle input and
// hand-built policies lint reports them, located at the failing node, instead of throwing.
import { findingAt } from '../finding';
import type { Check } from '../lint-set';

export const checkInvalidConditions: Check = (set) =>
  set.rules.flatMap((entry) => {
    const failure = entry.compileFailure;
    if (!failure) return [];
    return [findingAt(entry.policy, failure.path, {
      severity: 'error',
      code: 'invalid-condition',
      message: `the rule does not compile: ${failure.message}`,
      suggestion: 'fix the condition as policy-language.md §2 describes; compileBundle rejects the set until then',
    }, entry.rule.id)];
  });
