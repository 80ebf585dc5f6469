// malformed (error): pieces of a policy lint cannot read at all (hand-built objects or a foreign
// bundle; parsePolicies never returns them). The other checks skip these pieces.
import { findingAt, type FindingDraft, type LintFinding } from '../finding';
import type { Policy } from '../../policy/types';
import { limitProblem, policyProblem, ruleProblem } from '../well-formed';

const draft = (message: string): FindingDraft => ({
  severity: 'error',
  code: 'malformed',
  message,
  suggestion: 'fix the shape (parsePolicies and compileBundle name every schema problem)',
});

export function checkMalformed(input: readonly unknown[]): LintFinding[] {
  const findings: LintFinding[] = [];
  input.forEach((policy, index) => {
    const problem = policyProblem(policy);
    if (problem) {
      findings.push(hasId(policy) ? findingAt(policy, problem.path, draft(problem.message)) : { ...draft(`policy #${index + 1} of the input: ${problem.message}`) });
      return;
    }
    const p = policy as Policy;
    p.rules.forEach((rule, i) => {
      const bad = ruleProblem(rule);
      const ruleId = hasOwnId(rule) ? rule.id : undefined;
      if (bad) findings.push(findingAt(p, join(`rules[${i}]`, bad.path), draft(bad.message), ruleId));
    });
    for (const list of ['budgets', 'rateLimits'] as const) {
      (p[list] ?? []).forEach((limit, i) => {
        const bad = limitProblem(limit);
        if (bad) findings.push(findingAt(p, join(`${list}[${i}]`, bad.path), draft(bad.message)));
      });
    }
  });
  return findings;
}

function hasId(policy: unknown): policy is Policy {
  return typeof (policy as { metadata?: { id?: unknown } } | null)?.metadata?.id === 'string';
}

function hasOwnId(rule: unknown): rule is { id: string } {
  return typeof (rule as { id?: unknown } | null)?.id === 'string';
}

function join(base: string, path: string): string {
  return path ? `${base}.${path}` : base;
}
