// Which enrichments a bundle can observe. Enrichment (tokenizing, PII and injection scans) is the
// costliest part of an evaluation, and a field no condition or reason template reads cannot change
// the Decision, so the edge computes only the kinds the serving bundle references.
import type { EnrichmentKind } from '../../enrich/index';
import { templateFields } from '../../engine/index';
import { conditionFields } from '../../policy/condition-fields';
import type { Bundle, Policy } from '../../policy/types';

const FIELDS_BY_KIND: Record<EnrichmentKind, string[]> = {
  tokens: ['llm.estimatedTokens'],
  cost: ['llm.estimatedCost'],
  pii: [
    'llm.containsPII', 'llm.piiTypes', 'response.containsPII', 'response.piiTypes',
    'llm.toolResultsContainsPII', 'llm.toolResultsPiiTypes', 'llm.toolResults.containsPII', 'llm.toolResults.piiTypes',
  ],
  injection: ['llm.injectionScore', 'llm.injectionSignals', 'llm.toolResultsInjectionScore', 'llm.toolResultsInjectionSignals', 'llm.toolResults.injectionScore', 'llm.toolResults.injectionSignals'],
  time: ['time.hour', 'time.weekday', 'time.iso'],
};
const KINDS = Object.keys(FIELDS_BY_KIND) as EnrichmentKind[];

const plans = new WeakMap<Bundle, EnrichmentKind[]>();

export function enrichmentFor(bundle: Bundle): EnrichmentKind[] {
  let plan = plans.get(bundle);
  if (!plan) {
    const paths = referencedPaths(bundle.policies);
    plan = KINDS.filter((kind) => FIELDS_BY_KIND[kind].some((field) => paths.some((path) => related(path, field))));
    plans.set(bundle, plan);
  }
  return plan;
}

/** A path reads an enriched field if it is that field, inside it (`llm.piiTypes.0`) or holds it (`llm`). */
function related(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`) || field.startsWith(`${path}.`);
}

function referencedPaths(policies: Policy[]): string[] {
  const paths: string[] = [];
  for (const policy of policies) {
    for (const rule of policy.rules) {
      paths.push(...conditionFields(rule.condition), ...templateFields(rule.action.reason ?? ''));
    }
  }
  return paths;
}
