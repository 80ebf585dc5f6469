import { describe, expect, it } from 'vitest';
import { lintFiles, lintMarked } from './helpers';

const catchAll = (decision: string, priority: number, namespace?: string) => `metadata: { id: lockdown, priority: ${priority}${namespace ? `, namespace: ${namespace}` : ''} }
rules:
  - id: everything
    condition: true
    action: { decision: ${decision}, reason: "Catch-all ${decision} for maintenance" }
`;

describe('unreachable', () => {
  it('warns on authoritative rules below a catch-all, saying they still match', () => {
    const findings = lintFiles({
      'lockdown.yaml': catchAll('deny', 100),
      'models.yaml': `metadata: { id: models }
rules:
  - id: allow-mini
    condition: { operator: eq, field: llm.model, value: gpt-4o-mini }
    action: { decision: allow, reason: "The small model is always fine" }
  - id: warn-big
    condition: { operator: gt, field: llm.maxTokens, value: 4000 }
    action: { decision: warn, reason: "Large completions are expensive" }
  - id: clamp
    condition: true
    action: { decision: modify, obligations: [{ type: set_max_tokens, value: 4000 }] }
`,
    }, 'unreachable');
    expect(findings).toEqual([{
      severity: 'warning',
      code: 'unreachable',
      message: 'allow rule models/allow-mini (priority 0) can never decide: the catch-all deny rule lockdown/everything at priority 100 always matches, and only the highest matched priority decides; it still appears in matchedRules when its condition holds',
      suggestion: 'if it is an exception to lockdown/everything, give it a priority above 100; otherwise narrow the catch-all\'s condition or remove this rule',
      policyId: 'models',
      ruleId: 'allow-mini',
      file: 'models.yaml',
      line: 3,
      column: 5,
      path: 'rules[0]',
    }]);
  });

  it('counts a condition that is statically always true as a catch-all, and a same-priority deny over allow', () => {
    const { findings, line } = lintMarked(`
metadata: { id: p }
rules:
  - id: deny-all
    condition: { operator: or, conditions: [{ operator: exists, field: user.id }, { operator: not_exists, field: user.id }] }
    action: { decision: deny, reason: "Everything is denied today" }
  - ▸id: allow-admins
    condition: { operator: contains, field: user.roles, value: admin }
    action: { decision: allow, reason: "Admins may do anything" }
`, 'unreachable');
    expect(findings).toMatchObject([{ line, ruleId: 'allow-admins', message: expect.stringContaining('at the same priority 0 always matches, and deny overrides allow') }]);
  });

  it('does not let a catch-all in a namespace shadow rules that apply everywhere, nor an allow shadow a deny at its priority', () => {
    const rules = `metadata: { id: global }
rules:
  - id: deny-free-gpt4
    condition: { operator: eq, field: team.tier, value: free }
    action: { decision: deny, reason: "Free teams cannot use this" }
`;
    expect(lintFiles({ 'a.yaml': catchAll('deny', 100, 'staging'), 'b.yaml': rules }, 'unreachable')).toEqual([]);
    expect(lintFiles({ 'a.yaml': catchAll('allow', 0), 'b.yaml': rules }, 'unreachable')).toEqual([]);
    expect(lintFiles({ 'a.yaml': catchAll('allow', 1), 'b.yaml': rules }, 'unreachable')).toMatchObject([{ ruleId: 'deny-free-gpt4' }]);
  });
});
