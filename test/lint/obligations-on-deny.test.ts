import { describe, expect, it } from 'vitest';
import { lintMarked } from './helpers';

describe('obligations-on-deny', () => {
  it('warns that obligations on deny and needs_approval rules are never returned', () => {
    const { findings, line, column } = lintMarked(`metadata: { id: pii }
rules:
  - id: block-secrets
    condition: { operator: contains, field: llm.piiTypes, value: secret }
    action:
      decision: deny
      reason: "Prompts with secrets are refused"
      obligations:
        ▸- { type: tag, key: blocked, value: secret }
  - id: approve-ssn
    condition: { operator: contains, field: llm.piiTypes, value: ssn }
    action:
      decision: needs_approval
      reason: "Prompts with an SSN need approval"
      obligations: [{ type: redact_pii, types: [ssn] }]
  - id: tag-email
    condition: { operator: contains, field: llm.piiTypes, value: email }
    action: { decision: allow, reason: "Email addresses are fine, but tagged", obligations: [{ type: tag, key: pii, value: email }] }
`, 'obligations-on-deny');
    expect(findings).toEqual([
      {
        severity: 'warning',
        code: 'obligations-on-deny',
        message: 'obligations on a deny rule are never returned: obligations apply only when the final decision is allow',
        suggestion: 'move them to a modify rule with the condition under which they should apply, or remove them',
        policyId: 'pii',
        ruleId: 'block-secrets',
        file: 'policy.yaml',
        line,
        column,
        path: 'rules[0].action.obligations',
      },
      expect.objectContaining({ ruleId: 'approve-ssn', line: line + 6, message: expect.stringContaining('on a needs_approval rule') }),
    ]);
  });
});
