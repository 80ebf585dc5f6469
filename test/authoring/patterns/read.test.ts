// Pattern files: what a valid one reads as, and one located line for each way one can be wrong.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPattern } from '../../../src/authoring/patterns/read';
import { readPatternDir } from '../../../src/node/pattern-dir';
import { PolicyError } from '../../../src/policy/errors';
import { catchPolicyError, unmark } from '../../policy/expect-error';

/** The error for the marked text, as the CLI prints it (`file:line:col: path: message`). */
function errorAt(marked: string): string {
  const { text, line, column } = unmark(marked);
  const error = catchPolicyError(() => readPattern(text, 'p.yaml'));
  expect({ line: error.line, column: error.column }).toEqual({ line, column });
  return error.describe();
}

describe('readPattern', () => {
  it('reads id, version, description and scope', () => {
    const text = `id: no-gpt4-free
version: 1.2.0
description: >
  free tier teams may not use gpt-4o or o3
scope:
  namespace: production
  tier: [free]
  team: team-42
`;
    expect(readPattern(text, 'p.yaml')).toEqual({
      id: 'no-gpt4-free',
      version: '1.2.0',
      description: 'free tier teams may not use gpt-4o or o3',
      scope: { namespace: 'production', tier: ['free'], team: 'team-42' },
    });
  });

  it('needs no scope', () => {
    expect(readPattern('id: a\nversion: 0.1.0\ndescription: limit each team to $50 per day\n', 'p.yaml')).toEqual({
      id: 'a', version: '0.1.0', description: 'limit each team to $50 per day',
    });
  });

  it('an unknown key is an error that suggests the right one', () => {
    expect(errorAt('id: a\nversion: 1.0.0\n▸descripton: x\n')).toBe('p.yaml:3:1: descripton: unknown key "descripton" (did you mean "description"?)');
    expect(errorAt('id: a\nversion: 1.0.0\ndescription: x\nscope:\n  ▸teir: free\n')).toBe('p.yaml:5:3: scope.teir: unknown key "teir" (did you mean "tier"?)');
  });

  it('a version must be semver, and YAML numbers are not', () => {
    expect(errorAt('id: a\nversion: ▸1\ndescription: x\n')).toBe('p.yaml:2:10: version: version must be a semver string such as "1.0.0", got 1');
    expect(errorAt('id: a\nversion: ▸v2\ndescription: x\n')).toBe('p.yaml:2:10: version: version "v2" is not semver (e.g. 1.0.0)');
  });

  it('id, version and description are required, and the description must say something', () => {
    expect(errorAt('▸id: a\nversion: 1.0.0\n')).toBe('p.yaml:1:1: description: missing required key "description"');
    expect(errorAt('id: a\nversion: 1.0.0\ndescription: ▸"   "\n')).toBe('p.yaml:3:14: description: must not be empty');
    expect(errorAt('id: ▸Bad Id\nversion: 1.0.0\ndescription: x\n')).toMatch(/^p\.yaml:1:5: id: invalid id "Bad Id"/);
  });

  it('a scope value is a name or a non-empty list of names', () => {
    expect(errorAt('id: a\nversion: 1.0.0\ndescription: x\nscope: { tier: ▸[] }\n')).toBe('p.yaml:4:16: scope.tier: needs at least 1 item');
    expect(errorAt('id: a\nversion: 1.0.0\ndescription: x\nscope: { namespace: ▸[a] }\n')).toBe('p.yaml:4:21: scope.namespace: expected a string, got a list');
  });

  it('a file is one pattern: empty files, lists and several documents are errors', () => {
    expect(catchPolicyError(() => readPattern('', 'p.yaml')).describe()).toBe('p.yaml: no pattern: the file is empty (expected id, version and description)');
    expect(errorAt('▸- id: a\n')).toBe('p.yaml:1:1: expected a mapping with id, version and description');
    expect(errorAt('id: a\nversion: 1.0.0\ndescription: x\n---\n▸id: b\n')).toBe('p.yaml:5:1: a pattern file holds one pattern; put each pattern in a file of its own');
  });

  it('YAML syntax errors and duplicate keys are located', () => {
    expect(errorAt('id: a\n▸id: b\nversion: 1.0.0\ndescription: x\n')).toBe('p.yaml:2:1: id: duplicate key "id"');
    expect(catchPolicyError(() => readPattern('id: [a\n', 'p.yaml')).describe()).toMatch(/^p\.yaml:\d+:\d+: /);
  });
});

describe('readPatternDir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'patterns-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every *.yaml and *.yml file, in name order, and ignores the rest', async () => {
    writeFileSync(join(dir, 'b.yml'), 'id: b\nversion: 1.0.0\ndescription: x\n');
    writeFileSync(join(dir, 'a.yaml'), 'id: a\nversion: 2.0.0\ndescription: y\n');
    writeFileSync(join(dir, 'notes.md'), '# not a pattern\n');
    const read = await readPatternDir(dir);
    expect(read.map((p) => [p.file, p.pattern.id])).toEqual([[join(dir, 'a.yaml'), 'a'], [join(dir, 'b.yml'), 'b']]);
  });

  it('a pattern id used twice is an error at the second one', async () => {
    writeFileSync(join(dir, 'c.yaml'), 'version: 1.0.0\nid: a\ndescription: z\n');
    const error = await readPatternDir(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).describe()).toBe(`${join(dir, 'c.yaml')}:2:5: id: duplicate pattern id "a" (first defined in ${join(dir, 'a.yaml')})`);
    rmSync(join(dir, 'c.yaml'));
  });

  it('a missing folder is one line', async () => {
    const error = await readPatternDir(join(dir, 'nope')).catch((e: unknown) => e);
    expect((error as PolicyError).describe()).toBe(`${join(dir, 'nope')}: no such folder: ${join(dir, 'nope')}`);
  });
});
