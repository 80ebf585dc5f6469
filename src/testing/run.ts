// The policy test runner (spec §9): compiles the policy set of a folder and runs every test file
// beside it. Used by `llm-policy test <dir>` and by the publisher before it signs anything.
import { readFile } from 'node:fs/promises';
import { compileBundle } from '../engine/compile-bundle';
import { loadBundle } from '../engine/load';
import { loadPolicySet } from '../node/policy-set';
import { PolicyError } from '../policy/errors';
import type { Evaluator } from '../policy/types';
import { checkExpectations } from './check-expectations';
import { prepareContext } from './enrichment';
import { explainRule } from './explain-rule';
import { readTestFile, type ReadTest } from './read-test-file';
import { resolveExpectations } from './resolve-expectations';
import { RuleCatalog } from './rule-refs';
import type { TestFileDefaults } from './test-file-schema';
import type { RunOptions, TestResult, TestRunResult } from './types';

export type { RunOptions, TestResult, TestRunResult } from './types';

/** Version of the throwaway bundle tests run against; fixed createdAt keeps its hash stable. */
const TEST_BUNDLE = { version: '0.0.0-test', createdAt: '1970-01-01T00:00:00Z' };

interface Suite {
  evaluator: Evaluator;
  catalog: RuleCatalog;
  testFiles: string[];
}

export async function runPolicyTests(dir: string, opts: RunOptions = {}): Promise<TestRunResult> {
  let suite: Suite;
  try {
    suite = await loadSuite(dir);
  } catch (err) {
    // A policy set that does not load or compile fails as one result, located in its file.
    return summarize([failure(errorFile(err) ?? dir, '(policy set)', err)]);
  }
  const results: TestResult[] = [];
  for (const file of suite.testFiles) results.push(...(await runTestFile(file, suite, opts)));
  return summarize(results);
}

async function loadSuite(dir: string): Promise<Suite> {
  const set = await loadPolicySet(dir);
  const bundle = await compileBundle(set.policies, TEST_BUNDLE);
  return { evaluator: loadBundle(bundle), catalog: new RuleCatalog(bundle, set.policies), testFiles: set.testFiles };
}

async function runTestFile(file: string, suite: Suite, opts: RunOptions): Promise<TestResult[]> {
  let read: ReturnType<typeof readTestFile>;
  try {
    read = readTestFile(await readFile(file, 'utf8'), file);
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

function failure(file: string, name: string, err: unknown, line?: number): TestResult {
  if (!(err instanceof PolicyError)) throw err; // a bug in the runner or the engine, not in the tests
  return { file, name, ok: false, message: err.describe(), line: err.line ?? line };
}

function errorFile(err: unknown): string | undefined {
  return err instanceof PolicyError ? err.file : undefined;
}

function summarize(results: TestResult[]): TestRunResult {
  const passed = results.filter((r) => r.ok).length;
  return { passed, failed: results.length - passed, results };
}
