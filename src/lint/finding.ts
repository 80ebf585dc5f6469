// What lint reports, and the helper that places a finding in the author's file when the policy
// came from parsePolicies (policies from a bundle have no positions: policyId, ruleId and path
// identify them instead).
import { locate } from '../policy/source';
import type { Policy } from '../policy/types';

export type LintSeverity = 'error' | 'warning' | 'info';

export interface LintFinding {
  severity: LintSeverity;
  /** Stable kebab-case name of the check, e.g. `missing-reason`. */
  code: string;
  message: string;
  suggestion?: string;
  policyId?: string;
  ruleId?: string;
  file?: string;
  line?: number;
  column?: number;
  /** Path inside the policy, e.g. `rules[2].condition.conditions[0].field`. */
  path?: string;
  /** `file:line` of the other place the finding is about (a duplicate's first definition), when known. */
  seeAlso?: string;
}

/** The parts of a finding a check decides; where it is comes from findingAt. */
export interface FindingDraft {
  severity: LintSeverity;
  code: string;
  message: string;
  suggestion?: string;
}

/** A finding about `path` inside `policy` (and, when given, one of its rules). */
export function findingAt(policy: Policy, path: string, draft: FindingDraft, ruleId?: string): LintFinding {
  const at = locate(policy, path);
  return compact({
    ...draft,
    policyId: policy.metadata.id,
    ruleId,
    file: at?.file,
    line: at?.line,
    column: at?.column,
    path: path || undefined,
  });
}

/** By file, line, then code (as the CLI prints them); the rest only makes the order total. */
export function compareFindings(a: LintFinding, b: LintFinding): number {
  return (
    compareOptional(a.file, b.file) ||
    compareOptional(a.line, b.line) ||
    compareOptional(a.code, b.code) ||
    compareOptional(a.column, b.column) ||
    compareOptional(a.policyId, b.policyId) ||
    compareOptional(a.ruleId, b.ruleId) ||
    compareOptional(a.path, b.path) ||
    compareOptional(a.message, b.message)
  );
}

/** Absent values sort last, so located findings come before unlocated ones. */
function compareOptional<T extends string | number>(a: T | undefined, b: T | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

/** Drops undefined members so findings print and compare as plain JSON. */
function compact(finding: LintFinding): LintFinding {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(finding)) if (value !== undefined) out[key] = value;
  return out as unknown as LintFinding;
}
