// The policy test runner (spec §9): compiles the policy set of a folder and runs every test file
// beside it. Used by `llm-policy test <dir>` and by the publisher before it signs anything.
import { readFile } from 'node:fs/promises';
import { loadPolicySet } from '../node/policy-set';
import { PolicyError } from '../policy/errors';
import { buildSuite, failure, runTestText, type Suite } from './suite';
import type { RunOptions, TestResult, TestRunResult } from './types';

export type { RunOptions, TestResult, TestRunResult } from './types';

export async function runPolicyTests(dir: string, opts: RunOptions = {}): Promise<TestRunResult> {
  let suite: Suite;
  let testFiles: string[];
  try {
    const set = await loadPolicySet(dir);
    suite = await buildSuite(set.policies);
    testFiles = set.testFiles;
  } catch (err) {
    // A policy set that does not load or compile fails as one result, located in its file.
    return summarize([failure(errorFile(err) ?? dir, '(policy set)', err)]);
  }
  const results: TestResult[] = [];
  for (const file of testFiles) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      results.push(failure(file, '(test file)', err));
      continue;
    }
    results.push(...runTestText(text, file, suite, opts));
  }
  return summarize(results);
}

function errorFile(err: unknown): string | undefined {
  return err instanceof PolicyError ? err.file : undefined;
}

export function summarize(results: TestResult[]): TestRunResult {
  const passed = results.filter((r) => r.ok).length;
  return { passed, failed: results.length - passed, results };
}
