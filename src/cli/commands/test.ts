// llm-policy test: runs the `*.test.yaml` files beside a policy set (spec §9).
import { runPolicyTests, type TestResult } from '../../testing/index';
import { expectPositionals, parseCommandArgs } from '../args';
import type { Command } from '../command';
import type { Io } from '../io';

const OPTIONS = {
  enrich: { type: 'boolean' },
  verbose: { type: 'boolean' },
} as const;

export const testCommand: Command = {
  name: 'test',
  help: `Usage: llm-policy test <dir> [--enrich] [--verbose]

Compiles the policies in <dir> and runs every *.test.yaml (or .test.json) file beside them.
Prints each failure with its message; the last line is "N passed, N failed".
Exit 1 if any test fails (a policy set or test file that does not load counts as a failure).

Options:
      --enrich     enrich every test's context first (tests may also say enrich: true themselves)
      --verbose    list passing tests too
  -h, --help       show this help
`,
  run,
};

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('test', argv, OPTIONS);
  expectPositionals('test', positionals, 1, 1, 'the policy folder');
  const result = await runPolicyTests(positionals[0], { enrich: values.enrich });
  if (result.results.length === 0) io.err(`warning: ${positionals[0]}: no *.test.yaml files\n`);
  for (const r of result.results) {
    if (!r.ok) io.out(`✗ ${where(r)}${r.name}\n    ${r.message ?? 'failed'}\n`);
    else if (values.verbose) io.out(`✓ ${where(r)}${r.name}\n`);
  }
  io.out(`${result.passed} passed, ${result.failed} failed\n`);
  return result.failed > 0 ? 1 : 0;
}

function where(r: TestResult): string {
  return `${r.file}${r.line !== undefined ? `:${r.line}` : ''}: `;
}
