// llm-policy lint: static checks (src/lint) over a policy set or a bundle, one finding per line.
import { lint, type LintFinding } from '../../lint/index';
import { choice, expectPositionals, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { readPoliciesOrBundle } from '../inputs';
import type { Io } from '../io';
import { count, json } from '../output';

const OPTIONS = {
  format: { type: 'string' },
} as const;

export const lintCommand: Command = {
  name: 'lint',
  help: `Usage: llm-policy lint <dir, files or bundle> [--format text|json]

Prints one line per finding,
  file:line: severity: [code] policy/rule: message (suggestion)
then a summary line. Exit 1 if any finding is an error, else 0.
Findings in a bundle name the bundle file (a bundle keeps no line numbers).

Options:
      --format text|json   text (default), or {findings, summary} as JSON
  -h, --help               show this help
`,
  run,
};

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('lint', argv, OPTIONS);
  expectPositionals('lint', positionals, 1, Infinity, 'a policy folder, files or a bundle');
  const format = choice('lint', values.format, '--format', ['text', 'json'] as const, 'text');
  const source = await readPoliciesOrBundle(positionals, io);
  // Policies from a bundle have no file of their own: name the bundle.
  const fallbackFile = source.kind === 'bundle' ? positionals[0] : undefined;
  const findings = lint(source.policies).map((f) => (f.file || !fallbackFile ? f : { ...f, file: fallbackFile }));
  const summary = {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    info: findings.filter((f) => f.severity === 'info').length,
  };
  if (format === 'json') io.out(json({ findings, summary }));
  else {
    for (const f of findings) io.out(`${formatFinding(f)}\n`);
    io.out(`${count(summary.errors, 'error')}, ${count(summary.warnings, 'warning')}, ${summary.info} info\n`);
  }
  return summary.errors > 0 ? 1 : 0;
}

/** `file:line: severity: [code] policy/rule: message (suggestion)`; parts that are unknown are left out. */
export function formatFinding(f: LintFinding): string {
  const where = f.file ? `${f.file}${f.line !== undefined ? `:${f.line}` : ''}: ` : '';
  const subject = f.policyId ? `${f.policyId}${f.ruleId ? `/${f.ruleId}` : ''}: ` : '';
  const suggestion = f.suggestion ? ` (${f.suggestion})` : '';
  return `${where}${f.severity}: [${f.code}] ${subject}${f.message}${suggestion}`;
}
