import { describe, expect, it } from 'vitest';
import { lintFiles, lintMarked } from './helpers';

describe('conflict', () => {
  it('warns on an allow rule whose condition equals a deny rule at the same priority, whatever the key order', () => {
    const { findings, line, column } = lintMarked(`
metadata: { id: models, priority: 10 }
rules:
  - id: deny-gpt4
    condition: { operator: eq, field: llm.model, value: gpt-4 }
    action: { decision: deny, reason: "GPT-4 is not available to this team" }
  - id: allow-gpt4
    condition: ▸{ value: gpt-4, field: llm.model, operator: eq }
    action: { decision: allow, reason: "GPT-4 is allowed for everyone" }
`, 'conflict');
    expect(findings).toEqual([{
      severity: 'warning',
      code: 'conflict',
      message: 'allow rule models/allow-gpt4 has the same condition as deny rule models/deny-gpt4 at priority 10: deny overrides allow within a priority, so this rule never decides (it still appears in matchedRules)',
      suggestion: 'to make it an exception, give it a priority above 10; otherwise remove one of the two rules',
      policyId: 'models',
      ruleId: 'allow-gpt4',
      file: 'policy.yaml',
      line,
      column,
      path: 'rules[1].condition',
    }]);
  });

  it('flags needs_approval under a deny, across policies, but not at different priorities', () => {
    const condition = '{ operator: gt, field: llm.estimatedCost, value: 5 }';
    const findings = lintFiles({
      'deny.yaml': `metadata: { id: a-deny }\nrules:\n  - id: no-big\n    condition: ${condition}\n    action: { decision: deny, reason: "Requests over $5 are refused" }\n`,
      'approve.yaml': `metadata: { id: b-approve }\nrules:\n  - id: approve-big\n    condition: ${condition}\n    action: { decision: needs_approval, reason: "Cost {{llm.estimatedCost}} needs approval" }\n  - id: allow-big-later\n    priority: 5\n    condition: ${condition}\n    action: { decision: allow, reason: "Higher tier: big requests are fine" }\n`,
    }, 'conflict');
    expect(findings).toMatchObject([{ file: 'approve.yaml', line: 4, ruleId: 'approve-big', message: expect.stringContaining('deny rule a-deny/no-big at priority 0: deny overrides needs_approval') }]);
  });

  it('respects namespaces: a deny in one namespace does not override an allow that applies everywhere', () => {
    const condition = '{ operator: eq, field: team.tier, value: free }';
    const policy = (id: string, namespace: string | undefined, decision: string) =>
      `metadata: { id: ${id}${namespace ? `, namespace: ${namespace}` : ''} }\nrules:\n  - id: r\n    condition: ${condition}\n    action: { decision: ${decision}, reason: "Free tier rule for this scope" }\n`;
    expect(lintFiles({ 'a.yaml': policy('prod-deny', 'production', 'deny'), 'b.yaml': policy('global-allow', undefined, 'allow') }, 'conflict')).toEqual([]);
    expect(lintFiles({ 'a.yaml': policy('global-deny', undefined, 'deny'), 'b.yaml': policy('prod-allow', 'production', 'allow') }, 'conflict'))
      .toMatchObject([{ policyId: 'prod-allow', file: 'b.yaml' }]);
  });

  it('ignores disabled rules and different stages', () => {
    const findings = lintFiles({ 'm.yaml': `
metadata: { id: m }
rules:
  - id: deny-x
    enabled: false
    condition: { operator: eq, field: llm.model, value: x }
    action: { decision: deny, reason: "Model x is retired" }
  - id: allow-x
    condition: { operator: eq, field: llm.model, value: x }
    action: { decision: allow, reason: "Model x is fine to use" }
  - id: deny-x-response
    stage: response
    condition: { operator: eq, field: llm.model, value: x }
    action: { decision: deny, reason: "Model x answers are blocked" }
` }, 'conflict');
    expect(findings).toEqual([]);
  });
});
