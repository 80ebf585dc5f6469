// The policies we ship (policies/ and each folder below it, each a policy set) parse, compile, and
// pass their own tests; every rule is exercised on both sides; every policy file documents itself.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBundle } from '../../src/engine/index';
import { lint } from '../../src/lint/index';
import { loadPolicySet } from '../../src/node/policy-set';
import { runPolicyTests } from '../../src/testing/index';
import { ruleCoverage } from './rule-coverage';

const ROOT = join(import.meta.dirname, '..', '..', 'policies');

function policySetFolders(dir: string): string[] {
  const subfolders = readdirSync(dir).map((n) => join(dir, n)).filter((p) => statSync(p).isDirectory());
  return [dir, ...subfolders.flatMap(policySetFolders)];
}

/** Fewest tests each set must have: the default set is what teams start from. */
const MIN_TESTS: Record<string, number> = { '.': 20, examples: 20, recipes: 40 };

describe.each(policySetFolders(ROOT).map((dir) => [relative(ROOT, dir) || '.', dir]))('policy set %s', (name, dir) => {
  it('parses and compiles', async () => {
    const set = await loadPolicySet(dir);
    expect(set.policies.length).toBeGreaterThan(0);
    expect(set.emptyFiles).toEqual([]);
    const bundle = await compileBundle(set.policies, { version: '1.0.0' });
    expect(bundle.policies.map((p) => p.metadata.id)).toEqual(set.policies.map((p) => p.metadata.id).sort());
  });

  it('has a test file beside every policy file, and a heading comment in each policy file', async () => {
    const set = await loadPolicySet(dir);
    for (const file of set.files) {
      expect(set.testFiles, `tests for ${basename(file)}`).toContain(file.replace(/\.ya?ml$/, '.test.yaml'));
      expect(readFileSync(file, 'utf8'), `${basename(file)} starts with a comment`).toMatch(/^# \S/);
    }
  });

  it('lints without errors or warnings', async () => {
    const { policies } = await loadPolicySet(dir);
    const findings = lint(policies).filter((f) => f.severity !== 'info');
    expect(findings.map((f) => `${relative(ROOT, f.file ?? '')}:${f.line}: ${f.message}`)).toEqual([]);
  });

  it('passes all of its tests', async () => {
    const run = await runPolicyTests(dir);
    const failures = run.results.filter((r) => !r.ok).map((r) => `${relative(ROOT, r.file)}: ${r.name}: ${r.message}`);
    expect(failures).toEqual([]);
    expect(run.failed).toBe(0);
    expect(run.passed).toBe(run.results.length);
    expect(run.passed).toBeGreaterThanOrEqual(MIN_TESTS[name] ?? 1);
  });

  it('exercises every rule both matching and not matching', async () => {
    const { neverMatched, alwaysMatched } = await ruleCoverage(dir);
    expect(neverMatched, 'rules no test matches').toEqual([]);
    expect(alwaysMatched, 'rules every test matches').toEqual([]);
  });
});

describe('the default set', () => {
  it('declares the budgets and rate limits the edge enforces', async () => {
    const { policies } = await loadPolicySet(ROOT);
    const budgets = policies.flatMap((p) => p.budgets ?? []);
    const rateLimits = policies.flatMap((p) => p.rateLimits ?? []);
    expect(budgets).toContainEqual(expect.objectContaining({ id: 'team-monthly-spend', scope: 'team.id', window: 'month' }));
    expect(budgets).toContainEqual(expect.objectContaining({ id: 'team-daily-tokens', scope: 'team.id', window: 'day', limit: { tokens: 2_000_000 } }));
    expect(rateLimits).toContainEqual(expect.objectContaining({ id: 'user-rpm', scope: 'user.id', window: 'minute' }));
  });

  it('has no allow rules, so no exception can outrank a deny', async () => {
    const { policies } = await loadPolicySet(ROOT);
    const allows = policies.flatMap((p) => p.rules.filter((r) => r.action.decision === 'allow').map((r) => `${p.metadata.id}/${r.id}`));
    expect(allows).toEqual([]);
  });

  it('gives every deny and needs_approval rule a reason', async () => {
    const { policies } = await loadPolicySet(ROOT);
    for (const policy of policies) {
      for (const rule of policy.rules) {
        if (rule.action.decision === 'deny' || rule.action.decision === 'needs_approval') {
          expect(rule.action.reason, `${policy.metadata.id}/${rule.id}`).toMatch(/:/); // "what happened: what to do"
        }
      }
    }
  });
});
