// Which files `patterns prune` removes: a policy file whose every policy is orphaned, with the test
// file beside it (its tests would fail once the policy is gone). A file that also holds other
// policies is kept and named, since rewriting it would lose its comments: edit it by hand.
import type { LocatedPolicy, PatternStatus } from './status';

export interface PrunePlan {
  /** Policy files and their test files, in name order. */
  remove: string[];
  /** Files with orphaned policies that also hold others. */
  keep: Array<{ file: string; orphaned: string[]; others: string[] }>;
  /** Orphans read from no file (nothing to remove). */
  unfiled: string[];
}

export function planPrune(status: PatternStatus, policies: LocatedPolicy[], testFiles: string[]): PrunePlan {
  const orphanFiles = new Map<string, string[]>();
  const unfiled: string[] = [];
  for (const orphan of status.orphaned) {
    if (orphan.file === undefined) unfiled.push(orphan.policyId);
    else orphanFiles.set(orphan.file, [...(orphanFiles.get(orphan.file) ?? []), orphan.policyId]);
  }
  const plan: PrunePlan = { remove: [], keep: [], unfiled };
  for (const [file, orphaned] of orphanFiles) {
    const others = policies.filter((p) => p.file === file && !orphaned.includes(p.policy.metadata.id)).map((p) => p.policy.metadata.id);
    if (others.length > 0) plan.keep.push({ file, orphaned, others });
    else plan.remove.push(file, ...testFiles.filter((t) => isTestFileOf(t, file)));
  }
  plan.remove.sort();
  return plan;
}

/** `a.test.yaml` (or .yml, .json) tests `a.yaml` (or `a.yml`, `a.json`). */
function isTestFileOf(testFile: string, policyFile: string): boolean {
  const prefix = `${policyFile.replace(/\.(ya?ml|json)$/i, '')}.test.`;
  return testFile.startsWith(prefix) && /^(ya?ml|json)$/i.test(testFile.slice(prefix.length));
}
