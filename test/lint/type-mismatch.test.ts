import { describe, expect, it } from 'vitest';
import { lintFiles, lintMarked } from './helpers';

const ruleWith = (condition: string, stage = '') => ({
  'p.yaml': `metadata: { id: p }\nrules:\n  - id: r\n${stage}    condition: ${condition}\n    action: { decision: warn, reason: "Something worth a warning" }\n`,
});

describe('type-mismatch', () => {
  it('warns when a quoted number is compared with a number field, and says how to write it', () => {
    const { findings, line, column } = lintMarked(`metadata: { id: cost }
rules:
  - id: deny-expensive
    condition: { operator: gt, field: llm.estimatedCost, value: ▸"1.5" }
    action: { decision: deny, reason: "Requests over $1.50 are refused" }
`, 'type-mismatch');
    expect(findings).toEqual([{
      severity: 'warning',
      code: 'type-mismatch',
      message: 'llm.estimatedCost gt "1.5" never holds: llm.estimatedCost is a number, but the value is a string',
      suggestion: 'write value: 1.5 without quotes',
      policyId: 'cost',
      ruleId: 'deny-expensive',
      file: 'policy.yaml',
      line,
      column,
      path: 'rules[0].condition.value',
    }]);
  });

  it.each([
    ['{ operator: eq, field: user.roles, value: admin }', 'never holds: user.roles is a list, and eq compares the whole list', 'to test for one element, use contains'],
    ['{ operator: ne, field: llm.stream, value: "true" }', 'always holds: llm.stream is a boolean, but the value is a string', 'write value: true without quotes'],
    ['{ operator: eq, field: team.id, value: 123 }', 'never holds: team.id is a string, but the value is a number', 'quote the value: "123"'],
    ['{ operator: in, field: time.weekday, value: ["0", "6"] }', 'never holds: time.weekday is a number, but no value in the list is a number', 'compare time.weekday with a number'],
    ['{ operator: contains, field: user.roles, value: 7 }', 'user.roles is a list, whose items are strings, but the value is a number', 'use string values: user.roles holds strings'],
    ['{ operator: matches, field: llm.maxTokens, value: "^1" }', 'llm.maxTokens is a number, and matches tests only strings', 'compare llm.maxTokens with a number'],
  ])('%s', (condition, message, suggestion) => {
    const findings = lintFiles(ruleWith(condition), 'type-mismatch');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain(message);
    expect(findings[0].suggestion).toBe(suggestion);
  });

  it.each([
    '{ operator: gt, field: llm.estimatedCost, value: 1.5 }',
    '{ operator: contains, field: user.roles, value: admin }',
    '{ operator: in, field: user.roles, value: [admin, owner] }',
    '{ operator: contains, field: llm.prompt, value: password }',
    '{ operator: gt, field: llm.estimatedCost, valueField: metadata.limit }',
    '{ operator: eq, field: metadata.anything, value: 1 }',
    '{ operator: eq, field: llm.system, value: [1] }',
  ])('accepts %s', (condition) => {
    expect(lintFiles(ruleWith(condition), 'type-mismatch')).toEqual([]);
  });

  it('knows response field types in response rules', () => {
    expect(lintFiles(ruleWith('{ operator: gt, field: usage.totalTokens, value: "1000" }', '    stage: response\n'), 'type-mismatch'))
      .toMatchObject([{ suggestion: 'write value: 1000 without quotes' }]);
  });
});
