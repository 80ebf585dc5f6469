// The policy test runner (spec §9) on a folder: `llm-policy test <dir>` and the publisher before it
// signs anything. Reads the files, then runs the same core as POST /v1/policies/test (run-suite.ts).
import { readFile } from 'node:fs/promises';
import { loadPolicySet, type PolicySet } from '../node/policy-set';
import { runTestSuite, setFailure, summarize } from './run-suite';
import type { RunOptions, TestRunResult } from './types';

export type { RunOptions, TestResult, TestRunResult } from './types';

export async function runPolicyTests(dir: string, opts: RunOptions = {}): Promise<TestRunResult> {
  let set: PolicySet;
  try {
    set = await loadPolicySet(dir);
  } catch (err) {
    return summarize([setFailure(err, dir)]);
  }
  const tests = await Promise.all(set.testFiles.map(async (file) => ({ file, text: await readFile(file, 'utf8') })));
  return runTestSuite(set.policies, tests, opts, dir);
}
