// One-line texts for what publishing prints: lint findings and failed policy tests.
import type { PolicyTestSummary, PublishLintFinding } from './steps';

export type Log = (line: string) => void;

export function formatFinding(f: PublishLintFinding): string {
  const where = f.file ? `${[f.file, f.line, f.line !== undefined ? f.column : undefined].filter((p) => p !== undefined).join(':')}: ` : '';
  const subject = f.policyId ? ` [${f.policyId}${f.ruleId ? `/${f.ruleId}` : ''}]` : '';
  const hint = f.suggestion ? ` (${f.suggestion})` : '';
  return `${where}${f.severity} ${f.code}${subject}: ${f.message}${hint}`;
}

export function formatTestFailure(r: PolicyTestSummary['results'][number]): string {
  return `${r.file}${r.line !== undefined ? `:${r.line}` : ''}: test "${r.name}" failed${r.message ? `: ${r.message}` : ''}`;
}
