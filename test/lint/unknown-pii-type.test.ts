import { describe, expect, it } from 'vitest';
import { lintMarked } from './helpers';

describe('unknown-pii-type', () => {
  it('warns about PII kinds enrichment never reports, in conditions and redact_pii', () => {
    const { findings, line, column } = lintMarked(`metadata: { id: pii }
rules:
  - id: block-cards
    condition: { operator: contains, field: llm.piiTypes, value: ▸credit-card }
    action: { decision: deny, reason: "Card numbers must not reach the model" }
  - id: redact
    condition: { operator: in, field: llm.piiTypes, value: [email, phone_number] }
    action: { decision: modify, obligations: [{ type: redact_pii, types: [email, e-mail] }] }
`, 'unknown-pii-type');
    expect(findings).toEqual([
      {
        severity: 'warning',
        code: 'unknown-pii-type',
        message: 'llm.piiTypes contains: "credit-card" is not a PII type enrichment reports (email, phone, credit_card, ssn, iban, ip_address, secret)',
        suggestion: 'did you mean credit_card?',
        policyId: 'pii',
        ruleId: 'block-cards',
        file: 'policy.yaml',
        line,
        column,
        path: 'rules[0].condition.value',
      },
      expect.objectContaining({ line: line + 3, path: 'rules[1].condition.value[1]', suggestion: 'use one of email, phone, credit_card, ssn, iban, ip_address, secret' }),
      expect.objectContaining({ line: line + 4, path: 'rules[1].action.obligations[0].types[1]', message: expect.stringMatching(/^redact_pii: "e-mail"/), suggestion: 'did you mean email?' }),
    ]);
  });
});
