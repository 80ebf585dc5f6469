// The stages publishing runs, as an interface so tests can swap one out (e.g. a linter that
// reports an error) while the rest stay real. The real ones are in default-steps.ts.
import type { LintFinding } from '../lint/index';
import type { Bundle, Policy } from '../policy/types';
import type { TestRunResult } from '../testing/run';

export interface PublishSteps {
  loadPolicySet(dir: string): Promise<{ policies: Policy[]; files: string[]; testFiles: string[] }>;
  lint(policies: Policy[]): LintFinding[];
  runPolicyTests(dir: string): Promise<TestRunResult>;
  compileBundle(policies: Policy[], opts: { version: string }): Promise<Bundle>;
}
