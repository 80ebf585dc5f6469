// What the Cedar export cannot write is named precisely, leaf by leaf, and the rest still exports.
import { describe, expect, it } from 'vitest';
import { exportPolicies } from '../../../src/authoring/export/index';
import type { Condition, Policy } from '../../../src/policy/types';

const deny = (id: string, condition: Condition) => ({ id, condition, action: { decision: 'deny' as const, reason: 'no' } });

describe('Cedar export gaps', () => {
  const policies: Policy[] = [{
    metadata: { id: 'p' },
    rules: [
      deny('regex', { operator: 'matches', field: 'llm.model', value: '^gpt' }),
      deny('string-order', { operator: 'and', conditions: [true, { operator: 'gt', field: 'team.id', value: 'm' }] }),
      deny('index', { operator: 'eq', field: 'llm.messages.0.role', value: 'system' }),
      deny('list-eq', { operator: 'eq', field: 'user.roles', value: ['admin'] }),
      deny('two-types-a', { operator: 'eq', field: 'metadata.level', value: 'high' }),
      deny('two-types-b', { operator: 'gt', field: 'metadata.level', value: 3 }),
      deny('untyped', { operator: 'eq', field: 'metadata.blob', valueField: 'metadata.other' }),
      deny('precise', { operator: 'gt', field: 'llm.estimatedCost', value: 0.00001 }),
      deny('fine', { operator: 'not_in', field: 'team.tier', value: ['pro', 1] }),
    ],
  }];
  const result = exportPolicies(policies, { format: 'cedar' });
  const gap = (rule: string) => result.gaps.filter((g) => g.where.startsWith(`p/${rule}:`)).map((g) => `${g.where}: ${g.what.replace(/; rule left out.*$/, '')}`);

  it('names the leaf and why for each rule it leaves out', () => {
    expect(gap('regex')).toEqual(['p/regex: condition: matches: Cedar has no regular expressions (only like with * wildcards)']);
    expect(gap('string-order')).toEqual(['p/string-order: condition.conditions[1]: gt on strings: Cedar does not order strings']);
    expect(gap('index')).toEqual(['p/index: condition: field llm.messages.0.role indexes a list, and Cedar has sets, not lists']);
    expect(gap('list-eq')).toEqual(['p/list-eq: condition: eq on a list compares in order, Cedar sets have no order']);
    expect(gap('two-types-a')).toEqual(['p/two-types-a: condition: field metadata.level is used as String and as Decimal; Cedar needs one type per attribute']);
    expect(gap('two-types-b')).toHaveLength(1);
    expect(gap('untyped')[0]).toMatch(/^p\/untyped: condition: field metadata\.blob: the policies do not tell its type/);
    expect(gap('precise')).toEqual(['p/precise: condition: 0.00001 is not a Cedar decimal (at most 4 digits after the point, magnitude below 922337203685477)']);
    expect(result.gaps.find((g) => g.where.startsWith('p/regex'))?.what).toMatch(/rule left out, so where it would match the other rules decide instead of its deny$/);
  });

  it('still exports the rest, folding values of the wrong type away', () => {
    expect(result.exported).toEqual(['p/fine']);
    expect(result.files[0].text).toContain('when { !(context has team && context.team has tier && ["pro"].contains(context.team.tier)) };');
  });
});

describe('Cedar export of a namespaced set', () => {
  it('cannot scope when a rule uses a namespace field as another type (a field the spec does not type)', () => {
    const result = exportPolicies([
      { metadata: { id: 'scoped', namespace: 'production' }, rules: [deny('r', true)] },
      { metadata: { id: 'odd' }, rules: [deny('r', { operator: 'gt', field: 'metadata.namespace', value: 1 })] },
    ], { format: 'cedar' });
    expect(result.exported).toEqual([]);
    expect(result.gaps.map((g) => g.where)).toEqual(['odd/r: condition', 'scoped/r: metadata.namespace']);
    expect(result.gaps[1].what).toMatch(/^field metadata\.namespace is used as Decimal and as String; Cedar needs one type per attribute, and namespace scoping reads it as a String;/);
  });
});
