import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicies } from '../../src/policy/parse';
import { formatPath, type PathSegment } from '../../src/policy/paths';
import { printPolicies } from '../../src/policy/print';
import { locate, sourceOf } from '../../src/policy/source';
import type { LeafCondition } from '../../src/policy/types';
import { arbitraryPolicies } from './arbitraries';

const TEXT = `# header comment
metadata:
  id: a
rules:
  - id: first
    condition: true
    action: {decision: allow}
  - id: second
    condition:
      operator: or
      conditions:
        - operator: eq
          field: team.tier
          value: free
    action:
      decision: modify
      obligations:
        - type: set_max_tokens
          value: 100
budgets:
  - {id: spend, scope: team.id, window: month, limit: {costUsd: 5}}
rateLimits:
  - id: rpm
    scope: user.id
    window: minute
    limit: {requests: 60}
`;

describe('sourceOf', () => {
  const [policy] = parsePolicies(TEXT, { filename: 'p.yaml' });
  const second = policy.rules[1];
  const or = second.condition as { conditions: LeafCondition[] };

  it('locates every object node: policy, rules, conditions, obligations, budgets, rate limits', () => {
    const at = (node: object) => {
      const { path, line, column } = sourceOf(node)!;
      return { path, line, column };
    };
    expect(sourceOf(policy)).toEqual({ file: 'p.yaml', document: 0, path: '', line: 2, column: 1 });
    expect(at(policy.metadata)).toEqual({ path: 'metadata', line: 3, column: 3 });
    expect(at(policy.rules)).toEqual({ path: 'rules', line: 5, column: 3 });
    expect(at(policy.rules[0])).toEqual({ path: 'rules[0]', line: 5, column: 5 });
    expect(at(policy.rules[0].action)).toEqual({ path: 'rules[0].action', line: 7, column: 13 });
    expect(at(second)).toEqual({ path: 'rules[1]', line: 8, column: 5 });
    expect(at(or)).toEqual({ path: 'rules[1].condition', line: 10, column: 7 });
    expect(at(or.conditions[0])).toEqual({ path: 'rules[1].condition.conditions[0]', line: 12, column: 11 });
    expect(at(second.action.obligations![0])).toEqual({ path: 'rules[1].action.obligations[0]', line: 18, column: 11 });
    expect(at(policy.budgets![0])).toEqual({ path: 'budgets[0]', line: 21, column: 5 });
    expect(at(policy.budgets![0].limit)).toEqual({ path: 'budgets[0].limit', line: 21, column: 55 });
    expect(at(policy.rateLimits![0])).toEqual({ path: 'rateLimits[0]', line: 23, column: 5 });
  });

  it('adds nothing to the policy objects themselves', () => {
    expect(Object.keys(second)).toEqual(['id', 'condition', 'action']);
    expect(Object.getOwnPropertySymbols(second)).toEqual([]);
  });

  it('knows nothing of objects it did not parse, even equal ones', () => {
    expect(sourceOf(structuredClone(policy))).toBeUndefined();
  });

  it('names the document and the list index', () => {
    const [, b, c] = parsePolicies(`${TEXT}---\n- metadata: {id: b}\n  rules: [{id: r, condition: true, action: {decision: deny}}]\n- metadata: {id: c}\n  rules: [{id: r, condition: true, action: {decision: deny}}]\n`, { filename: 'p.yaml' });
    expect(sourceOf(b)).toEqual({ file: 'p.yaml', document: 1, path: '[0]', line: 28, column: 3 });
    expect(sourceOf(c.rules[0])).toMatchObject({ document: 1, path: '[1].rules[0]', line: 31, column: 11 });
  });

  it('works for JSON, without a document index', () => {
    const [p] = parsePolicies('{\n  "metadata": {"id": "a"},\n  "rules": [\n    {"id": "r", "condition": true, "action": {"decision": "deny"}}\n  ]\n}', { filename: 'p.json' });
    expect(sourceOf(p.rules[0])).toEqual({ file: 'p.json', path: 'rules[0]', line: 4, column: 5 });
  });

  it('gives every object node of any parsed policy its own path', () => {
    fc.assert(
      fc.property(arbitraryPolicies(), fc.constantFrom('yaml' as const, 'json' as const), (policies, format) => {
        const parsed = parsePolicies(printPolicies(policies, format), { format });
        parsed.forEach((policy, index) => {
          const prefix: PathSegment[] = format === 'json' && parsed.length !== 1 ? [index] : [];
          for (const [node, path] of objectNodes(policy, prefix)) {
            const source = sourceOf(node);
            expect(source?.path).toBe(formatPath(path));
            expect(source?.line).toBeGreaterThan(0);
            expect(source?.column).toBeGreaterThan(0);
          }
        });
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});

describe('locate', () => {
  const [policy] = parsePolicies(TEXT, { filename: 'p.yaml' });

  it('finds a scalar inside a policy', () => {
    expect(locate(policy, 'rules[1].condition.conditions[0].value')).toEqual({ file: 'p.yaml', document: 0, path: 'rules[1].condition.conditions[0].value', line: 14, column: 18 });
    expect(locate(policy, 'rules[0].action.decision')).toMatchObject({ line: 7, column: 24 });
  });

  it('falls back to the nearest enclosing node that exists', () => {
    expect(locate(policy, 'rules[0].action.reason')).toMatchObject({ path: 'rules[0].action.reason', line: 7, column: 13 });
    expect(locate(policy, 'rules[7].condition')).toMatchObject({ path: 'rules[7].condition', line: 5, column: 3 });
  });

  it('returns the policy itself for an empty path', () => {
    expect(locate(policy, '')).toEqual(sourceOf(policy));
  });
});

/** Every object or array under `node`, with its path. */
function* objectNodes(node: unknown, path: PathSegment[]): Generator<[object, PathSegment[]]> {
  if (typeof node !== 'object' || node === null) return;
  yield [node, path];
  if (Array.isArray(node)) for (let i = 0; i < node.length; i++) yield* objectNodes(node[i], [...path, i]);
  else for (const [key, value] of Object.entries(node)) yield* objectNodes(value, [...path, key]);
}
