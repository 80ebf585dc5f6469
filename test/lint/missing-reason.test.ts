import { describe, expect, it } from 'vitest';
import { lintMarked } from './helpers';

describe('missing-reason', () => {
  it('is an error on a deny rule without a reason, at its action, with an example reason', () => {
    const { findings, line, column } = lintMarked(`
metadata: { id: cost }
rules:
  - id: deny-expensive
    condition: { operator: gt, field: llm.estimatedCost, value: 1 }
    action:
      ▸decision: deny
`, 'missing-reason');
    expect(findings).toEqual([{
      severity: 'error',
      code: 'missing-reason',
      message: 'deny rule has no reason: callers are told only "deny by cost/deny-expensive"',
      suggestion: 'add action.reason saying why and what to do, e.g. reason: "Cost {{llm.estimatedCost}} exceeds the free tier limit"',
      policyId: 'cost',
      ruleId: 'deny-expensive',
      file: 'policy.yaml',
      line,
      column,
      path: 'rules[0].action',
    }]);
  });

  it('is an error on needs_approval with an empty reason too', () => {
    const { findings, line } = lintMarked(`
metadata: { id: approvals }
rules:
  - id: big-spend
    condition: { operator: gt, field: llm.estimatedCost, value: 5 }
    action:
      ▸decision: needs_approval
      reason: "  "
`, 'missing-reason');
    expect(findings).toMatchObject([{ severity: 'error', line, path: 'rules[0].action', message: 'needs_approval rule has no reason: callers are told a blank reason' }]);
  });

  it('warns about a reason shorter than 10 characters, at the reason', () => {
    const { findings, line, column } = lintMarked(`
metadata: { id: cost }
rules:
  - id: deny-expensive
    condition: { operator: gt, field: llm.estimatedCost, value: 1 }
    action: { decision: deny, reason: ▸too much }
`, 'missing-reason');
    expect(findings).toMatchObject([{
      severity: 'warning',
      message: 'reason "too much" is shorter than 10 characters and explains little',
      suggestion: expect.stringMatching(/^say why and what to do instead, e\.g\. reason: /),
      line,
      column,
      path: 'rules[0].action.reason',
    }]);
  });

  it('is info on allow and warn rules without a reason, and says nothing about modify rules', () => {
    const { findings, line } = lintMarked(`
metadata: { id: misc }
rules:
  - id: allow-admins
    condition: { operator: contains, field: user.roles, value: admin }
    action: ▸{ decision: allow }
  - id: warn-pii
    condition: { operator: eq, field: llm.containsPII, value: true }
    action: { decision: warn }
  - id: clamp
    condition: true
    action: { decision: modify, obligations: [{ type: set_max_tokens, value: 1000 }] }
`, 'missing-reason');
    expect(findings.map((f) => [f.severity, f.ruleId, f.line])).toEqual([['info', 'allow-admins', line], ['info', 'warn-pii', line + 3]]);
    expect(findings[1].message).toBe('warn rule has no reason: it reports only "warn by misc/warn-pii"');
  });

  it('only warns about a draft policy, so work in progress does not block publishing', () => {
    const { findings, line } = lintMarked(`
metadata: { id: wip }
status: draft
rules:
  - id: deny-something
    condition: { operator: eq, field: team.tier, value: free }
    action: ▸{ decision: deny }
`, 'missing-reason');
    expect(findings).toMatchObject([{ severity: 'warning', line, message: expect.stringContaining('an error once the rule is enabled and its policy active') }]);
  });
});
