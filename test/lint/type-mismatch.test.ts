import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/bundle/index';
import { MemoryKvTarget } from '../../src/publish/memory-kv-target';
import { publish } from '../../src/publish/pipeline';
import { lintFiles, lintMarked } from './helpers';

const ruleWith = (condition: string, stage = '') => ({
  'p.yaml': `metadata: { id: p }\nrules:\n  - id: r\n${stage}    condition: ${condition}\n    action: { decision: warn, reason: "Something worth a warning" }\n`,
});

describe('type-mismatch', () => {
  it('is an error when a quoted number is compared with a number field, and says how to write it', () => {
    const { findings, line, column } = lintMarked(`metadata: { id: cost }
rules:
  - id: deny-expensive
    condition: { operator: gt, field: llm.estimatedCost, value: ▸"1.5" }
    action: { decision: deny, reason: "Requests over $1.50 are refused" }
`, 'type-mismatch');
    expect(findings).toEqual([{
      severity: 'error',
      code: 'type-mismatch',
      message: 'llm.estimatedCost gt "1.5" never holds: llm.estimatedCost is a number, but the value is a string',
      suggestion: 'write value: 1.5 without quotes',
      policyId: 'cost',
      ruleId: 'deny-expensive',
      file: 'policy.yaml',
      line,
      column,
      path: 'rules[0].condition.value',
    }]);
  });

  it.each([
    ['{ operator: eq, field: user.roles, value: admin }', 'never holds: user.roles is a list, and eq compares the whole list', 'to test for one element, use contains'],
    ['{ operator: ne, field: llm.stream, value: "true" }', 'always holds: llm.stream is a boolean, but the value is a string', 'write value: true without quotes'],
    ['{ operator: eq, field: team.id, value: 123 }', 'never holds: team.id is a string, but the value is a number', 'quote the value: "123"'],
    ['{ operator: in, field: time.weekday, value: ["0", "6"] }', 'never holds: time.weekday is a number, but no value in the list is a number', 'compare time.weekday with a number'],
    ['{ operator: contains, field: user.roles, value: 7 }', 'user.roles is a list, whose items are strings, but the value is a number', 'use string values: user.roles holds strings'],
    ['{ operator: matches, field: llm.maxTokens, value: "^1" }', 'llm.maxTokens is a number, and matches tests only strings', 'compare llm.maxTokens with a number'],
    ['{ operator: starts_with, field: llm.estimatedCost, value: "x" }', 'llm.estimatedCost is a number, and starts_with tests only strings', 'compare llm.estimatedCost with a number'],
    ['{ operator: in, field: team.tier, value: [1, 2] }', 'never holds: team.tier is a string, but no value in the list is a string', 'compare team.tier with a string'],
    ['{ operator: lt, field: llm.model, value: 4 }', 'never holds: llm.model is a string, but the value is a number', 'quote the value: "4"'],
  ])('%s is an error', (condition, message, suggestion) => {
    const findings = lintFiles(ruleWith(condition), 'type-mismatch');
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('error');
    expect(findings[0].message).toContain(message);
    expect(findings[0].suggestion).toBe(suggestion);
  });

  it.each([
    '{ operator: gt, field: llm.estimatedCost, value: 1.5 }',
    '{ operator: contains, field: user.roles, value: admin }',
    '{ operator: in, field: user.roles, value: [admin, owner] }',
    '{ operator: contains, field: llm.prompt, value: password }',
    '{ operator: gt, field: llm.estimatedCost, valueField: metadata.limit }',
    '{ operator: eq, field: metadata.anything, value: 1 }',
    '{ operator: eq, field: llm.system, value: [1] }',
  ])('accepts %s', (condition) => {
    expect(lintFiles(ruleWith(condition), 'type-mismatch')).toEqual([]);
  });

  it('knows response field types in response rules', () => {
    expect(lintFiles(ruleWith('{ operator: gt, field: usage.totalTokens, value: "1000" }', '    stage: response\n'), 'type-mismatch'))
      .toMatchObject([{ suggestion: 'write value: 1000 without quotes' }]);
  });

  it('stops publish, naming the file and line of the comparison', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'type-mismatch-'));
    try {
      await writeFile(join(dir, 'cost.yaml'), 'metadata: { id: cost }\nrules:\n  - id: deny-expensive\n    condition: { operator: gt, field: llm.estimatedCost, value: "1.5" }\n    action: { decision: deny, reason: "Requests over $1.50 are refused" }\n');
      const kv = new MemoryKvTarget();
      const lines: string[] = [];
      const key = { ...(await generateKeyPair()), file: '(test)' };
      await expect(publish({ dir, target: kv, key, actor: 'tester', log: (l) => lines.push(l) })).rejects.toThrow('lint found 1 error; not publishing');
      expect(lines).toEqual([expect.stringMatching(/cost\.yaml:4:\d+: error type-mismatch \[cost\/deny-expensive\]: llm\.estimatedCost gt "1\.5" never holds/)]);
      expect(kv.values.size).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a quantifier over a field that is not a list stays a warning (it is not a comparison)', () => {
    const findings = lintFiles(ruleWith('{ operator: any, field: llm.model, condition: { operator: eq, field: $, value: x } }'), 'type-mismatch');
    expect(findings).toMatchObject([{ severity: 'warning' }]);
  });
});
