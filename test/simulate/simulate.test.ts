// simulate(): decision counts, rule hits (never-matched rules included), and the decision changes
// between two bundles with examples and deciding rules.
import { describe, expect, it } from 'vitest';
import { compileBundle, loadBundle, parsePolicies } from '../../src/index';
import { formatReport } from '../../src/simulate/format';
import { decidingRules, simulate } from '../../src/simulate/simulate';
import type { Decision } from '../../src/policy/types';

async function evaluatorOf(yaml: string, version = '1.0.0') {
  return loadBundle(await compileBundle(parsePolicies(yaml), { version, createdAt: '2026-01-01T00:00:00Z' }));
}

const CURRENT = `
metadata: { id: cost }
rules:
  - id: deny-over-1
    condition: { operator: gt, field: llm.estimatedCost, value: 1 }
    action: { decision: deny, reason: Over a dollar }
  - id: never
    condition: { operator: eq, field: llm.model, value: no-such-model }
    action: { decision: deny, reason: Never matches }
---
metadata: { id: pii }
rules:
  - id: warn-pii
    condition: { operator: eq, field: llm.containsPII, value: true }
    action: { decision: warn, reason: PII }
`;
// The candidate lowers the limit to 50 cents and lets admins through first.
const CANDIDATE = `
metadata: { id: cost }
rules:
  - id: deny-over-1
    condition: { operator: gt, field: llm.estimatedCost, value: 0.5 }
    action: { decision: deny, reason: Over 50 cents }
---
metadata: { id: admins, priority: 10 }
rules:
  - id: admins-anything
    condition: { operator: contains, field: user.roles, value: admin }
    action: { decision: allow, reason: Admins may }
`;

const contexts = [0.1, 0.7, 0.8, 0.9, 2, 3].map((cost, i) => ({
  label: `#${i + 1}`,
  context: { llm: { estimatedCost: cost, containsPII: i === 0 }, user: { roles: i === 5 ? ['admin'] : [] } },
}));

describe('simulate', () => {
  it('counts decisions and rule hits, listing rules that never matched', async () => {
    const report = simulate(await evaluatorOf(CURRENT), contexts);
    expect(report.total).toBe(6);
    expect(report.main.decisions).toEqual({ allow: 4, deny: 2, needs_approval: 0 });
    expect(report.main.rules).toEqual([
      { policyId: 'cost', ruleId: 'deny-over-1', decision: 'deny', priority: 0, hits: 2 },
      { policyId: 'cost', ruleId: 'never', decision: 'deny', priority: 0, hits: 0 },
      { policyId: 'pii', ruleId: 'warn-pii', decision: 'warn', priority: 0, hits: 1 },
    ]);
    expect(report.main).toMatchObject({ withWarnings: 1, withObligations: 0, withErrors: 0, bundle: { version: '1.0.0' } });
    expect(report.compare).toBeUndefined();
    expect(report.changes).toBeUndefined();
  });

  it('reports each decision change from the compared bundle, with the first examples and their deciding rules', async () => {
    const report = simulate(await evaluatorOf(CANDIDATE, '2.0.0'), contexts, await evaluatorOf(CURRENT), { examples: 2 });
    expect(report.compare!.decisions).toEqual({ allow: 4, deny: 2, needs_approval: 0 });
    expect(report.main.decisions).toEqual({ allow: 2, deny: 4, needs_approval: 0 });
    expect(report.changes!.changed).toBe(4);
    expect(report.changes!.transitions.map(({ from, to, count }) => ({ from, to, count }))).toEqual([
      { from: 'allow', to: 'deny', count: 3 },
      { from: 'deny', to: 'allow', count: 1 },
    ]);
    const [tighter, admin] = report.changes!.transitions;
    expect(tighter.examples.map((e) => e.label)).toEqual(['#2', '#3']);
    expect(tighter.examples[0]).toMatchObject({
      before: { decision: 'allow', decidingRules: [], reasons: ['no rule matched: default allow'] },
      after: { decision: 'deny', decidingRules: ['cost/deny-over-1'], reasons: ['Over 50 cents'] },
    });
    expect(admin.examples[0]).toMatchObject({ label: '#6', after: { decision: 'allow', decidingRules: ['admins/admins-anything'] } });
    // #5 stays denied by the same rule; nothing was decided differently without changing.
    expect(report.changes!.decidedDifferently).toBe(0);
  });

  it('formats the comparison for people', async () => {
    const report = simulate(await evaluatorOf(CANDIDATE, '2.0.0'), contexts, await evaluatorOf(CURRENT));
    const text = formatReport(report, { main: 'candidate/', compare: 'current/' });
    expect(text).toContain('6 contexts\nbefore: current/ (bundle 1.0.0, sha256:');
    expect(text).toMatch(/^ {2}allow +4 +66\.7% +2 +33\.3%$/m);
    expect(text).toMatch(/^ {2}cost\/never \(deny\) +0 → +- +\(removed\)$/m);
    expect(text).toMatch(/^ {2}admins\/admins-anything \(allow\) +- → +1 +\(new\)$/m);
    expect(text).toContain('changed decisions: 4 of 6\n  allow → deny: 3\n    #2: allow (no rule matched: default allow) → deny by cost/deny-over-1\n');
    expect(text).toContain('  deny → allow: 1\n    #6: deny by cost/deny-over-1 → allow by admins/admins-anything\n');
  });

  it('formats a single bundle with never-matched rules marked', async () => {
    const text = formatReport(simulate(await evaluatorOf(CURRENT), contexts), { main: 'current/' });
    expect(text).toMatch(/^ {2}cost\/never \(deny\) +0 {2}never matched$/m);
    expect(text).toContain('  with warnings: 1\n');
  });
});

describe('decidingRules', () => {
  const decision = (d: Decision['decision'], matched: Array<[string, Decision['matchedRules'][number]['decision'], number]>): Decision => ({
    decision: d,
    allowed: d === 'allow',
    reasons: [],
    matchedRules: matched.map(([id, dec, priority]) => ({ policyId: 'p', ruleId: id, decision: dec, priority })),
    warnings: [],
    obligations: [],
    bundle: { version: '1.0.0', hash: 'sha256:x' },
    evaluationMicros: 0,
  });

  it('takes the top tier of authoritative matches that agree with the decision', () => {
    expect(decidingRules(decision('allow', [['exception', 'allow', 10], ['block', 'deny', 0], ['note', 'warn', 20]]))).toEqual(['p/exception']);
    expect(decidingRules(decision('deny', [['a', 'deny', 5], ['b', 'allow', 5], ['c', 'deny', 5]]))).toEqual(['p/a', 'p/c']);
  });

  it('is empty for a default decision', () => {
    expect(decidingRules(decision('allow', [['note', 'warn', 0]]))).toEqual([]);
  });
});
