// Policy tests (spec §9), for the CLI and the publisher (Node only: they read files).
export { runPolicyTests, type RunOptions, type TestResult, type TestRunResult } from './run';
