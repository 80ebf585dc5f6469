// The stages publishing runs, as an interface so tests can swap one out (e.g. a linter that
// reports an error) while the rest stay real. The real ones are in default-steps.ts.
import type { Bundle, Policy } from '../policy/types';

export interface PublishLintFinding {
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  suggestion?: string;
  policyId?: string;
  ruleId?: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface PolicyTestSummary {
  passed: number;
  failed: number;
  results: Array<{ file: string; name: string; ok: boolean; message?: string; line?: number }>;
}

export interface PublishSteps {
  loadPolicySet(dir: string): Promise<{ policies: Policy[]; files: string[]; testFiles: string[] }>;
  lint(policies: Policy[]): PublishLintFinding[];
  runPolicyTests(dir: string): Promise<PolicyTestSummary>;
  compileBundle(policies: Policy[], opts: { version: string }): Promise<Bundle>;
}
