// unknown-pii-type (warning): a PII kind that enrichment never reports, tested against
// llm.piiTypes / response.piiTypes or listed in a redact_pii obligation. `credit-card` for
// `credit_card` would silently never match (or never redact).
import { nearest } from '../../policy/suggest';
import { leavesOf, resolveElement } from '../conditions';
import { findingAt, type LintFinding } from '../finding';
import { PII_FIELDS, PII_TYPES } from '../known-fields';
import type { Check, RuleEntry } from '../lint-set';

export const checkUnknownPiiTypes: Check = (set) => set.rules.flatMap((entry) => [...conditionFindings(entry), ...obligationFindings(entry)]);

function conditionFindings(entry: RuleEntry): LintFinding[] {
  return leavesOf(entry.rule.condition, `${entry.path}.condition`).flatMap(({ leaf, path, element }) => {
    if (!PII_FIELDS.has(resolveElement(leaf.field, element)) || leaf.value === undefined) return [];
    const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
    return values.flatMap((v, i) => piiFinding(entry, Array.isArray(leaf.value) ? `${path}.value[${i}]` : `${path}.value`, v, `${leaf.field} ${leaf.operator}`));
  });
}

function obligationFindings(entry: RuleEntry): LintFinding[] {
  const obligations = entry.rule.action.obligations;
  if (!Array.isArray(obligations)) return [];
  return obligations.flatMap((o, i) => {
    if (o?.type !== 'redact_pii' || !Array.isArray(o.types)) return [];
    return o.types.flatMap((t, j) => piiFinding(entry, `${entry.path}.action.obligations[${i}].types[${j}]`, t, 'redact_pii'));
  });
}

function piiFinding(entry: RuleEntry, path: string, value: unknown, where: string): LintFinding[] {
  if (typeof value !== 'string' || PII_TYPES.includes(value)) return [];
  const near = nearest(value, PII_TYPES);
  return [findingAt(entry.policy, path, {
    severity: 'warning',
    code: 'unknown-pii-type',
    message: `${where}: "${value}" is not a PII type enrichment reports (${PII_TYPES.join(', ')})`,
    suggestion: near ? `did you mean ${near}?` : `use one of ${PII_TYPES.join(', ')}`,
  }, entry.rule.id)];
}
