// One-line texts for what publishing prints: lint findings and failed policy tests.
import type { LintFinding } from '../lint/index';
import type { TestResult } from '../testing/run';

export type Log = (line: string) => void;

export function formatFinding(f: LintFinding): string {
  const where = f.file ? `${[f.file, f.line, f.line !== undefined ? f.column : undefined].filter((p) => p !== undefined).join(':')}: ` : '';
  const subject = f.policyId ? ` [${f.policyId}${f.ruleId ? `/${f.ruleId}` : ''}]` : '';
  const hint = f.suggestion ? ` (${f.suggestion})` : '';
  const also = f.seeAlso ? ` (see ${f.seeAlso})` : '';
  return `${where}${f.severity} ${f.code}${subject}: ${f.message}${also}${hint}`;
}

export function formatTestFailure(r: TestResult): string {
  return `${r.file}${r.line !== undefined ? `:${r.line}` : ''}: test "${r.name}" failed${r.message ? `: ${r.message}` : ''}`;
}
