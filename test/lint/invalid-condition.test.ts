import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint/index';
import { parsePolicies } from '../../src/policy/parse';
import type { LeafCondition, Policy } from '../../src/policy/types';
import { unmark } from '../policy/expect-error';
import { withCode } from './helpers';

describe('invalid-condition', () => {
  it('reports what the engine cannot compile, at the failing node, instead of throwing', () => {
    // parsePolicies rejects a bad regex; a policy edited after parsing keeps its positions.
    const { text, line, column } = lintText();
    const [policy] = parsePolicies(text, { filename: 'models.yaml' });
    (policy.rules[0].condition as LeafCondition).value = '(?<=gpt)-4';
    expect(withCode(lint([policy]), 'invalid-condition')).toEqual([{
      severity: 'error',
      code: 'invalid-condition',
      message: expect.stringMatching(/^the rule does not compile: invalid regular expression \(RE2 syntax\): /),
      suggestion: 'fix the condition as policy-language.md §2 describes; compileBundle rejects the set until then',
      policyId: 'models',
      ruleId: 'no-gpt4',
      file: 'models.yaml',
      line,
      column,
      path: 'rules[0].condition.value',
    }]);
  });

  it('reports wrong value types in bundle input by policy, rule and path', () => {
    const policy = {
      metadata: { id: 'tiers' },
      rules: [
        { id: 'bad-in', condition: { operator: 'and', conditions: [{ operator: 'in', field: 'team.tier', value: 'free' }] }, action: { decision: 'deny', reason: 'Free tier is not served' } },
        { id: 'bad-shape', condition: 42, action: { decision: 'deny', reason: 'A rule that cannot compile' } },
      ],
    } as unknown as Policy;
    const findings = withCode(lint([policy]), 'invalid-condition');
    expect(findings.map((f) => [f.ruleId, f.path, f.message])).toEqual([
      ['bad-in', 'rules[0].condition.conditions[0].value', 'the rule does not compile: in needs a list value'],
      ['bad-shape', 'rules[1].condition', 'the rule does not compile: a condition must be an object or true/false, got 42'],
    ]);
    expect(findings.every((f) => f.severity === 'error' && f.file === undefined)).toBe(true);
  });
});

function lintText() {
  return unmark(`metadata: { id: models }
rules:
  - id: no-gpt4
    condition: { operator: matches, field: llm.model, value: ▸"^gpt-4" }
    action: { decision: deny, reason: "GPT-4 models are not allowed" }
`);
}
