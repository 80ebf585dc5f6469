// The shapes the policy test runner returns (the CLI's `llm-policy test` and the publisher read them).

export interface TestResult {
  /** The test file (or, for a policy set that fails to load, the policy file or folder). */
  file: string;
  /** The test's name; `(test file)` or `(policy set)` when the whole file or set is at fault. */
  name: string;
  ok: boolean;
  /** Why it failed: what differed, or where the test file is wrong (file:line). */
  message?: string;
  /** The line of the test (or of the error) in `file`, when known. */
  line?: number;
  /** The rules that matched (`policyId/ruleId`) when the test was evaluated: for rule coverage. */
  matchedRules?: string[];
}

export interface TestRunResult {
  passed: number;
  failed: number;
  results: TestResult[];
}

export interface RunOptions {
  /** Enrich every test's context before evaluating, unless its file or the test says otherwise. */
  enrich?: boolean;
}
