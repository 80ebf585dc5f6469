// Shadow mode (spec §10) beyond the conformance table: failing shadow rules, explain traces and
// the schema of `mode`.
import { describe, expect, it } from 'vitest';
import { compileBundle, loadBundle, parsePolicies, PolicyError } from '../../src/index';

async function evaluatorOf(yaml: string) {
  return loadBundle(await compileBundle(parsePolicies(yaml), { version: '1.0.0' }));
}

// Two lists nested deeper than the stack: comparing them throws, so the rule's evaluation fails.
const deep = (n: number) => {
  let v: unknown = [];
  for (let i = 0; i < n; i++) v = [v];
  return v;
};
const failing = { a: deep(200_000), b: deep(200_000) };
const sameLists = (id: string, decision: string, extra = '') =>
  `  - id: ${id}\n    mode: shadow\n${extra}    condition: { operator: eq, field: a, valueField: b }\n    action: { decision: ${decision}, reason: "${id} fired" }\n`;

describe('shadow mode', () => {
  it('a failing shadow rule reports what its onError would have done, and adds no error to the decision', async () => {
    const evaluator = await evaluatorOf(`metadata: { id: p }\nrules:\n${sameLists('deny-default', 'deny')}${sameLists('warn-closed', 'warn', '    onError: deny\n')}${sameLists('warn-open', 'warn', '    onError: allow\n')}`);
    const d = evaluator.evaluate(failing);
    expect(d.decision).toBe('allow');
    expect(d.errors).toBeUndefined();
    expect(d.reasons).toEqual(['no rule matched: default allow']);
    expect(d.shadow).toEqual([
      { policyId: 'p', ruleId: 'deny-default', decision: 'deny' },
      { policyId: 'p', ruleId: 'warn-closed', decision: 'deny' },
    ]);
  });

  it('explain marks shadow rules in the trace and decides as without explain', async () => {
    const evaluator = await evaluatorOf(`metadata: { id: p }
rules:
  - { id: s, mode: shadow, condition: { operator: eq, field: team.tier, value: free }, action: { decision: deny, reason: no } }
  - { id: e, condition: { operator: eq, field: team.tier, value: free }, action: { decision: warn, reason: hm } }
`);
    const { trace, evaluationMicros: _a, ...explained } = evaluator.evaluate({ team: { tier: 'free' } }, { explain: true });
    const { evaluationMicros: _b, ...plain } = evaluator.evaluate({ team: { tier: 'free' } });
    expect(explained).toEqual(plain);
    expect(trace?.map((t) => [t.ruleId, t.matched, t.shadow])).toEqual([['s', true, true], ['e', true, undefined]]);
  });

  it('mode takes enforce or shadow, on a rule and on metadata', () => {
    const bad = (yaml: string) => {
      try {
        parsePolicies(yaml, { filename: 'p.yaml' });
      } catch (e) {
        return (e as PolicyError).describe();
      }
      throw new Error('expected a schema error');
    };
    expect(bad('metadata: { id: p }\nrules:\n  - { id: r, mode: audit, condition: true, action: { decision: deny, reason: no } }\n'))
      .toMatch(/^p\.yaml:3:\d+: rules\[0\]\.mode: .*enforce.*shadow/);
    expect(bad('metadata: { id: p, mode: off }\nrules:\n  - { id: r, condition: true, action: { decision: deny, reason: no } }\n'))
      .toMatch(/^p\.yaml:1:\d+: metadata\.mode: .*enforce.*shadow/);
  });
});
