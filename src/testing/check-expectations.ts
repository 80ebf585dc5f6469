// Compares a Decision with a test's (resolved) expectations. Each difference is one sentence that
// says what was expected and what came out, so a failing test explains itself.
import { deepEqual } from '../engine/deep-equal';
import type { Decision } from '../policy/types';
import type { ResolvedExpectations } from './resolve-expectations';

/** Why a rule did (`expectedMatch` false) or did not (true) match; see explain-rule.ts. */
export type ExplainRule = (id: string, expectedMatch: boolean) => string;

export function checkExpectations(decision: Decision, expect: ResolvedExpectations, explain: ExplainRule): string[] {
  const problems: string[] = [];
  const matched = new Set(decision.matchedRules.map((m) => `${m.policyId}/${m.ruleId}`));

  if (expect.decision !== undefined && expect.decision !== decision.decision) {
    problems.push(`expected decision ${expect.decision}, got ${decision.decision} (reasons: ${decision.reasons.join('; ')})`);
  }
  if (expect.reasons !== undefined && !deepEqual(expect.reasons, decision.reasons)) {
    problems.push(`expected reasons ${JSON.stringify(expect.reasons)}, got ${JSON.stringify(decision.reasons)}`);
  }
  for (const id of expect.matchedRules ?? []) {
    if (!matched.has(id)) problems.push(`expected rule ${id} to match, but it did not: ${explain(id, true)}`);
  }
  for (const id of expect.notMatchedRules ?? []) {
    if (matched.has(id)) problems.push(`expected rule ${id} not to match, but it did: ${explain(id, false)}`);
  }
  // Shadow rules (spec §10) are listed only in the Decision's `shadow`, never in matchedRules.
  const shadowed = new Set(((decision as { shadow?: Array<{ policyId: string; ruleId: string }> }).shadow ?? []).map((s) => `${s.policyId}/${s.ruleId}`));
  for (const id of expect.shadow ?? []) {
    if (!shadowed.has(id)) problems.push(`expected shadow rule ${id} to be listed in shadow (it would have fired), but it was not: ${explain(id, true)}`);
  }
  const warning = checkWarnings(decision, expect.warnings);
  if (warning) problems.push(warning);
  if (expect.obligations !== undefined && !deepEqual(expect.obligations, decision.obligations)) {
    // Obligations are dropped unless the decision is allow (spec §3), the usual surprise.
    const why = decision.decision === 'allow' ? '' : ` (obligations are returned only on allow; the decision was ${decision.decision})`;
    problems.push(`expected obligations ${JSON.stringify(expect.obligations)}, got ${JSON.stringify(decision.obligations)}${why}`);
  }
  return problems;
}

/** A count compares the number of warnings; a list compares the set of rules that warned. */
function checkWarnings(decision: Decision, expected: number | string[] | undefined): string | undefined {
  if (expected === undefined) return undefined;
  const got = decision.warnings.map((w) => `${w.policyId}/${w.ruleId}`);
  const listed = decision.warnings.map((w) => `${w.policyId}/${w.ruleId} ("${w.message}")`).join(', ') || 'none';
  if (typeof expected === 'number') {
    if (expected === got.length) return undefined;
    return `expected ${expected} warning${expected === 1 ? '' : 's'}, got ${got.length}: ${listed}`;
  }
  const missing = expected.filter((id) => !got.includes(id));
  const unexpected = got.filter((id) => !expected.includes(id));
  if (missing.length === 0 && unexpected.length === 0) return undefined;
  const parts = [missing.length ? `missing ${missing.join(', ')}` : '', unexpected.length ? `unexpected ${unexpected.join(', ')}` : ''];
  return `expected warnings from [${expected.join(', ')}], got ${listed} (${parts.filter(Boolean).join('; ')})`;
}
