// Test helpers: lint YAML written with a ▸ where a finding must point, and pick findings by code.
import { lint, type LintFinding } from '../../src/lint/index';
import { parsePolicies } from '../../src/policy/parse';
import type { Policy } from '../../src/policy/types';
import { unmark } from '../policy/expect-error';

export interface Marked {
  findings: LintFinding[];
  /** The ▸ mark's 1-based line and column. */
  line: number;
  column: number;
}

/** Lints the policies of `marked` (one ▸ marks the expected place) and keeps the findings of `code`. */
export function lintMarked(marked: string, code: string, filename = 'policy.yaml'): Marked {
  const { text, line, column } = unmark(marked);
  return { findings: withCode(lint(parsePolicies(text, { filename })), code), line, column };
}

/** Lints YAML texts as files of one set, keeping the findings of `code`. */
export function lintFiles(files: Record<string, string>, code?: string): LintFinding[] {
  const policies = Object.entries(files).flatMap(([filename, text]) => parsePolicies(text, { filename }));
  const findings = lint(policies);
  return code === undefined ? findings : withCode(findings, code);
}

export function withCode(findings: LintFinding[], code: string): LintFinding[] {
  return findings.filter((f) => f.code === code);
}

/** The policies as a bundle holds them: plain JSON, no source positions. */
export function asBundlePolicies(policies: Policy[]): Policy[] {
  return JSON.parse(JSON.stringify(policies)) as Policy[];
}
