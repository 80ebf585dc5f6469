// The rule builder's model, round-tripping with the YAML text: the text is the one source of
// truth; the form reads a rule from it and every edit writes back only the keys it owns (id,
// condition, action.decision, action.reason), so comments and other keys elsewhere survive.
import { isMap, parseAllDocuments, parse as parseYaml, stringify, type Document } from 'yaml';
import type { LeafOperator, RuleDecision } from '../policy/types';

export interface BuilderCondition {
  field: string;
  operator: LeafOperator;
  /** The value as the author types it (YAML flow: `free`, `0.8`, `[gpt-4o, o3]`). */
  value: string;
}

export interface BuilderRule {
  id: string;
  match: 'all' | 'any';
  conditions: BuilderCondition[];
  decision: RuleDecision;
  reason: string;
}

export interface RuleRef {
  doc: number;
  index: number;
  policyId: string;
  ruleId: string;
  /** The form's view of the rule, or why the form cannot show it. */
  rule: BuilderRule | { unsupported: string };
}

const NO_VALUE = new Set(['exists', 'not_exists']);

/** Every rule in the file's policies; none when the text does not parse. */
export function rulesIn(text: string): RuleRef[] {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return [];
  const refs: RuleRef[] = [];
  docs.forEach((doc, d) => {
    const policy = doc.toJS() as any;
    const rules = Array.isArray(policy?.rules) ? policy.rules : [];
    rules.forEach((rule: any, index: number) => refs.push({ doc: d, index, policyId: String(policy?.metadata?.id ?? `document ${d + 1}`), ruleId: String(rule?.id ?? `rules[${index}]`), rule: builderView(rule) }));
  });
  return refs;
}

function builderView(rule: any): BuilderRule | { unsupported: string } {
  const c = rule?.condition;
  const leaves = c?.operator === 'and' || c?.operator === 'or' ? c.conditions : c ? [c] : [];
  if (!Array.isArray(leaves) || leaves.some((l: any) => typeof l?.field !== 'string' || ['and', 'or', 'not'].includes(l?.operator) || l.valueField !== undefined)) {
    return { unsupported: 'its condition nests and/or/not or compares two fields; edit it in the text' };
  }
  return {
    id: String(rule.id ?? ''),
    match: c?.operator === 'or' ? 'any' : 'all',
    conditions: leaves.map((l: any) => ({ field: l.field, operator: l.operator, value: l.value === undefined ? '' : flow(l.value) })),
    decision: rule.action?.decision ?? 'deny',
    reason: String(rule.action?.reason ?? ''),
  };
}

function flow(value: unknown): string {
  return typeof value === 'string' && !/[:#,[\]{}]/.test(value) && value.trim() === value ? value : stringify(value, { collectionStyle: 'flow' }).trim();
}

/** The YAML value of what the author typed: `0.8` is a number, `[a, b]` a list, `free` text. */
export function valueOf(text: string): unknown {
  try {
    return parseYaml(text);
  } catch {
    return text;
  }
}

function conditionNode(doc: Document, rule: BuilderRule): unknown {
  const leaves = rule.conditions.map((c) => {
    const leaf: Record<string, unknown> = { operator: c.operator, field: c.field };
    if (!NO_VALUE.has(c.operator)) leaf.value = valueOf(c.value);
    const node = doc.createNode(leaf);
    node.flow = true;
    return node;
  });
  if (leaves.length === 1) return leaves[0];
  return doc.createNode({ operator: rule.match === 'any' ? 'or' : 'and', conditions: leaves });
}

/** The text with rule `ref` (or a new rule at the end of the first policy, when `ref` is null) set to `rule`. */
export function writeRule(text: string, ref: { doc: number; index: number } | null, rule: BuilderRule): string {
  const docs = parseAllDocuments(text.trim() ? text : 'metadata: { id: new-policy }\nrules: []\n');
  if (!Array.isArray(docs)) return text;
  const doc = docs[ref?.doc ?? 0];
  if (!isMap(doc.contents)) return text;
  let index = ref?.index;
  if (index === undefined) {
    if (!doc.has('rules')) doc.set('rules', doc.createNode([]));
    index = (doc.toJS() as any).rules.length;
    doc.addIn(['rules'], doc.createNode({ id: rule.id }));
  }
  doc.setIn(['rules', index, 'id'], rule.id);
  doc.setIn(['rules', index, 'condition'], conditionNode(doc, rule));
  if (!doc.hasIn(['rules', index, 'action'])) doc.setIn(['rules', index, 'action'], doc.createNode({}));
  doc.setIn(['rules', index, 'action', 'decision'], rule.decision);
  doc.setIn(['rules', index, 'action', 'reason'], rule.reason);
  return docs.map((d) => d.toString()).join('');
}

export function blankRule(n: number): BuilderRule {
  return { id: `rule-${n}`, match: 'all', conditions: [{ field: 'llm.model', operator: 'eq', value: '' }], decision: 'deny', reason: '' };
}
