import { describe, expect, it } from 'vitest';
import { lintFiles, lintMarked } from './helpers';

describe('shadow', () => {
  it('notes a shadow rule at its mode line', () => {
    const { findings, line, column } = lintMarked(`metadata: { id: models }
rules:
  - id: no-gpt4
    mode: ▸shadow
    condition: { operator: eq, field: llm.model, value: gpt-4 }
    action: { decision: deny, reason: "GPT-4 is retired for this org" }
`, 'shadow');
    expect(findings).toEqual([{
      severity: 'info',
      code: 'shadow',
      message: "rule no-gpt4 is in shadow mode: it is evaluated and reported in the decision's shadow list, but never decides",
      suggestion: 'check its hits with llm-policy status (or simulate --from-decisions), then set mode: enforce',
      policyId: 'models',
      ruleId: 'no-gpt4',
      file: 'policy.yaml',
      line,
      column,
      path: 'rules[0].mode',
    }]);
  });

  it('notes the rules a shadow policy makes shadow at metadata.mode, but not a rule that enforces itself', () => {
    const findings = lintFiles({ 'p.yaml': `metadata: { id: trial, mode: shadow }
rules:
  - { id: a, condition: true, action: { decision: deny, reason: "Denied while on trial" } }
  - { id: b, mode: enforce, condition: true, action: { decision: warn, reason: "Warned for real" } }
` }, 'shadow');
    expect(findings.map((f) => [f.line, f.path, f.ruleId])).toEqual([[1, 'metadata.mode', 'a']]);
  });

  it('a shadow catch-all neither conflicts with nor makes unreachable the rules it would decide over', () => {
    const findings = lintFiles({ 'p.yaml': `metadata: { id: p }
rules:
  - { id: trial-deny-all, mode: shadow, priority: 10, condition: true, action: { decision: deny, reason: "Everything is denied on trial" } }
  - { id: allow-all, condition: true, action: { decision: allow, reason: "Everything is allowed" } }
  - { id: deny-gpt4, condition: { operator: eq, field: llm.model, value: gpt-4 }, action: { decision: deny, reason: "GPT-4 is retired" } }
` });
    expect(findings.filter((f) => f.code === 'unreachable' || f.code === 'conflict').map((f) => f.ruleId)).toEqual([]);
    // The enforced catch-all allow still shadows nothing: deny beats allow at one priority.
    expect(findings.some((f) => f.code === 'shadow' && f.ruleId === 'trial-deny-all')).toBe(true);
  });
});
