// Bad input in a test file is a failed result whose message names file:line (and what is wrong),
// never a crash; one bad test does not stop the others of its file.
import { describe, expect, it } from 'vitest';
import { runPolicyTests, type TestResult } from '../../src/testing/index';
import { COST_POLICY, policySet } from './temp-policy-set';

async function resultsOf(testFile: string, name = 'cost.test.yaml'): Promise<TestResult[]> {
  return (await runPolicyTests(policySet({ 'cost.yaml': COST_POLICY, [name]: testFile }))).results;
}

/** The message of the only result, with the temp folder cut off. */
async function messageOf(testFile: string): Promise<string | undefined> {
  const results = await resultsOf(testFile);
  expect(results).toHaveLength(1);
  expect(results[0].ok).toBe(false);
  return results[0].message?.replace(/^.*\/(?=cost\.test\.yaml)/, '');
}

const OK_TEST = '  - { name: fine, context: {}, expect: { decision: allow } }\n';

describe('malformed test files', () => {
  it('YAML syntax errors fail the file, with line and column', async () => {
    const results = await resultsOf('tests:\n  - name: x\n    context: { a: [1, 2 }\n');
    expect(results).toMatchObject([{ name: '(test file)', ok: false, line: 3 }]);
    expect(results[0].message).toMatch(/cost\.test\.yaml:3:\d+: /);
  });

  it('duplicate keys are errors', async () => {
    expect(await messageOf('tests:\n  - name: x\n    name: y\n    context: {}\n    expect: { decision: allow }\n')).toBe(
      'cost.test.yaml:3:5: tests[0].name: duplicate key "name"');
  });

  it('an unknown key in expect is an error with a suggestion, so a typo cannot pass', async () => {
    expect(await messageOf('tests:\n  - name: typo\n    context: {}\n    expect: { decison: deny }\n')).toBe(
      'cost.test.yaml:4:15: tests[0].expect.decison: unknown key "decison" (did you mean "decision"?)');
  });

  it('an unknown key at the top or in a test is an error', async () => {
    expect(await messageOf('test:\n' + OK_TEST)).toBe('cost.test.yaml:1:1: test: unknown key "test" (did you mean "tests"?)');
    expect(await messageOf('tests:\n  - { name: x, context: {}, expect: { decision: allow }, expected: {} }\n')).toMatch(
      /^cost\.test\.yaml:2:\d+: tests\[0\]\.expected: unknown key "expected"/);
  });

  it('missing name, context or expect is named', async () => {
    expect(await messageOf('tests:\n  - name: x\n    expect: { decision: allow }\n')).toBe('cost.test.yaml:2:5: tests[0].context: missing required key "context"');
    expect(await messageOf('tests:\n  - { name: x, context: {} }\n')).toMatch(/tests\[0\]\.expect: missing required key "expect"$/);
    expect(await messageOf('tests:\n  - { context: {}, expect: { decision: allow } }\n')).toMatch(/tests\[0\]\.name: missing required key "name"$/);
  });

  it('an expect with nothing to check is an error', async () => {
    expect(await messageOf('tests:\n  - { name: x, context: {}, expect: {} }\n')).toMatch(
      /tests\[0\]\.expect: expect needs at least one of decision, reasons, matchedRules, notMatchedRules, warnings, obligations, shadow$/);
  });

  it('bad values say what is expected', async () => {
    const bad = (expectYaml: string) => messageOf(`tests:\n  - { name: x, context: {}, expect: ${expectYaml} }\n`);
    expect(await bad('{ decision: warn }')).toMatch(/tests\[0\]\.expect\.decision: warn is not a final decision \(allow, deny or needs_approval\)/);
    expect(await bad('{ decision: permit }')).toMatch(/unknown decision "permit" \(expected one of allow, deny, needs_approval\)/);
    expect(await bad('{ warnings: -1 }')).toMatch(/tests\[0\]\.expect\.warnings: must be at least 0$/);
    expect(await bad('{ warnings: two }')).toMatch(/tests\[0\]\.expect\.warnings: warnings is a count \(0, 1, \.\.\.\) or a list of rule ids$/);
    expect(await bad('{ obligations: [{ type: max_tokens, value: 5 }] }')).toMatch(/tests\[0\]\.expect\.obligations\[0\]\.type: unknown obligation type "max_tokens".*did you mean "set_max_tokens"/);
  });

  it('the context must be a mapping, and YAML merge keys are refused', async () => {
    expect(await messageOf('tests:\n  - { name: x, context: [1], expect: { decision: allow } }\n')).toMatch(/tests\[0\]\.context: context must be a mapping \(the request context\), got/);
    const merge = 'tests:\n  - name: x\n    context: &base { llm: { model: m } }\n    expect: { decision: allow }\n  - name: y\n    context: { <<: *base, team: { tier: free } }\n    expect: { decision: allow }\n';
    const results = await resultsOf(merge);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(results[1].message).toMatch(/cost\.test\.yaml:6:\d+: tests\[1\]\.context: YAML merge keys \(<<\) are not supported here/);
  });

  it('now must be a date-time with a zone', async () => {
    expect(await messageOf('tests:\n  - { name: x, now: "2026-03-02 10:00", context: {}, expect: { decision: allow } }\n')).toMatch(
      /tests\[0\]\.now: now must be an ISO 8601 date-time with a zone, like "2026-03-02T09:30:00Z", got "2026-03-02 10:00"$/);
    expect(await messageOf('now: 2026\n' + 'tests:\n' + OK_TEST)).toMatch(/cost\.test\.yaml:1:\d+: now: now must be a quoted ISO 8601 date-time/);
  });

  it('empty files, empty lists, several documents and non-mapping tests are errors', async () => {
    expect(await messageOf('')).toMatch(/cost\.test\.yaml: no tests: the file is empty/);
    expect(await messageOf('tests: []\n')).toMatch(/tests: needs at least 1 item$/);
    expect(await messageOf('tests:\n' + OK_TEST + '---\ntests:\n' + OK_TEST)).toMatch(/cost\.test\.yaml:4:\d+: a test file holds one document/);
    expect(await messageOf('tests:\n  - just a string\n')).toBe('cost.test.yaml:2:5: tests[0]: a test is a mapping with name, context and expect');
  });

  it('duplicate test names are errors that point at the first', async () => {
    const results = await resultsOf('tests:\n' + OK_TEST + OK_TEST);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(results[1].message).toMatch(/cost\.test\.yaml:3:\d+: tests\[1\]\.name: duplicate test name "fine" \(first at line 2\)$/);
  });

  it('one bad test does not stop the others, and each result names its test', async () => {
    const results = await resultsOf('tests:\n' + OK_TEST + '  - { name: bad, context: {}, expect: { decison: deny } }\n' + OK_TEST.replace('fine', 'also fine'));
    expect(results.map((r) => [r.name, r.ok, r.line])).toEqual([['fine', true, 2], ['bad', false, 3], ['also fine', true, 4]]);
  });

  it('JSON test files report line and column too', async () => {
    const results = await resultsOf('{\n  "tests": [\n    { "name": "x", "context": {}, "expect": { "decison": "deny" } }\n  ]\n}\n', 'cost.test.json');
    expect(results[0].message).toMatch(/cost\.test\.json:3:\d+: tests\[0\]\.expect\.decison: unknown key "decison"/);
  });
});
