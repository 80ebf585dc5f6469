import { describe, expect, it } from 'vitest';
import { diffBundles, diffPolicies, formatDiff } from '../../src/bundle/diff';
import type { Policy } from '../../src/policy/types';
import { clone, sampleBundle, samplePolicies } from './sample';

function policy(id: string, ruleIds: string[] = ['r1'], priority = 100): Policy {
  return {
    metadata: { id, priority },
    rules: ruleIds.map((rid) => ({ id: rid, condition: true, action: { decision: 'deny' } })),
  };
}

describe('diffPolicies', () => {
  it('finds nothing between equal sets, whatever the key order', () => {
    const a = samplePolicies();
    const b = JSON.parse(JSON.stringify(a, ['rules', 'metadata', 'priority', 'id', 'tags', 'condition', 'action', 'decision', 'reason', 'field', 'operator', 'value', 'budgets', 'scope', 'window', 'limit', 'costUsd', 'status'])) as Policy[];
    expect(JSON.stringify(b)).not.toBe(JSON.stringify(a));
    expect(diffPolicies(a, b)).toEqual({ added: [], removed: [], unchanged: ['cost-guard', 'model-allowlist'], modified: [] });
  });

  it('sorts added, removed and unchanged policy ids', () => {
    const d = diffPolicies([policy('z'), policy('m'), policy('b')], [policy('y'), policy('m'), policy('a')]);
    expect(d).toMatchObject({ added: ['a', 'y'], removed: ['b', 'z'], unchanged: ['m'], modified: [] });
  });

  it('names changed policy fields with old → new', () => {
    const d = diffPolicies([policy('p', ['r1'], 100)], [{ ...policy('p', ['r1'], 200), status: 'disabled' }]);
    expect(d.modified).toEqual([
      { id: 'p', changes: ['metadata.priority: 100 → 200', 'status: (none) → "disabled"'], rules: { added: [], removed: [], modified: [], unchanged: ['r1'], changes: {} } },
    ]);
  });

  it('pairs budgets by id and reaches into them', () => {
    const [a, b] = [samplePolicies(), samplePolicies()];
    b[0].budgets![0].limit.costUsd = 75;
    b[0].budgets!.push({ id: 'team-month', scope: 'team.id', window: 'month', limit: { requests: 10 } });
    expect(diffPolicies(a, b).modified[0].changes).toEqual([
      'budgets[team-day].limit.costUsd: 50 → 75',
      'budgets[team-month]: (none) → {"id":"team-month","limit":{"requests":10},"scope":"team.id","window":"month"}',
    ]);
  });

  it('lists rule ids in file order', () => {
    const d = diffPolicies([policy('p', ['r9', 'r1', 'r5', 'r3'])], [policy('p', ['r7', 'r1', 'r2', 'r3'])]);
    expect(d.modified[0].rules).toEqual({ added: ['r7', 'r2'], removed: ['r9', 'r5'], modified: [], unchanged: ['r1', 'r3'], changes: {} });
  });

  it('marks modified rules and keeps the new file order', () => {
    const a = policy('p', ['c', 'b', 'a']);
    const b = clone(a);
    b.rules[2].action.decision = 'allow';
    b.rules[0].enabled = false;
    expect(diffPolicies([a], [b]).modified[0].rules).toEqual({
      added: [], removed: [], modified: ['c', 'a'], unchanged: ['b'],
      changes: { c: ['enabled: (none) → false'], a: ['action.decision: "deny" → "allow"'] },
    });
  });

  it('reports a change of rule order', () => {
    const d = diffPolicies([policy('p', ['a', 'b'])], [policy('p', ['b', 'a'])]);
    expect(d.modified[0]).toEqual({ id: 'p', changes: ['rules: order changed'], rules: { added: [], removed: [], modified: [], unchanged: ['b', 'a'], changes: {} } });
  });

  it('shortens long values', () => {
    const a = policy('p');
    const b = clone(a);
    b.metadata.description = 'x'.repeat(500);
    const [change] = diffPolicies([a], [b]).modified[0].changes;
    expect(change.startsWith('metadata.description: (none) → "xxx')).toBe(true);
    expect(change.endsWith('…')).toBe(true);
    expect(change.length).toBeLessThan(120);
  });
});

describe('diffBundles and formatDiff', () => {
  it('adds version and defaultDecision changes', async () => {
    const a = await sampleBundle();
    const b = await sampleBundle({ version: '1.1.0', defaultDecision: 'deny' });
    expect(diffBundles(a, b)).toMatchObject({ version: { from: '1.0.0', to: '1.1.0' }, defaultDecision: { from: 'allow', to: 'deny' }, unchanged: ['cost-guard', 'model-allowlist'] });
    expect(diffBundles(a, a)).not.toHaveProperty('version');
  });

  it('prints a diff for people', async () => {
    const a = await sampleBundle();
    const policies = samplePolicies();
    policies[0].metadata.priority = 150;
    policies[0].rules[1].action.decision = 'deny';
    policies[0].rules.push({ id: 'deny-night', condition: true, action: { decision: 'deny' } });
    policies[1] = policy('new-policy');
    const b = await sampleBundle({ version: '1.1.0', policies });
    expect(formatDiff(diffBundles(a, b))).toBe(
      [
        'version: 1.0.0 → 1.1.0',
        '+ policy new-policy',
        '- policy model-allowlist',
        '~ policy cost-guard',
        '    metadata.priority: 100 → 150',
        '    + rule deny-night',
        '    ~ rule warn-large',
        '        action.decision: "warn" → "deny"',
        '1 added, 1 removed, 1 modified, 0 unchanged',
      ].join('\n'),
    );
  });

  it('prints the unchanged ones and the count when nothing changed', () => {
    expect(formatDiff(diffPolicies([policy('a'), policy('b')], [policy('b'), policy('a')]))).toBe('unchanged: a, b\n0 added, 0 removed, 0 modified, 2 unchanged');
  });
});
