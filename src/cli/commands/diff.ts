// llm-policy diff: what changed between two policy sets or bundles, policy by policy and rule by rule.
import { diffBundles, diffPolicies, formatDiff } from '../../bundle/index';
import { choice, expectPositionals, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { readPoliciesOrBundle } from '../inputs';
import type { Io } from '../io';
import { json } from '../output';

const OPTIONS = {
  format: { type: 'string' },
} as const;

export const diffCommand: Command = {
  name: 'diff',
  help: `Usage: llm-policy diff <a> <b> [--format text|json]

Compares two policy sets: each of <a> and <b> is a folder, a policy file or a compiled bundle.
Policies pair up by id and rules by id within them. Two bundles also compare version and
defaultDecision. Exit 0 whether or not anything changed.

Options:
      --format text|json   text (default): + added, - removed, ~ modified with what changed
  -h, --help               show this help
`,
  run,
};

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('diff', argv, OPTIONS);
  expectPositionals('diff', positionals, 2, 2, 'two policy folders, files or bundles to compare');
  const format = choice('diff', values.format, '--format', ['text', 'json'] as const, 'text');
  const [a, b] = await Promise.all(positionals.map((p) => readPoliciesOrBundle([p], io)));
  const diff = a.bundle && b.bundle ? diffBundles(a.bundle, b.bundle) : diffPolicies(a.policies, b.policies);
  io.out(format === 'json' ? json(diff) : `${formatDiff(diff)}\n`);
  return 0;
}
