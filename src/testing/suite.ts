// The policy test runner's core (spec §9), on texts in memory: no file system here, so the
// generator can check the tests it writes (in Node and in workerd) before anything is written, and
// POST /v1/policies/test runs exactly what `llm-policy test` runs (run.ts reads the folder).
import { compileBundle } from '../engine/compile-bundle';
import { loadBundle } from '../engine/load';
import { PolicyError } from '../policy/errors';
import { parsePolicies } from '../policy/parse';
import { isTestFile, type SourceFile } from '../policy/source-files';
import type { Evaluator, Policy } from '../policy/types';
import { checkExpectations } from './check-expectations';
import { prepareContext } from './enrichment';
import { explainRule } from './explain-rule';
import { readTestFile, type ReadTest } from './read-test-file';
import { resolveExpectations } from './resolve-expectations';
import { RuleCatalog } from './rule-refs';
import type { TestFileDefaults } from './test-file-schema';
import type { RunOptions, TestResult, TestRunResult } from './types';

/** Version of the throwaway bundle tests run against; fixed createdAt keeps its hash stable. */
const TEST_BUNDLE = { version: '0.0.0-test', createdAt: '1970-01-01T00:00:00Z' };

export interface Suite {
  evaluator: Evaluator;
  catalog: RuleCatalog;
}

export async function buildSuite(policies: Policy[]): Promise<Suite> {
  const bundle = await compileBundle(policies, TEST_BUNDLE);
  return { evaluator: loadBundle(bundle), catalog: new RuleCatalog(bundle, policies) };
}

/** A whole set given as texts: `*.test.yaml` files are the tests, the others the policies. */
export async function runTestSources(files: SourceFile[], opts: RunOptions = {}): Promise<TestRunResult> {
  let policies: Policy[];
  try {
    policies = files.filter((f) => !isTestFile(f.file)).flatMap((f) => parsePolicies(f.text, { filename: f.file }));
  } catch (err) {
    return summarize([setFailure(err, '(policies)')]);
  }
  let suite: Suite;
  try {
    suite = await buildSuite(policies);
  } catch (err) {
    return summarize([setFailure(err, '(policies)')]);
  }
  return summarize(files.filter((f) => isTestFile(f.file)).flatMap((t) => runTestText(t.text, t.file, suite, opts)));
}

/** A policy set that does not load or compile fails as one result, located in its file. */
export function setFailure(err: unknown, where: string): TestResult {
  return failure(err instanceof PolicyError ? err.file ?? where : where, '(policy set)', err);
}

export function summarize(results: TestResult[]): TestRunResult {
  const passed = results.filter((r) => r.ok).length;
  return { passed, failed: results.length - passed, results };
}

/** Every test of one test file's text; a file that does not read is one failed result. */
export function runTestText(text: string, file: string, suite: Suite, opts: RunOptions = {}): TestResult[] {
  let read: ReturnType<typeof readTestFile>;
  try {
    read = readTestFile(text, file);
  } catch (err) {
    return [failure(file, '(test file)', err)];
  }
  const results: TestResult[] = [];
  for (const test of read.tests) {
    try {
      results.push(runTest(file, test, read.defaults, suite, opts));
    } catch (err) {
      results.push(failure(file, test.name, err, test.line));
    }
  }
  return results;
}

function runTest(file: string, read: ReadTest, defaults: TestFileDefaults, suite: Suite, opts: RunOptions): TestResult {
  const base = { file, name: read.name, line: read.line };
  if (!read.test) throw read.error;
  const { test } = read;
  const expect = resolveExpectations(test.expect, read.node, suite.catalog);
  if (expect instanceof PolicyError) throw expect;

  // Unenriched unless asked for: the test, then its file, then the caller decides.
  const context = prepareContext(test.context, {
    now: test.now ?? defaults.now,
    enrich: test.enrich ?? defaults.enrich ?? opts.enrich ?? false,
  });

  const decision = suite.evaluator.evaluate(context);
  const problems = checkExpectations(decision, expect, (id, expectedMatch) =>
    explainRule(suite.evaluator, suite.catalog, context, id, expectedMatch));
  const matchedRules = decision.matchedRules.map((m) => `${m.policyId}/${m.ruleId}`);
  return problems.length === 0 ? { ...base, ok: true, matchedRules } : { ...base, ok: false, message: problems.join('; '), matchedRules };
}

export function failure(file: string, name: string, err: unknown, line?: number): TestResult {
  if (!(err instanceof PolicyError)) throw err; // a bug in the runner or the engine, not in the tests
  return { file, name, ok: false, message: err.describe(), line: err.line ?? line };
}
