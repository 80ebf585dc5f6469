// Which enrichments a bundle can observe. Enrichment (tokenizing, PII and injection scans) is the
// costliest part of an evaluation, and a field no condition or reason template reads cannot change
// the Decision, so the edge computes only the kinds the serving bundle references.
import { ENRICHED_FIELDS, type EnrichmentKind } from '../../enrich/index';
import { templateFields } from '../../engine/index';
import { conditionFields } from '../../policy/condition-fields';
import type { Bundle, Policy } from '../../policy/types';

const KINDS = Object.keys(ENRICHED_FIELDS) as EnrichmentKind[];

const plans = new WeakMap<Bundle, EnrichmentKind[]>();

export function enrichmentFor(bundle: Bundle): EnrichmentKind[] {
  let plan = plans.get(bundle);
  if (!plan) {
    const paths = referencedPaths(bundle.policies);
    plan = KINDS.filter((kind) => ENRICHED_FIELDS[kind].some((field) => paths.some((path) => related(path, field))));
    plans.set(bundle, plan);
  }
  return plan;
}

/** A path reads an enriched field if it is that field, inside it (`llm.piiTypes.0`) or holds it (`llm`). */
function related(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`) || field.startsWith(`${path}.`);
}

/** Each path once: 1,000 rules name a few dozen fields, and every path is matched against every enriched field. */
function referencedPaths(policies: Policy[]): string[] {
  const paths = new Set<string>();
  for (const policy of policies) {
    for (const rule of policy.rules) {
      for (const path of conditionFields(rule.condition)) paths.add(path);
      for (const path of templateFields(rule.action.reason ?? '')) paths.add(path);
    }
  }
  return [...paths];
}
