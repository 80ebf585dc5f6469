import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint/index';
import type { Policy } from '../../src/policy/types';
import { lintFiles, withCode } from './helpers';

const policy = (id: string, extra = '') => `metadata:
  id: ${id}
rules:
  - id: deny-all
    condition: true
    action: { decision: deny, reason: "Nothing is allowed here" }
${extra}`;

describe('duplicate-id', () => {
  it('reports a policy id defined in two files, at the second, naming the first', () => {
    const findings = lintFiles({ 'a.yaml': policy('cost'), 'b.yaml': `# the same id again\n${policy('cost')}` }, 'duplicate-id');
    expect(findings).toEqual([{
      severity: 'error',
      code: 'duplicate-id',
      message: 'duplicate policy id "cost" (first defined in policy "cost" at metadata.id)',
      suggestion: 'rename one of them: policy ids must be unique in a bundle',
      policyId: 'cost',
      file: 'b.yaml',
      line: 3,
      column: 7,
      path: 'metadata.id',
      seeAlso: 'a.yaml:2',
    }]);
  });

  it('reports a budget id that two policies define, since counters are keyed by id alone', () => {
    const budget = (scope: string) => `budgets:\n  - { id: monthly, scope: ${scope}, window: month, limit: { costUsd: 100 } }\n`;
    const findings = lintFiles({ 'a.yaml': policy('a', budget('team.id')), 'b.yaml': policy('b', budget('user.id')) }, 'duplicate-id');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', file: 'b.yaml', line: 8, path: 'budgets[0].id', policyId: 'b' });
    expect(findings[0].message).toBe('duplicate budget or rate limit id "monthly" (first defined in policy "a" at budgets[0].id)');
    expect(findings[0].seeAlso).toBe('a.yaml:8');
  });

  it('reports duplicate rule ids in policies that did not come from parsePolicies, by policy, rule and path', () => {
    const rule = { id: 'r', condition: true, action: { decision: 'allow', reason: 'Allowed for everyone' } };
    const policies = [{ metadata: { id: 'p' }, rules: [rule, { ...rule }] }] as Policy[];
    expect(withCode(lint(policies), 'duplicate-id')).toEqual([{
      severity: 'error',
      code: 'duplicate-id',
      message: 'duplicate rule id "r" in policy "p" (first defined in policy "p" at rules[0].id)',
      suggestion: 'rename one of them: rule ids must be unique within a policy',
      policyId: 'p',
      ruleId: 'r',
      path: 'rules[1].id',
    }]);
  });
});
