// The rule index on bundles built to use every path of it: one indexed field, several, list values,
// mixed scalar types. Each decision is compared with a linear scan of the same bundle.
import { describe, expect, it } from 'vitest';
import { compileBundle, loadBundle } from '../../src/engine/index';
import type { Condition, Decision, Policy } from '../../src/policy/types';

const withoutTiming = ({ evaluationMicros, ...rest }: Decision) => rest;

function tenantPolicy(n: number): Policy {
  const rules = [];
  for (let i = 0; i < n; i++) {
    rules.push({
      id: `tenant-${i}`,
      condition: { operator: 'and', conditions: [
        { operator: 'eq', field: 'team.id', value: `team-${i}` },
        { operator: 'not_in', field: 'llm.model', value: [`model-${i}`] },
      ] } as Condition,
      action: { decision: 'deny' as const, reason: `team-${i} may only use model-${i}` },
    });
  }
  return { metadata: { id: 'tenants' }, rules };
}

const modelPolicy: Policy = {
  metadata: { id: 'models', priority: 10 },
  rules: [
    { id: 'warn-a', condition: { operator: 'in', field: 'llm.model', value: ['model-1', 'model-2'] }, action: { decision: 'warn', reason: 'a' } },
    { id: 'warn-b', condition: { operator: 'eq', field: 'llm.model', value: 'model-2' }, action: { decision: 'warn', reason: 'b' } },
    { id: 'allow-c', condition: { operator: 'in', field: 'llm.model', value: ['model-3', 7, true] }, action: { decision: 'allow' } },
    { id: 'roles', condition: { operator: 'in', field: 'user.roles', value: ['admin', 'ops'] }, action: { decision: 'warn' } },
    { id: 'roles-2', condition: { operator: 'eq', field: 'user.roles', value: 'ops' }, action: { decision: 'warn' } },
    { id: 'roles-3', condition: { operator: 'in', field: 'user.roles', value: ['auditor'] }, action: { decision: 'warn' } },
    { id: 'catch-all', condition: { operator: 'exists', field: 'llm.model' }, action: { decision: 'warn' } },
  ],
};

const contexts: object[] = [
  {},
  { team: { id: 'team-3' }, llm: { model: 'model-3' } },
  { team: { id: 'team-3' }, llm: { model: 'model-4' } },
  { team: { id: 'team-999' }, llm: { model: 'model-1' } },
  { team: { id: 'team-2' }, llm: { model: 'model-2' }, user: { roles: ['ops', 'auditor'] } },
  { team: { id: ['team-1', 'team-2'] }, llm: { model: 'x' } },
  { llm: { model: 7 } },
  { llm: { model: '7' } },
  { llm: { model: true } },
  { llm: { model: ['model-2', 'model-3'] }, user: { roles: 'ops' } },
  { team: { id: null }, llm: { model: { nested: 1 } }, user: { roles: [] } },
];

describe('rule index', () => {
  it('decides as a linear scan on every kind of lookup', async () => {
    const bundle = await compileBundle([tenantPolicy(200), modelPolicy], { version: '1.0.0' });
    const indexed = loadBundle(bundle);
    const scanned = loadBundle(bundle, { index: false });
    for (const ctx of contexts) expect(withoutTiming(indexed.evaluate(ctx))).toEqual(withoutTiming(scanned.evaluate(ctx)));
  });

  it('finds the tenant rule among many and applies it', async () => {
    const evaluator = loadBundle(await compileBundle([tenantPolicy(1000)], { version: '1.0.0' }));
    const denied = evaluator.evaluate({ team: { id: 'team-742' }, llm: { model: 'model-1' } });
    expect(denied.decision).toBe('deny');
    expect(denied.reasons).toEqual(['team-742 may only use model-742']);
    expect(evaluator.evaluate({ team: { id: 'team-742' }, llm: { model: 'model-742' } }).decision).toBe('allow');
    expect(evaluator.evaluate({ team: { id: 'team-1000' }, llm: { model: 'x' } }).decision).toBe('allow');
  });

  it('keeps scalar types apart: 7 and "7" are different keys', async () => {
    const evaluator = loadBundle(await compileBundle([modelPolicy], { version: '1.0.0' }), { minRulesPerIndex: 1 });
    expect(evaluator.evaluate({ llm: { model: 7 } }).matchedRules.map((m) => m.ruleId)).toEqual(['allow-c', 'catch-all']);
    expect(evaluator.evaluate({ llm: { model: '7' } }).matchedRules.map((m) => m.ruleId)).toEqual(['catch-all']);
  });
});
