import { describe, expect, it } from 'vitest';
import { lintFiles, lintMarked } from './helpers';

/** A warn rule whose condition is `condition` (YAML flow text). */
const withCondition = (condition: string) => ({
  'p.yaml': `metadata: { id: p }\nrules:\n  - id: r\n    condition: ${condition}\n    action: { decision: warn, reason: "Something worth a warning" }\n`,
});

const leaf = (op: string, field: string, value?: string) => `{ operator: ${op}, field: ${field}${value === undefined ? '' : `, value: ${value}`} }`;
const and = (...c: string[]) => `{ operator: and, conditions: [${c.join(', ')}] }`;
const or = (...c: string[]) => `{ operator: or, conditions: [${c.join(', ')}] }`;

describe('constant-condition', () => {
  it('warns on a condition that can never hold, with the reason, at the condition', () => {
    const { findings, line, column } = lintMarked(`metadata: { id: cost }
rules:
  - id: mid-range
    condition:
      ▸operator: and
      conditions:
        - { operator: gt, field: llm.estimatedCost, value: 5 }
        - { operator: lt, field: llm.estimatedCost, value: 3 }
    action: { decision: deny, reason: "Mid-range requests are refused" }
`, 'constant-condition');
    expect(findings).toEqual([{
      severity: 'warning',
      code: 'constant-condition',
      message: 'the condition is always false (llm.estimatedCost gt 5 and llm.estimatedCost lt 3 cannot both hold): the rule never matches',
      suggestion: 'fix the contradiction, or remove the part that can never hold',
      policyId: 'cost',
      ruleId: 'mid-range',
      file: 'policy.yaml',
      line,
      column,
      path: 'rules[0].condition',
    }]);
  });

  it('reports the outermost constant part of a larger condition once', () => {
    const { findings, line } = lintMarked(`metadata: { id: p }
rules:
  - id: r
    condition:
      operator: and
      conditions:
        - { operator: eq, field: team.tier, value: free }
        - ▸operator: or
          conditions: [{ operator: not, condition: false }, { operator: eq, field: llm.model, value: gpt-4 }]
    action: { decision: deny, reason: "Free teams are refused here" }
`, 'constant-condition');
    expect(findings).toMatchObject([{
      line,
      path: 'rules[0].condition.conditions[1]',
      message: 'this part of the condition is always true (conditions[0] is always true (it negates something always false (it is the constant false)))',
      suggestion: 'remove the part that is always true, or fix it',
    }]);
  });

  it.each([
    ['an and holding false', and(leaf('exists', 'user.id'), 'false'), 'always false (it contains false)'],
    ['an or holding true', or(leaf('exists', 'user.id'), 'true'), 'always true (it contains true)'],
    ['not: true', '{ operator: not, condition: true }', 'always false (it negates something always true (it is the constant true))'],
    ['in: []', leaf('in', 'team.tier', '[]'), 'always false (nothing is in an empty list)'],
    ['not_in: []', leaf('not_in', 'team.tier', '[]'), 'always true (nothing is in an empty list)'],
    ['exists and not_exists', and(leaf('exists', 'user.id'), leaf('not_exists', 'user.id')), 'user.id exists and user.id not_exists cannot both hold'],
    ['eq of two values', and(leaf('eq', 'team.tier', 'free'), leaf('eq', 'team.tier', 'pro')), 'team.tier eq "free" and team.tier eq "pro" cannot both hold'],
    ['eq outside a range', and(leaf('gte', 'time.hour', '9'), leaf('eq', 'time.hour', '7')), 'cannot both hold'],
    ['a number and a string', and(leaf('gt', 'metadata.size', '1'), leaf('starts_with', 'metadata.size', 'x')), 'cannot both hold'],
    ['a leaf or its negation', or(leaf('eq', 'team.tier', 'free'), leaf('ne', 'team.tier', 'free')), 'one of team.tier eq "free" and team.tier ne "free" always holds'],
    ['an empty or', '{ operator: or, conditions: [] }', 'always false (an empty or is false)'],
  ])('finds %s', (_name, condition, why) => {
    const findings = lintFiles(withCondition(condition), 'constant-condition');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain(why);
  });

  it('suggests enabled: false for condition: false, and says nothing about the condition: true catch-all', () => {
    expect(lintFiles(withCondition('false'), 'constant-condition')).toMatchObject([{
      message: 'the condition is always false (it is the constant false): the rule never matches',
      suggestion: 'to switch the rule off, write enabled: false instead of condition: false',
    }]);
    expect(lintFiles(withCondition('true'), 'constant-condition')).toEqual([]);
  });

  it.each([
    ['a real range', and(leaf('gt', 'time.hour', '3'), leaf('lt', 'time.hour', '5'))],
    ['touching inclusive bounds', and(leaf('gte', 'time.hour', '3'), leaf('lte', 'time.hour', '3'))],
    ['eq and ne of different values', and(leaf('eq', 'team.tier', 'free'), leaf('ne', 'team.tier', 'pro'))],
    ['different fields', and(leaf('exists', 'user.id'), leaf('not_exists', 'team.id'))],
    ['ranges in an or', or(leaf('gt', 'time.hour', '5'), leaf('lt', 'time.hour', '3'))],
    ['a redundant true in an and', and('true', leaf('exists', 'user.id'))],
  ])('leaves %s alone', (_name, condition) => {
    expect(lintFiles(withCondition(condition), 'constant-condition')).toEqual([]);
  });
});
