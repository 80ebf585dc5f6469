// llm-policy patterns status|prune: generated policies against the patterns they came from.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { formatPatternStatus } from '../../authoring/patterns/format';
import { planPrune, type PrunePlan } from '../../authoring/patterns/prune';
import { regenerationDiffs, type Regenerate } from '../../authoring/patterns/regenerate';
import { patternStatus, type LocatedPolicy, type PatternStatus } from '../../authoring/patterns/status';
import { readPatternDir } from '../../node/pattern-dir';
import { loadPolicySet } from '../../node/policy-set';
import { sourceOf } from '../../policy/source';
import { choice, expectPositionals, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { UsageError } from '../errors';
import type { Io } from '../io';
import { count, json } from '../output';

const OPTIONS = {
  patterns: { type: 'string' },
  policies: { type: 'string' },
  format: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
} as const;

export const patternsCommand: Command = {
  name: 'patterns',
  help: `Usage: llm-policy patterns status [DIR] [--patterns P] [--policies P] [--format text|json]
       llm-policy patterns prune  [DIR] [--patterns P] [--policies P] [--yes]

A pattern is a YAML file (id, version, description in plain English, optional scope) that
llm-policy generate --from-pattern turns into policies; each generated policy records it in
metadata.source: {kind: pattern, id, version}. DIR (default: the current folder) holds the
patterns in DIR/patterns and the generated policies in DIR/policies; --patterns and --policies
name other folders. Only *.yaml / *.yml files directly in each folder are read.

status   lists every pattern with its policies:
           current   generated from the pattern's version
           stale     generated from another version (the pattern changed): shows the word diff
                     of the description (when the policy recorded it in source.text) and the
                     command that regenerates it
           orphaned  its pattern is gone
         Exit 0 when every generated policy is current, 1 when one is stale or orphaned (or on
         bad input), so CI can fail on drift.
prune    shows the orphaned policy files (with the *.test.yaml beside each) and removes them:
         with --yes at once; else it asks on the terminal; without a terminal and without --yes
         it only shows them. A file that also holds other policies is kept (edit it by hand).
         Exit 0 when no orphan is left, 1 when some are (not confirmed, or kept).

A pattern file that does not read is an error, never a deleted pattern: prune removes nothing.

Options:
      --patterns P          the patterns folder (default DIR/patterns)
      --policies P          the generated policies' folder (default DIR/policies)
      --format text|json    status output (default text)
  -y, --yes                 prune without asking
  -h, --help                show this help
`,
  run: (argv, io) => runPatterns(argv, io),
};

/**
 * `regenerate`, when given, is what generate --from-pattern would write now: status then shows,
 * under each pattern with stale policies, the policy and rule changes regenerating would make.
 */
export async function runPatterns(argv: string[], io: Io, regenerate?: Regenerate): Promise<number> {
  const { values, positionals } = parseCommandArgs('patterns', argv, OPTIONS);
  const [action, ...rest] = positionals;
  if (action !== 'status' && action !== 'prune') {
    throw new UsageError(action === undefined ? 'missing status or prune' : `unknown action ${JSON.stringify(action)} (expected status or prune)`, 'patterns');
  }
  expectPositionals('patterns', rest, 0, 1, 'DIR');
  if (action === 'status' && values.yes) throw new UsageError('--yes is for patterns prune', 'patterns');
  if (action === 'prune' && values.format !== undefined) throw new UsageError('--format is for patterns status', 'patterns');
  const format = choice('patterns', values.format, '--format', ['text', 'json'] as const, 'text');
  const dir = rest[0] ?? '.';
  const folders = { patterns: values.patterns ?? join(dir, 'patterns'), policies: values.policies ?? join(dir, 'policies') };
  // One after the other, so that with both folders missing the error is always the patterns one.
  const patterns = await readPatternDir(folders.patterns);
  const set = await loadPolicySet(folders.policies);
  const policies: LocatedPolicy[] = set.policies.map((policy) => ({ policy, file: sourceOf(policy)?.file }));
  const status = patternStatus(patterns, policies);
  if (action === 'status') {
    const regenerated = regenerate && format === 'text' ? await regenerationDiffs(status, policies, regenerate) : undefined;
    io.out(format === 'json' ? json(status) : formatPatternStatus(status, { policiesDir: folders.policies, regenerated }));
    return status.counts.stale + status.counts.orphaned > 0 ? 1 : 0;
  }
  return prune(status, planPrune(status, policies, set.testFiles), values.yes === true, io);
}

async function prune(status: PatternStatus, plan: PrunePlan, yes: boolean, io: Io): Promise<number> {
  if (status.orphaned.length === 0) {
    io.out('no orphaned policies\n');
    return 0;
  }
  for (const kept of plan.keep) {
    io.out(`keeping ${kept.file}: it also holds ${kept.others.join(', ')}; remove ${kept.orphaned.join(', ')} from it by hand\n`);
  }
  for (const id of plan.unfiled) io.out(`keeping ${id}: read from no file\n`);
  const left = plan.keep.reduce((n, k) => n + k.orphaned.length, plan.unfiled.length);
  if (plan.remove.length === 0) return left > 0 ? 1 : 0;
  io.out(`files of orphaned policies, with their tests (their pattern is gone):\n${plan.remove.map((f) => `  ${f}\n`).join('')}`);
  if (!yes) {
    if (!io.confirm) {
      io.out(`nothing removed: run again with --yes to remove ${count(plan.remove.length, 'file')} (no terminal to ask on)\n`);
      return 1;
    }
    if (!(await io.confirm(`remove ${count(plan.remove.length, 'file')}?`))) {
      io.out('nothing removed\n');
      return 1;
    }
  }
  for (const file of plan.remove) await rm(file);
  io.out(`removed ${count(plan.remove.length, 'file')}\n`);
  return left > 0 ? 1 : 0;
}
