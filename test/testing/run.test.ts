// The policy test runner on small throwaway policy sets: what passes, what fails and how a failure
// reads, rule references, warnings, obligations, reasons, `now` and `enrich`.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPolicyTests } from '../../src/testing/index';
import { COST_POLICY, policySet } from './temp-policy-set';

const FREE_CHEAP = '{ llm: { estimatedCost: 0.5, maxTokens: 100 }, team: { tier: free } }';
const FREE_DEAR = '{ llm: { estimatedCost: 1.5, maxTokens: 100 }, team: { tier: free } }';
const BIG = '{ llm: { estimatedCost: 0.5, maxTokens: 3000 }, team: { tier: free } }';

/** Runs one test file (as YAML text) against the cost policy plus `extra` files. */
async function run(tests: string, extra: Record<string, string> = {}) {
  return runPolicyTests(policySet({ 'cost.yaml': COST_POLICY, 'cost.test.yaml': tests, ...extra }));
}

/** The one result of a single-test run. */
async function single(expectYaml: string, context = FREE_CHEAP, extra: Record<string, string> = {}) {
  const result = await run(`tests:\n  - name: t\n    context: ${context}\n    expect: ${expectYaml}\n`, extra);
  expect(result.results).toHaveLength(1);
  return result.results[0];
}

describe('runPolicyTests: passing and failing expectations', () => {
  it('counts passing tests and names each result by file and test', async () => {
    const dir = policySet({
      'cost.yaml': COST_POLICY,
      'cost.test.yaml': `tests:\n  - name: cheap is fine\n    context: ${FREE_CHEAP}\n    expect: { decision: allow }\n  - name: dear is not\n    context: ${FREE_DEAR}\n    expect: { decision: deny, matchedRules: [deny-free-over-cap] }\n`,
    });
    const result = await runPolicyTests(dir);
    expect(result).toMatchObject({ passed: 2, failed: 0 });
    expect(result.results.map((r) => [r.file, r.name, r.ok, r.line])).toEqual([
      [join(dir, 'cost.test.yaml'), 'cheap is fine', true, 2],
      [join(dir, 'cost.test.yaml'), 'dear is not', true, 5],
    ]);
  });

  it('reports a wrong decision with the reasons that decided it', async () => {
    const result = await single('{ decision: deny }');
    expect(result).toMatchObject({ ok: false, message: 'expected decision deny, got allow (reasons: no rule matched: default allow)' });
  });

  it('says which leaf kept an expected rule from matching, and with what value', async () => {
    expect((await single('{ matchedRules: [deny-free-over-cap] }')).message).toBe(
      'expected rule cost/deny-free-over-cap to match, but it did not: llm.estimatedCost gt 1 is false (actual 0.5)');
    expect((await single('{ matchedRules: [deny-free-over-cap] }', '{ llm: { estimatedCost: 5 } }')).message).toBe(
      'expected rule cost/deny-free-over-cap to match, but it did not: team.tier eq "free" is false (field missing)');
  });

  it('says why a rule that should not have matched did', async () => {
    expect((await single('{ notMatchedRules: [warn-big] }', BIG)).message).toBe(
      'expected rule cost/warn-big not to match, but it did: llm.maxTokens gt 1000 is true (actual 3000)');
  });

  it('explains disabled rules and rules skipped for their namespace', async () => {
    expect((await single('{ matchedRules: [off] }')).message).toBe('expected rule cost/off to match, but it did not: it is disabled (enabled: false)');
    const prod = 'metadata: { id: prod, namespace: production }\nrules:\n  - { id: always, condition: true, action: { decision: warn } }\n';
    const result = await single('{ matchedRules: [always] }', '{ project: { environment: staging } }', { 'prod.yaml': prod });
    expect(result.message).toBe('expected rule prod/always to match, but it did not: its policy\'s namespace "production" is not the request\'s (project.environment "staging")');
  });

  it('reports every difference of one test, in one message', async () => {
    const result = await single('{ decision: deny, warnings: 1, obligations: [{ type: tag, key: a, value: b }] }');
    expect(result.message).toBe([
      'expected decision deny, got allow (reasons: no rule matched: default allow)',
      'expected 1 warning, got 0: none',
      'expected obligations [{"type":"tag","key":"a","value":"b"}], got []',
    ].join('; '));
  });

  it('compares reasons exactly, rendered templates included', async () => {
    expect((await single('{ reasons: ["Cost 1.5 is over the free cap: use a smaller model"] }', FREE_DEAR)).ok).toBe(true);
    expect((await single('{ reasons: ["Cost is over the free cap"] }', FREE_DEAR)).message).toBe(
      'expected reasons ["Cost is over the free cap"], got ["Cost 1.5 is over the free cap: use a smaller model"]');
  });
});

describe('runPolicyTests: rule references', () => {
  const OTHER = 'metadata: { id: other }\nrules:\n  - { id: clamp, condition: false, action: { decision: modify, obligations: [{ type: tag, key: k, value: v }] } }\n';
  const DRAFT = 'metadata: { id: later }\nstatus: draft\nrules:\n  - { id: future-rule, condition: true, action: { decision: deny, reason: "x: y" } }\n';

  it('accepts policyId/ruleId and a bare id that is unique in the bundle', async () => {
    expect((await single('{ matchedRules: [cost/clamp, warn-big] }', BIG)).ok).toBe(true);
  });

  it('refuses an ambiguous bare id, naming the candidates and the place in the file', async () => {
    const result = await single('{ matchedRules: [clamp] }', BIG, { 'other.yaml': OTHER });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/cost\.test\.yaml:4:\d+: tests\[0\]\.expect\.matchedRules\[0\]: rule id "clamp" is ambiguous: it is in 2 policies; write one of cost\/clamp, other\/clamp$/);
    expect((await single('{ matchedRules: [cost/clamp] }', BIG, { 'other.yaml': OTHER })).ok).toBe(true);
  });

  it('refuses unknown ids, suggesting the nearest one, so a typo cannot pass', async () => {
    expect((await single('{ notMatchedRules: [deny-free-over-cpa] }')).message).toMatch(
      /: tests\[0\]\.expect\.notMatchedRules\[0\]: unknown rule "deny-free-over-cpa" \(did you mean "deny-free-over-cap"\?\)$/);
    expect((await single('{ notMatchedRules: [cost/zzz-missing] }')).message).toMatch(/unknown rule "cost\/zzz-missing" \(not in any active policy of this set\)$/);
    expect((await single('{ warnings: [nope] }')).message).toMatch(/tests\[0\]\.expect\.warnings\[0\]: unknown rule "nope"/);
  });

  it('says when a rule belongs to a policy that is not compiled', async () => {
    expect((await single('{ notMatchedRules: [later/future-rule] }', FREE_CHEAP, { 'later.yaml': DRAFT })).message).toMatch(
      /unknown rule "later\/future-rule": policy later is draft, so it is not compiled and its rules never match$/);
    expect((await single('{ notMatchedRules: [future-rule] }', FREE_CHEAP, { 'later.yaml': DRAFT })).message).toMatch(/policy later is draft/);
  });

  it('refuses a rule listed both as matched and as not matched', async () => {
    expect((await single('{ matchedRules: [warn-big], notMatchedRules: [cost/warn-big] }', BIG)).message).toMatch(
      /notMatchedRules\[0\]: rule cost\/warn-big is in both matchedRules and notMatchedRules$/);
  });
});

describe('runPolicyTests: warnings and obligations', () => {
  it('compares a warning count', async () => {
    expect((await single('{ warnings: 1 }', BIG)).ok).toBe(true);
    expect((await single('{ warnings: 0 }', BIG)).message).toBe('expected 0 warnings, got 1: cost/warn-big ("big request")');
  });

  it('compares the set of rules that warned when given ids', async () => {
    expect((await single('{ warnings: [warn-big] }', BIG)).ok).toBe(true);
    expect((await single('{ warnings: [] }', BIG)).message).toBe('expected warnings from [], got cost/warn-big ("big request") (unexpected cost/warn-big)');
    expect((await single('{ warnings: [cost/warn-big] }')).message).toBe('expected warnings from [cost/warn-big], got none (missing cost/warn-big)');
  });

  it('compares obligations as the exact list', async () => {
    expect((await single('{ obligations: [{ type: set_max_tokens, value: 2000 }] }', BIG)).ok).toBe(true);
    expect((await single('{ obligations: [] }', BIG)).message).toBe('expected obligations [], got [{"type":"set_max_tokens","value":2000}]');
    expect((await single('{ obligations: [{ type: set_max_tokens, value: 2048 }] }', BIG)).ok).toBe(false);
  });

  it('points out that obligations are dropped when the decision is not allow', async () => {
    const dear = '{ llm: { estimatedCost: 5, maxTokens: 3000 }, team: { tier: free } }';
    expect((await single('{ obligations: [{ type: set_max_tokens, value: 2000 }] }', dear)).message).toBe(
      'expected obligations [{"type":"set_max_tokens","value":2000}], got [] (obligations are returned only on allow; the decision was deny)');
  });
});

describe('runPolicyTests: now and enrich', () => {
  const HOURS = 'metadata: { id: hours }\nrules:\n  - { id: night, condition: { operator: lt, field: time.hour, value: 8 }, action: { decision: deny, reason: "closed at {{time.iso}}: come back at 08:00" } }\n  - { id: sunday, condition: { operator: eq, field: time.weekday, value: 0 }, action: { decision: warn } }\n';

  it('fills time.hour, time.weekday and time.iso (UTC) from now, per test or per file', async () => {
    const withNow = [
      'now: "2026-03-08T06:00:00Z"',
      'tests:',
      '  - { name: file now (a Sunday at 06:00), context: {}, expect: { decision: deny, warnings: [sunday] } }',
      '  - { name: test now, now: "2026-03-09T07:30:00+01:00", context: {}, expect: { reasons: ["closed at 2026-03-09T06:30:00.000Z: come back at 08:00"], warnings: 0 } }',
    ].join('\n');
    const withoutNow = 'tests:\n  - { name: no now means no time fields, context: {}, expect: { decision: allow, warnings: 0 } }\n';
    const result = await runPolicyTests(policySet({ 'hours.yaml': HOURS, 'a.test.yaml': withNow, 'b.test.yaml': withoutNow }));
    expect(result.results.map((r) => [r.name, r.message])).toEqual([
      ['file now (a Sunday at 06:00)', undefined],
      ['test now', undefined],
      ['no now means no time fields', undefined],
    ]);
  });

  it('keeps time fields the context already has', async () => {
    const tests = 'tests:\n  - { name: t, now: "2026-03-08T12:00:00Z", context: { time: { hour: 3 } }, expect: { decision: deny, warnings: 1 } }\n';
    expect((await runPolicyTests(policySet({ 'hours.yaml': HOURS, 'hours.test.yaml': tests }))).passed).toBe(1);
  });

  it('evaluates the context as written unless a test, its file or the caller asks for enrichment', async () => {
    const PII = 'metadata: { id: pii }\nrules:\n  - { id: no-pii, condition: { operator: eq, field: llm.containsPII, value: true }, action: { decision: deny, reason: "PII: remove it" } }\n';
    const prompt = '{ llm: { provider: openai, model: gpt-4o-mini, prompt: "mail me at jane.doe@example.com" } }';
    const tests = [
      'tests:',
      `  - { name: as written, context: ${prompt}, expect: { decision: allow } }`,
      `  - { name: enriched, enrich: true, context: ${prompt}, expect: { decision: deny } }`,
      `  - { name: a field the test gives is kept, enrich: true, context: { llm: { prompt: "jane.doe@example.com", containsPII: false } }, expect: { decision: allow } }`,
    ].join('\n');
    expect((await runPolicyTests(policySet({ 'pii.yaml': PII, 'pii.test.yaml': tests }))).failed).toBe(0);
    // The caller's option applies to the tests that do not say; the file's beats the caller's.
    const byCaller = await runPolicyTests(policySet({ 'pii.yaml': PII, 'pii.test.yaml': tests }), { enrich: true });
    expect(byCaller.results.map((r) => r.ok)).toEqual([false, true, true]);
    const fileSaysNo = await runPolicyTests(policySet({ 'pii.yaml': PII, 'pii.test.yaml': `enrich: false\n${tests}` }), { enrich: true });
    expect(fileSaysNo.failed).toBe(0);
  });
});

describe('runPolicyTests: the policy set and its files', () => {
  it('reports a policy set that does not compile as one failure naming file:line', async () => {
    const bad = 'metadata: { id: bad }\nrules:\n  - id: r\n    condition: { operator: matches, field: a, value: "(x" }\n    action: { decision: deny, reason: "x: y" }\n';
    const dir = policySet({ 'bad.yaml': bad, 'bad.test.yaml': 'tests: []\n' });
    const result = await runPolicyTests(dir);
    expect(result).toMatchObject({ passed: 0, failed: 1 });
    expect(result.results[0]).toMatchObject({ file: join(dir, 'bad.yaml'), name: '(policy set)', ok: false, line: 4 });
    expect(result.results[0].message).toMatch(/^.*bad\.yaml:4:\d+: /);
  });

  it('reports a missing folder as a failure, not a crash', async () => {
    const result = await runPolicyTests(join(policySet({}), 'nope'));
    expect(result).toMatchObject({ passed: 0, failed: 1, results: [{ name: '(policy set)', ok: false }] });
    expect(result.results[0].message).toMatch(/no such file or folder/);
  });

  it('runs every test file of the folder, in name order, and only that folder', async () => {
    const dir = policySet({
      'cost.yaml': COST_POLICY,
      'b.test.yaml': `tests:\n  - { name: b, context: ${FREE_CHEAP}, expect: { decision: allow } }\n`,
      'a.test.yaml': `tests:\n  - { name: a, context: ${FREE_DEAR}, expect: { decision: deny } }\n`,
    });
    const result = await runPolicyTests(dir);
    expect(result.results.map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('reads JSON test files too', async () => {
    const json = JSON.stringify({ tests: [{ name: 'j', context: { llm: { estimatedCost: 2 }, team: { tier: 'free' } }, expect: { decision: 'deny' } }] });
    const result = await runPolicyTests(policySet({ 'cost.yaml': COST_POLICY, 'cost.test.json': json }));
    expect(result).toMatchObject({ passed: 1, failed: 0 });
  });

  it('passes vacuously with no test files (0 passed, 0 failed)', async () => {
    expect(await runPolicyTests(policySet({ 'cost.yaml': COST_POLICY }))).toEqual({ passed: 0, failed: 0, results: [] });
  });

  it('reports which rules matched, for coverage', async () => {
    const result = await single('{ decision: allow }', BIG);
    expect(result.matchedRules).toEqual(['cost/warn-big', 'cost/clamp']);
  });
});
