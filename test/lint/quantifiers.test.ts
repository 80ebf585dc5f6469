// Lint on quantified conditions (spec §10): fields under `$` are checked against what the list's
// elements provide, a quantifier over a non-list is flagged, `$` where it cannot be read is an
// error (from hand-built or bundle policies, which skip the parser).
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint/index';
import type { Policy } from '../../src/policy/types';
import { lintMarked, withCode } from './helpers';

const quantified = (list: string, inner: string, stage = 'request') => `metadata: { id: p }
rules:
  - id: r
    stage: ${stage}
    condition:
      operator: any
      field: ${list}
      condition: ${inner}
    action: { decision: deny, reason: "refused" }
`;

describe('lint of quantifiers', () => {
  it('accepts the element fields of llm.tools, llm.toolResults and response.toolCalls', () => {
    const ok = [
      quantified('llm.tools', '{ operator: eq, field: $.name, value: shell }'),
      quantified('llm.tools', '{ operator: exists, field: $.parameters.properties.cmd }'),
      quantified('llm.toolResults', '{ operator: gte, field: $.injectionScore, value: 0.5 }'),
      quantified('llm.toolResults', '{ operator: contains, field: $.piiTypes, value: email }'),
      quantified('response.toolCalls', '{ operator: gt, field: $.arguments.amount, valueField: metadata.approvalLimit }', 'response'),
      quantified('user.roles', '{ operator: eq, field: $, value: admin }'),
      quantified('metadata.items', '{ operator: eq, field: $.anything, value: 1 }'),
    ];
    for (const text of ok) {
      const findings = lintMarked(text.replace('field: $', 'field: ▸$'), 'unknown-field').findings;
      expect(findings).toEqual([]);
      expect(withCode(lintMarked(text.replace('field: $', 'field: ▸$'), 'type-mismatch').findings, 'type-mismatch')).toEqual([]);
    }
  });

  it('flags a field the elements do not have, speaking of $ as written', () => {
    const { findings, line, column } = lintMarked(quantified('response.toolCalls', '{ operator: eq, field: ▸$.nmae, value: pay }', 'response'), 'unknown-field');
    expect(findings).toEqual([expect.objectContaining({
      severity: 'warning',
      message: 'unknown field "$.nmae": nothing in the request context provides it, so it is always missing',
      suggestion: 'did you mean $.name?',
      line, column,
    })]);
  });

  it('flags a type mismatch on an element field', () => {
    const { findings } = lintMarked(quantified('llm.toolResults', '{ operator: gt, field: $.injectionScore, value: ▸"0.5" }'), 'type-mismatch');
    expect(findings).toEqual([expect.objectContaining({ message: expect.stringContaining('$.injectionScore gt "0.5" never holds: $.injectionScore is a number, but the value is a string') })]);
  });

  it('flags a quantifier over a field that is not a list', () => {
    const { findings, line } = lintMarked(quantified('▸team.tier', '{ operator: eq, field: $, value: free }'), 'type-mismatch');
    expect(findings).toEqual([expect.objectContaining({ message: 'any over team.tier is always false: team.tier is a string, not a list', line })]);
  });

  it('a request rule over response.toolCalls is told to use the response stage', () => {
    const { findings } = lintMarked(quantified('▸response.toolCalls', '{ operator: eq, field: $.name, value: pay }'), 'unknown-field');
    expect(findings[0].message).toContain('set only for stage: response rules');
  });

  it('reports $ outside a quantifier and in a reason as errors (policies that skipped the parser)', () => {
    const policies = [{ metadata: { id: 'p' }, rules: [
      { id: 'outside', condition: { operator: 'eq', field: '$.name', value: 'x' }, action: { decision: 'deny', reason: 'no' } },
      { id: 'reason', condition: { operator: 'any', field: 'llm.tools', condition: { operator: 'exists', field: '$' } }, action: { decision: 'deny', reason: 'tool {{$.name}}' } },
    ] }] as Policy[];
    const errors = lint(policies).filter((f) => f.severity === 'error');
    expect(errors).toEqual([
      expect.objectContaining({ ruleId: 'outside', code: 'invalid-condition', message: expect.stringContaining('"$" paths are allowed only inside any, all or none') }),
      expect.objectContaining({ ruleId: 'reason', code: 'invalid-condition', message: expect.stringContaining('a reason reads the context, not a list element') }),
    ]);
  });

  it('finds constant parts inside and around quantifiers', () => {
    const { findings } = lintMarked(quantified('llm.tools', '{ operator: in, field: $.name, value: [] }').replace('condition:\n      operator: any', '▸condition:\n      operator: any'), 'constant-condition');
    expect(findings).toEqual([expect.objectContaining({ message: expect.stringContaining('the condition is always false') })]);
  });
});
