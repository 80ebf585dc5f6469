import { describe, expect, it } from 'vitest';
import { compileBundle } from '../../src/engine/index';
import { lint } from '../../src/lint/index';
import type { LintFinding } from '../../src/lint/index';
import { parsePolicies } from '../../src/policy/parse';
import type { Policy } from '../../src/policy/types';

const text = `metadata: { id: models, priority: 10 }
rules:
  - id: deny-gpt4
    condition: { operator: eq, field: llm.model, value: gpt-4 }
    action: { decision: deny }
  - id: allow-gpt4
    condition: { operator: eq, field: llm.model, value: gpt-4 }
    action: { decision: allow, reason: "GPT-4 is fine for everyone" }
  - id: warn-cost
    condition: { operator: gt, field: llm.estimatedcost, value: 1 }
    action: { decision: warn, reason: "This request is expensive" }
`;

const unlocated = ({ file, line, column, ...rest }: LintFinding) => rest;

describe('policies from a bundle (no source positions)', () => {
  it('yield the same findings as the files, identified by policy, rule and path', async () => {
    const parsed = parsePolicies(text, { filename: 'models.yaml' });
    const bundle = await compileBundle(parsed, { version: '1.0.0' });
    const fromBundle = lint(bundle.policies);
    expect(fromBundle.map((f) => [f.code, f.severity, f.policyId, f.ruleId, f.path])).toEqual([
      ['conflict', 'warning', 'models', 'allow-gpt4', 'rules[1].condition'],
      ['missing-reason', 'error', 'models', 'deny-gpt4', 'rules[0].action'],
      ['unknown-field', 'warning', 'models', 'warn-cost', 'rules[2].condition.field'],
    ]);
    expect(fromBundle.every((f) => f.file === undefined && f.line === undefined)).toBe(true);
    const fromFiles = lint(parsed);
    expect(fromFiles.every((f) => f.file === 'models.yaml' && typeof f.line === 'number')).toBe(true);
    expect(fromFiles.map(unlocated)).toEqual(expect.arrayContaining(fromBundle));
    expect(fromFiles).toHaveLength(fromBundle.length);
  });

  it('reports what it cannot read as malformed and lints the rest, without throwing', () => {
    const input = [
      42,
      { metadata: { id: 'no-rules' }, rules: 'none' },
      {
        metadata: { id: 'mixed' },
        rules: [
          { id: 'no-action', condition: true },
          { id: 'fine', condition: true, action: { decision: 'deny' } },
        ],
        budgets: [{ id: 'no-scope', window: 'day', limit: { costUsd: 1 } }],
      },
    ] as unknown as Policy[];
    expect(lint(input).map((f) => [f.code, f.severity, f.policyId, f.ruleId, f.path, f.message])).toEqual([
      ['malformed', 'error', 'mixed', 'no-action', 'rules[0].action.decision', 'action.decision must be one of allow, deny, warn, modify, needs_approval'],
      ['malformed', 'error', 'mixed', undefined, 'budgets[0].scope', 'a budget or rate limit needs a scope (a field path)'],
      ['malformed', 'error', 'no-rules', undefined, 'rules', 'rules must be a list'],
      ['malformed', 'error', undefined, undefined, undefined, 'policy #1 of the input: a policy must be an object'],
      ['missing-reason', 'error', 'mixed', 'fine', 'rules[1].action', 'deny rule has no reason: callers are told only "deny by mixed/fine"'],
    ]);
  });

  it('answers input that is not a list with a finding', () => {
    expect(lint({} as unknown as Policy[])).toEqual([{ severity: 'error', code: 'malformed', message: 'lint needs a list of policies', suggestion: 'pass the policies of a set or of a bundle' }]);
  });
});

describe('finding order', () => {
  it('is by file, then line, then code', () => {
    const policy = (id: string) => `metadata: { id: ${id} }\nrules:\n  - id: r\n    condition: { operator: exists, field: team.teir }\n    action: { decision: deny, reason: short }\n`;
    const findings = lint([...parsePolicies(policy('b'), { filename: 'b.yaml' }), ...parsePolicies(policy('a'), { filename: 'a.yaml' })]);
    expect(findings.map((f) => [f.file, f.line, f.code])).toEqual([
      ['a.yaml', 4, 'unknown-field'],
      ['a.yaml', 5, 'missing-reason'],
      ['b.yaml', 4, 'unknown-field'],
      ['b.yaml', 5, 'missing-reason'],
    ]);
  });
});
