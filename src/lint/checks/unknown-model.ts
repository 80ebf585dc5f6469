// unknown-model and model-alias (warnings): a model id compared with llm.model or
// llm.canonicalModel (eq, ne, in, not_in) that the price table does not know, or that is an alias
// of another id. On llm.canonicalModel either one never matches (enrichment only ever writes the
// canonical id, and none for an unknown model); on llm.model an alias covers only that spelling,
// not the model's other aliases and dated snapshots. A route_model obligation naming an id the
// table does not know is warned about too (its calls get no cost estimate; often a typo); an
// alias there is fine, the provider takes it as sent.
import { canonicalModel } from '../../enrich/canonical-model';
import { knownModelIds } from '../../enrich/known-models';
import { nearest } from '../../policy/suggest';
import { leavesOf, resolveElement } from '../conditions';
import { findingAt, type LintFinding } from '../finding';
import type { Check, RuleEntry } from '../lint-set';

const MODEL_FIELDS = new Set(['llm.model', 'llm.canonicalModel']);
const OPERATORS = new Set(['eq', 'ne', 'in', 'not_in']);

export const checkUnknownModels: Check = (set) => set.rules.flatMap((entry) => [...modelFindings(entry), ...routeFindings(entry)]);

function modelFindings(entry: RuleEntry): LintFinding[] {
  return leavesOf(entry.rule.condition, `${entry.path}.condition`).flatMap(({ leaf, path, element }) => {
    const field = resolveElement(leaf.field, element);
    if (!MODEL_FIELDS.has(field) || !OPERATORS.has(leaf.operator) || leaf.value === undefined) return [];
    const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
    return values.flatMap((value, i) => {
      if (typeof value !== 'string' || value === '') return [];
      const at = Array.isArray(leaf.value) ? `${path}.value[${i}]` : `${path}.value`;
      return modelFinding(entry, at, value, field, `${leaf.field} ${leaf.operator}`);
    });
  });
}

function routeFindings(entry: RuleEntry): LintFinding[] {
  const obligations = entry.rule.action.obligations;
  if (!Array.isArray(obligations)) return [];
  return obligations.flatMap((o, i) => {
    if (o?.type !== 'route_model' || typeof o.model !== 'string' || o.model === '' || canonicalModel(o.model) !== undefined) return [];
    const near = nearest(o.model, knownModelIds());
    return [findingAt(entry.policy, `${entry.path}.action.obligations[${i}].model`, {
      severity: 'warning',
      code: 'unknown-model',
      message: `route_model: "${o.model}" is not a model id the price table knows, so the routed calls get no cost estimate`,
      suggestion: near ? `did you mean ${near}?` : 'if it is your own model, budgets count its tokens but not its cost',
    }, entry.rule.id)];
  });
}

function modelFinding(entry: RuleEntry, path: string, value: string, field: string, where: string): LintFinding[] {
  const canonical = canonicalModel(value);
  if (canonical === value) return [];
  const onCanonical = field === 'llm.canonicalModel';
  const draft = canonical === undefined
    ? {
        code: 'unknown-model',
        message: `${where}: "${value}" is not a model id the price table knows${onCanonical ? ', so llm.canonicalModel is never this value' : ''}`,
        suggestion: suggestionFor(value, onCanonical),
      }
    : {
        code: 'model-alias',
        message: onCanonical
          ? `${where}: "${value}" is an alias of ${canonical}, and llm.canonicalModel is always ${canonical}, so this value never matches`
          : `${where}: "${value}" is an alias of ${canonical}; llm.model is compared as sent, so the model's other names and dated snapshots do not match`,
        suggestion: onCanonical ? `write ${canonical}` : `compare llm.canonicalModel with ${canonical}`,
      };
  return [findingAt(entry.policy, path, { severity: 'warning', ...draft }, entry.rule.id)];
}

function suggestionFor(value: string, onCanonical: boolean): string {
  const near = nearest(value, knownModelIds());
  if (near) return `did you mean ${near}?`;
  // Not a typo of a known id: most likely the team's own model (self-hosted, a fine-tune).
  return onCanonical
    ? 'compare llm.model for a model the price table does not know'
    : 'if it is your own model, it gets no cost estimate; llm-policy evaluate DIR --format text --context \'{"llm":{"model":"NAME"}}\' shows a known model\'s id';
}
