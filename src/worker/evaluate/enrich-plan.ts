// Which enrichments a bundle can observe. Enrichment (tokenizing, PII and injection scans) is the
// costliest part of an evaluation, and a field no condition or reason template reads cannot change
// the Decision, so the edge computes only the kinds the serving bundle references.
import type { EnrichmentKind } from '../../enrich/index';
import type { Bundle, Condition, Policy } from '../../policy/types';

const FIELDS_BY_KIND: Record<EnrichmentKind, string[]> = {
  tokens: ['llm.estimatedTokens'],
  cost: ['llm.estimatedCost'],
  pii: ['llm.containsPII', 'llm.piiTypes', 'response.containsPII', 'response.piiTypes'],
  injection: ['llm.injectionScore', 'llm.injectionSignals'],
  time: ['time.hour', 'time.weekday', 'time.iso'],
};
const KINDS = Object.keys(FIELDS_BY_KIND) as EnrichmentKind[];
const TEMPLATE = /\{\{\s*([^{}\s]+)\s*\}\}/g;

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
      collectCondition(rule.condition, paths);
      for (const match of (rule.action.reason ?? '').matchAll(TEMPLATE)) paths.push(match[1]);
    }
  }
  return paths;
}

function collectCondition(condition: Condition, into: string[]): void {
  if (typeof condition === 'boolean') return;
  if ('conditions' in condition && Array.isArray(condition.conditions)) for (const c of condition.conditions) collectCondition(c, into);
  if ('condition' in condition && condition.condition !== undefined) collectCondition(condition.condition, into);
  if ('field' in condition) {
    into.push(condition.field);
    if (condition.valueField) into.push(condition.valueField);
  }
}
