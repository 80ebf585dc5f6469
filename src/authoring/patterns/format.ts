// `patterns status` as text: each pattern with its policies, what changed in a stale one's
// description (a word diff, as `git diff --word-diff=plain` prints it), then the orphans.
import { diffWords } from 'diff';
import { formatDiff, type PolicyDiff } from '../../bundle/diff';
import type { OrphanedPolicy, PatternPolicy, PatternStatus } from './status';

export interface FormatOptions {
  /** Where `generate --from-pattern` should write, for the regenerate hint. */
  policiesDir: string;
  /** Pattern id -> what regenerating it would change (regenerationDiffs), when a generator is at hand. */
  regenerated?: ReadonlyMap<string, PolicyDiff>;
}

export function formatPatternStatus(status: PatternStatus, opts: FormatOptions): string {
  const lines: string[] = [];
  for (const entry of status.patterns) {
    lines.push(`${entry.file}: ${entry.pattern.id} ${entry.pattern.version}`);
    if (entry.policies.length === 0) lines.push('  (no generated policies)');
    for (const policy of entry.policies) {
      lines.push(`  ${policy.state.padEnd(8)} ${policy.policyId}${policy.file ? `  ${policy.file}` : ''}`);
      if (policy.state === 'stale') lines.push(...staleDetails(policy, entry.pattern.description, entry.file, opts.policiesDir));
    }
    const diff = opts.regenerated?.get(entry.pattern.id);
    if (diff) lines.push('  regenerating would change:', ...formatDiff(diff).split('\n').map((line) => `    ${line}`));
  }
  if (status.orphaned.length > 0) {
    lines.push('orphaned (their pattern is gone; llm-policy patterns prune removes them):');
    for (const orphan of status.orphaned) lines.push(`  ${orphan.policyId}${orphan.file ? `  ${orphan.file}` : ''}  (${formerPattern(orphan)})`);
  }
  const { patterns, current, stale, orphaned } = status.counts;
  lines.push(`${patterns} pattern${patterns === 1 ? '' : 's'}: ${current} current, ${stale} stale, ${orphaned} orphaned`);
  return `${lines.join('\n')}\n`;
}

function staleDetails(policy: PatternPolicy, description: string, patternFile: string, policiesDir: string): string[] {
  const out = [`           ${policy.note}`];
  if (policy.generatedText === undefined) out.push('           description: (the policy does not record the text it was generated from)');
  else if (policy.generatedText.trim() === description) out.push('           description: unchanged');
  else out.push(`           description: ${wordDiff(policy.generatedText.trim(), description)}`);
  out.push(`           regenerate: llm-policy generate --from-pattern ${patternFile} --out ${policiesDir}`);
  return out;
}

/** `free tier teams may not use [-gpt-4o-]{+gpt-4o or o3+}`: removed words in [- -], added in {+ +}. */
export function wordDiff(before: string, after: string): string {
  return diffWords(before, after)
    .map((part) => (part.removed ? `[-${part.value}-]` : part.added ? `{+${part.value}+}` : part.value))
    .join('')
    .replace(/\s*\n\s*/g, ' ');
}

function formerPattern(orphan: OrphanedPolicy): string {
  if (orphan.patternId === undefined) return 'its source names no pattern id';
  return `pattern ${orphan.patternId}${orphan.generatedFrom ? ` ${orphan.generatedFrom}` : ''}`;
}
