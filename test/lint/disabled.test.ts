import { describe, expect, it } from 'vitest';
import { lintFiles, lintMarked } from './helpers';

describe('disabled', () => {
  it('notes a disabled rule at its enabled line', () => {
    const { findings, line, column } = lintMarked(`metadata: { id: models }
rules:
  - id: no-gpt4
    enabled: ▸false
    condition: { operator: eq, field: llm.model, value: gpt-4 }
    action: { decision: deny, reason: "GPT-4 is retired for this org" }
`, 'disabled');
    expect(findings).toEqual([{
      severity: 'info',
      code: 'disabled',
      message: 'rule no-gpt4 is disabled: it is validated but never evaluated',
      suggestion: 'remove enabled: false to turn it on, or delete the rule if it is no longer needed',
      policyId: 'models',
      ruleId: 'no-gpt4',
      file: 'policy.yaml',
      line,
      column,
      path: 'rules[0].enabled',
    }]);
  });

  it('notes draft and disabled policies once, not each of their rules', () => {
    const policy = (id: string, status: string) => `metadata: { id: ${id} }
status: ${status}
rules:
  - id: a
    enabled: false
    condition: true
    action: { decision: allow, reason: "Allowed while testing" }
`;
    const findings = lintFiles({ 'draft.yaml': policy('draft-one', 'draft'), 'off.yaml': policy('off-one', 'disabled') }, 'disabled');
    expect(findings.map((f) => [f.file, f.line, f.path, f.message])).toEqual([
      ['draft.yaml', 2, 'status', 'policy is draft: none of its rules are evaluated'],
      ['off.yaml', 2, 'status', 'policy is disabled: none of its rules are evaluated'],
    ]);
  });
});
