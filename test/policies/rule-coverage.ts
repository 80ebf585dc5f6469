// Which rules of a policy set its own tests never match, and which every test matches: a rule
// tested on one side only is not really tested.
import { loadPolicySet } from '../../src/node/policy-set';
import { runPolicyTests } from '../../src/testing/index';

export async function ruleCoverage(dir: string): Promise<{ neverMatched: string[]; alwaysMatched: string[] }> {
  const set = await loadPolicySet(dir);
  const run = await runPolicyTests(dir);
  const matchedSomewhere = new Set(run.results.flatMap((r) => r.matchedRules ?? []));
  const ids = set.policies.flatMap((p) => p.rules.map((r) => `${p.metadata.id}/${r.id}`));
  const unmatchedSomewhere = new Set(ids.filter((id) => run.results.some((r) => r.matchedRules && !r.matchedRules.includes(id))));
  return { neverMatched: ids.filter((id) => !matchedSomewhere.has(id)), alwaysMatched: ids.filter((id) => !unmatchedSomewhere.has(id)) };
}
