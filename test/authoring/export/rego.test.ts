// The Rego export cannot be run here (no OPA), so its text is checked for its structure: every rule
// it claims is in `matched`, every helper it calls is defined, and the decision logic is there.
import { describe, expect, it } from 'vitest';
import { exportPolicies } from '../../../src/authoring/export/index';
import { loadPolicySet } from '../../../src/node/policy-set';
import type { Policy } from '../../../src/policy/types';

const definedHelpers = (text: string) => new Set([...text.matchAll(/^(c_\d+_\d+) if \{/gm)].map((m) => m[1]));
const usedHelpers = (text: string) => new Set([...text.matchAll(/\b(c_\d+_\d+)\b/g)].map((m) => m[1]));

describe('Rego export', async () => {
  const { policies } = await loadPolicySet('policies');
  const result = exportPolicies(policies, { format: 'rego', defaultDecision: 'deny' });
  const text = result.files[0].text;

  it('is a rego.v1 module of package llm_policy, saying it is unverified', () => {
    expect(result.files[0].name).toBe('policies.rego');
    expect(text).toMatch(/^package llm_policy$/m);
    expect(text).toMatch(/^import rego\.v1$/m);
    expect(text).toMatch(/^# unverified: no OPA runs/m);
    expect(text).toContain('default_decision := {"request":"deny","response":"allow"}');
  });

  it('has a matched entry and a rules row for every rule of the shipped set', () => {
    const ids = policies.flatMap((p) => p.rules.map((r) => `${p.metadata.id}/${r.id}`));
    expect(result.exported.sort()).toEqual([...ids].sort());
    for (const id of ids) {
      expect(text).toContain(`matched contains ${JSON.stringify(id)} if {`);
      expect(text).toMatch(new RegExp(`^\\t${JSON.stringify(id).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: \\{`, 'm'));
    }
  });

  it('defines every helper rule it uses, and uses every one it defines', () => {
    const defined = definedHelpers(text);
    expect(defined.size).toBeGreaterThan(20);
    expect([...usedHelpers(text)].filter((h) => !defined.has(h))).toEqual([]);
  });

  it('scopes namespaced policies and combines by tier, then deny over needs_approval over allow', () => {
    const scoped = exportPolicies([{ metadata: { id: 'p', namespace: 'production' }, rules: [{ id: 'r', condition: true, action: { decision: 'deny', reason: 'no' } }] }], { format: 'rego' }).files[0].text;
    expect(scoped).toContain('matched contains "p/r" if {\n\tin_namespace("production")\n\tc_0_0\n}');
    expect(text).toContain('top_priority(stage) := max(');
    expect(text).toMatch(/decision\(stage\) := "deny" if \{[\s\S]*?\} else := "needs_approval" if \{[\s\S]*?\} else := "allow" if \{[\s\S]*?\} else := default_decision\[stage\]/);
  });

  it('writes leaves with the guards our semantics need', () => {
    const one = (condition: Policy['rules'][number]['condition']): string =>
      exportPolicies([{ metadata: { id: 'p' }, rules: [{ id: 'r', condition, action: { decision: 'deny', reason: 'no' } }] }], { format: 'rego' }).files[0].text;
    // A negated leaf is `not` of its positive helper, so a missing field makes it true.
    expect(one({ operator: 'ne', field: 'team.tier', value: 'pro' })).toMatch(/c_0_0 if \{\n\tx := input\.team\.tier\n\tx != null\n\tx == "pro"\n\}\n\nc_0_1 if \{\n\tnot c_0_0\n\}/);
    expect(one({ operator: 'gt', field: 'budget.b-1.remaining.costUsd', value: 5 })).toContain('x := input.budget["b-1"].remaining.costUsd\n\tx != null\n\tis_number(x)\n\tx > 5');
    expect(one({ operator: 'matches', field: 'llm.model', value: '^gpt', flags: 'i' })).toContain('regex.match("(?i)^gpt", x)');
    expect(one({ operator: 'or', conditions: [] })).toContain('c_0_0 if {\n\tfalse\n}');
  });
});
