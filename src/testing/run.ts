// The policy test runner (spec §9): compiles the policy set of a folder and runs every test file
// beside it. Used by `llm-policy test <dir>` and by the publisher before it signs anything.
import { readFile } from 'node:fs/promises';
import { loadPolicySet } from '../node/policy-set';
import { buildSuite, failure, runTestText, setFailure, summarize, type Suite } from './suite';
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
    return summarize([setFailure(err, dir)]);
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
