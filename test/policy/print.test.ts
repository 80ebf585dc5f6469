import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicies } from '../../src/policy/parse';
import { printPolicies } from '../../src/policy/print';
import { validatePolicy } from '../../src/policy/schema';
import { arbitraryPolicies, arbitraryPolicy } from './arbitraries';

describe('printPolicies', () => {
  it('generates only valid policies (so the round trip below covers the whole language)', () => {
    fc.assert(fc.property(arbitraryPolicy(), (policy) => {
      expect(validatePolicy(policy)).toEqual([]);
    }), { numRuns: 300 });
  }, 60_000);

  for (const format of ['yaml', 'json'] as const) {
    it(`${format}: parsing the printed text gives back the same policies`, () => {
      fc.assert(
        fc.property(arbitraryPolicies(), (policies) => {
          expect(parsePolicies(printPolicies(policies, format), { format })).toEqual(policies);
        }),
        { numRuns: 200 },
      );
    }, 60_000);

    it(`${format}: the printed format is recognised without being told`, () => {
      fc.assert(
        fc.property(arbitraryPolicies(), (policies) => {
          expect(parsePolicies(printPolicies(policies, format))).toEqual(policies);
        }),
        { numRuns: 50 },
      );
    }, 60_000);
  }

  it('yaml: keeps strings with blank lines of spaces intact (yaml 2.9 block scalars would not)', () => {
    const policies = [{ metadata: { id: 'a', name: ' \n', description: 'x\n  \ny' }, rules: [{ id: 'r', condition: true, action: { decision: 'allow' as const, reason: ' \n\n' } }] }];
    expect(parsePolicies(printPolicies(policies, 'yaml'), { format: 'yaml' })).toEqual(policies);
  });

  it('yaml: prints ordinary multi-line text as a block', () => {
    const policies = [{ metadata: { id: 'a', description: 'line one\nline two\n' }, rules: [{ id: 'r', condition: true, action: { decision: 'allow' as const } }] }];
    expect(printPolicies(policies, 'yaml')).toContain('description: |\n    line one\n    line two\n');
  });

  it('prints keys in author order whatever order they come in (a bundle sorts them)', () => {
    const sorted = { budgets: [{ id: 'b', limit: { costUsd: 5 }, scope: 'team.id', window: 'day' as const }], metadata: { description: 'd', id: 'a', name: 'n' }, rules: [{ action: { decision: 'allow' as const, reason: 'ok' }, condition: { field: 'llm.model', operator: 'eq' as const, value: 'x' }, id: 'r' }] };
    expect(Object.keys(JSON.parse(printPolicies([sorted], 'json')))).toEqual(['metadata', 'rules', 'budgets']);
    expect(Object.keys(JSON.parse(printPolicies([sorted], 'json')).metadata)).toEqual(['id', 'name', 'description']);
    expect(printPolicies([sorted], 'yaml')).toContain('rules:\n  - id: r\n    condition:\n      operator: eq\n      field: llm.model\n      value: x\n    action:\n      decision: allow\n');
  });

  it('prints zero policies as text that parses to zero policies', () => {
    expect(parsePolicies(printPolicies([], 'yaml'), { format: 'yaml' })).toEqual([]);
    expect(parsePolicies(printPolicies([], 'json'), { format: 'json' })).toEqual([]);
  });
});
