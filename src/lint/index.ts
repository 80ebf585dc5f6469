// lint: static checks over a whole policy set, parsed (findings carry file:line:column) or taken
// from a bundle (findings name the policy, rule and path). Never throws on odd input: what it
// cannot read is itself a finding. Each check lives in checks/<code>.ts and documents itself.
import { checkBudgetSanity } from './checks/budget-sanity';
import { checkConflicts } from './checks/conflict';
import { checkConstantConditions } from './checks/constant-condition';
import { checkDisabled } from './checks/disabled';
import { checkDuplicateIds } from './checks/duplicate-id';
import { checkInvalidConditions } from './checks/invalid-condition';
import { checkMalformed } from './checks/malformed';
import { checkMissingReasons } from './checks/missing-reason';
import { checkObligationsOnDeny } from './checks/obligations-on-deny';
import { checkShadowMode } from './checks/shadow-mode';
import { checkTypeMismatches } from './checks/type-mismatch';
import { checkUnknownFields } from './checks/unknown-field';
import { checkUnknownModels } from './checks/unknown-model';
import { checkUnknownPiiTypes } from './checks/unknown-pii-type';
import { checkUnreachable } from './checks/unreachable';
import { compareFindings, type LintFinding } from './finding';
import { buildLintSet, type Check } from './lint-set';
import type { Policy } from '../policy/types';

export type { LintFinding, LintSeverity } from './finding';

const CHECKS: readonly Check[] = [
  checkDuplicateIds,
  checkMissingReasons,
  checkConflicts,
  checkUnreachable,
  checkBudgetSanity,
  checkInvalidConditions,
  checkDisabled,
  checkShadowMode,
  checkUnknownFields,
  checkConstantConditions,
  checkObligationsOnDeny,
  checkTypeMismatches,
  checkUnknownPiiTypes,
  checkUnknownModels,
];

/** Every finding about `policies`, sorted by file, line, then code. */
export function lint(policies: Policy[]): LintFinding[] {
  if (!Array.isArray(policies)) {
    return [{ severity: 'error', code: 'malformed', message: 'lint needs a list of policies', suggestion: 'pass the policies of a set or of a bundle' }];
  }
  const set = buildLintSet(policies);
  const findings = [...checkMalformed(policies), ...CHECKS.flatMap((check) => check(set))];
  return findings.sort(compareFindings);
}
