import { describe, expect, it } from 'vitest';
import { lintMarked } from './helpers';

/** One rule testing `field`, with the ▸ mark on the field. */
const ruleOn = (field: string, extra = '') => `metadata: { id: p }
rules:
  - id: r
${extra}    condition: { operator: exists, field: ▸${field} }
    action: { decision: warn, reason: "Something worth a warning" }
budgets:
  - { id: team-monthly, scope: team.id, window: month, limit: { costUsd: 100 } }
`;

describe('unknown-field', () => {
  it('catches a case typo and suggests the field', () => {
    const { findings, line, column } = lintMarked(`metadata: { id: cost }
rules:
  - id: deny-expensive
    condition: { operator: gt, field: ▸llm.estimatedcost, value: 1 }
    action: { decision: deny, reason: "Requests over $1 are refused" }
`, 'unknown-field');
    expect(findings).toEqual([{
      severity: 'warning',
      code: 'unknown-field',
      message: 'unknown field "llm.estimatedcost" (field names are case-sensitive)',
      suggestion: 'did you mean llm.estimatedCost?',
      policyId: 'cost',
      ruleId: 'deny-expensive',
      file: 'policy.yaml',
      line,
      column,
      path: 'rules[0].condition.field',
    }]);
  });

  it.each([
    ['team.teir', 'did you mean team.tier?'],
    ['user.role', 'did you mean user.roles?'],
    ['llm.messages.2.rol', 'did you mean llm.messages.2.role?'],
    ['metdata.app', 'did you mean metadata.app?'],
    ['budget.team-montly.remaining.costUsd', 'did you mean budget.team-monthly.remaining.costUsd?'],
    ['budget.team-monthly.remaining.cost', 'did you mean budget.team-monthly.remaining.costUsd?'],
    ['team.id.name', 'did you mean team.name?'],
    ['llm.messages.0.role.x', 'did you mean llm.messages.0.role?'],
    ['department', 'use a field of policy-language.md §7, or metadata.* for fields of your own'],
  ])('flags %s with the suggestion "%s"', (field, suggestion) => {
    const { findings, line } = lintMarked(ruleOn(field), 'unknown-field');
    expect(findings).toMatchObject([{ severity: 'warning', line, suggestion }]);
  });

  it.each([
    'llm.estimatedCost', 'llm.messages.0.role', 'llm.messages.12.content', 'llm.messages.0.content.1.text', 'llm.system.0.text', 'user.roles.0', 'user', 'time.weekday',
    'metadata.app.version', 'request.ip', 'budget.team-monthly.remaining.costUsd', 'budget.team-monthly.used.requests',
  ])('accepts %s', (field) => {
    expect(lintMarked(ruleOn(field), 'unknown-field').findings).toEqual([]);
  });

  it('names budgets the set does not define', () => {
    const { findings } = lintMarked(ruleOn('budget.daily.remaining.costUsd'), 'unknown-field');
    expect(findings[0].message).toBe('field "budget.daily.remaining.costUsd" names budget "daily", which no policy in the set defines (budgets defined: team-monthly)');
  });

  it('knows response fields only in stage: response rules', () => {
    const { findings } = lintMarked(ruleOn('response.text'), 'unknown-field');
    expect(findings).toMatchObject([{
      message: 'field "response.text" is set only for stage: response rules; in a request rule it is always missing',
      suggestion: 'add stage: response to the rule, or test a request field',
    }]);
    expect(lintMarked(ruleOn('usage.totalTokens', '    stage: response\n'), 'unknown-field').findings).toEqual([]);
  });

  it('checks valueFields, reason placeholders and budget scopes too', () => {
    const { findings, line } = lintMarked(`metadata: { id: p }
rules:
  - id: over-budget
    condition: { operator: gt, field: llm.estimatedCost, valueField: budget.team-monthly.remaning.costUsd }
    action: { decision: deny, reason: ▸"Cost {{ llm.estimatedCost }} is over what {{team.nmae}} has left" }
budgets:
  - { id: team-monthly, scope: team.idd, window: month, limit: { costUsd: 100 } }
`, 'unknown-field');
    expect(findings.map((f) => [f.line, f.path, f.suggestion])).toEqual([
      [line - 1, 'rules[0].condition.valueField', 'did you mean budget.team-monthly.remaining.costUsd?'],
      [line, 'rules[0].action.reason', 'did you mean team.name?'],
      [line + 2, 'budgets[0].scope', 'did you mean team.id?'],
    ]);
    expect(findings[1].message).toBe('in the reason, unknown field "team.nmae": nothing in the request context provides it, so it is always missing');
  });
});
