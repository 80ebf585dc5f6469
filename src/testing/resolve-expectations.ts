// Turns the rule references of a test's `expect` into full `policyId/ruleId` ids, or a located
// error naming the reference, its place in the file and the candidates.
import { PolicyError } from '../policy/errors';
import { locateSegments } from '../policy/source';
import type { RuleCatalog } from './rule-refs';
import type { Expectations } from './test-file-schema';

/** `expect` with every rule reference resolved to `policyId/ruleId`. */
export type ResolvedExpectations = Expectations;

type RefList = 'matchedRules' | 'notMatchedRules' | 'warnings' | 'shadow';

export function resolveExpectations(expect: Expectations, testNode: object, catalog: RuleCatalog): ResolvedExpectations | PolicyError {
  const resolved: ResolvedExpectations = { ...expect };
  for (const key of ['matchedRules', 'notMatchedRules', 'warnings', 'shadow'] as const) {
    const refs = expect[key];
    if (!Array.isArray(refs)) continue;
    const ids: string[] = [];
    for (let i = 0; i < refs.length; i++) {
      const result = catalog.resolve(refs[i]);
      if (!result.ok) return located(testNode, key, i, result.message);
      ids.push(result.id);
    }
    resolved[key] = ids;
  }
  const both = resolved.matchedRules?.find((id) => resolved.notMatchedRules?.includes(id));
  if (both) {
    const i = resolved.notMatchedRules!.indexOf(both);
    return located(testNode, 'notMatchedRules', i, `rule ${both} is in both matchedRules and notMatchedRules`);
  }
  return resolved;
}

function located(testNode: object, key: RefList, index: number, message: string): PolicyError {
  const at = locateSegments(testNode, ['expect', key, index]);
  return new PolicyError('schema_error', message, { ...at });
}
