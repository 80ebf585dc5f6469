import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileBundle } from '../../src/engine/index';
import { lint } from '../../src/lint/index';
import { parsePolicies } from '../../src/policy/parse';

const DIR = new URL('./fixtures/clean/', import.meta.url);

function cleanSet() {
  return readdirSync(DIR).sort().flatMap((name) => parsePolicies(readFileSync(new URL(name, DIR), 'utf8'), { filename: name }));
}

describe('a clean, realistic policy set', () => {
  it('compiles', async () => {
    await expect(compileBundle(cleanSet(), { version: '1.0.0' })).resolves.toMatchObject({ format: 'llm-policy-bundle/v1' });
  });

  it('has no errors or warnings, only notes about the one disabled rule', () => {
    expect(lint(cleanSet())).toEqual([expect.objectContaining({ severity: 'info', code: 'disabled', file: 'approvals.yaml', line: 16, ruleId: 'approve-new-provider' })]);
  });
});
