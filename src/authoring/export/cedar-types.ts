// Cedar has no type tests on context values: a comparison of the wrong type is an evaluation
// error, and an error skips the whole policy, which is not what a negated leaf means. So the
// Cedar export fixes one type per context field (the contract its context must keep): from the
// field list of spec §7 where the spec fixes it, else from how the policies use the field.
// Numbers are Cedar decimals (Cedar has no floating point), lists are sets.
import { checkField, type FieldType } from '../../lint/known-fields';
import { isCanonicalIndex } from '../../policy/paths';
import type { JsonValue, LeafCondition } from '../../policy/types';
import type { PlannedRule } from './plan';
import { writeCondition, type ConditionWriter } from './walk';

export type CedarScalar = 'String' | 'Decimal' | 'Bool';
/** `Any`: only tested for presence, so any value will do. */
export type CedarType = CedarScalar | { set: CedarScalar } | 'Any';

export type FieldTypes = Map<string, CedarType | { problem: string }>;

export function isProblem(type: CedarType | { problem: string } | undefined): type is { problem: string } {
  return typeof type === 'object' && 'problem' in type;
}

const FROM_JSON: Record<string, CedarScalar> = { string: 'String', number: 'Decimal', boolean: 'Bool' };

export function scalarOf(value: JsonValue | undefined): CedarScalar | undefined {
  return value === null || value === undefined ? undefined : FROM_JSON[typeof value];
}

export function sameType(a: CedarType, b: CedarType): boolean {
  return typeof a === 'string' || typeof b === 'string' ? a === b : a.set === b.set;
}

export function describeType(type: CedarType): string {
  return typeof type === 'string' ? type : `Set<${type.set}>`;
}

/** The type of every field the rules read (and of the namespace fields when scoping is used). */
export function fieldTypes(rules: readonly PlannedRule[], budgetIds: readonly string[]): FieldTypes {
  const evidence = new Map<string, { stage: PlannedRule['stage']; seen: CedarType[] }>();
  const note = (path: string, stage: PlannedRule['stage'], type?: CedarType) => {
    const entry = evidence.get(path) ?? { stage, seen: [] };
    if (type) entry.seen.push(type);
    evidence.set(path, entry);
  };
  for (const rule of rules) {
    if (rule.namespace !== undefined) {
      note('metadata.namespace', rule.stage, 'String');
      note('project.environment', rule.stage, 'String');
    }
    try {
      writeCondition(rule.condition, evidenceWriter((leaf) => {
        note(leaf.field, rule.stage, usageType(leaf));
        if (leaf.valueField !== undefined) note(leaf.valueField, rule.stage);
      }));
    } catch {
      // A construct no target writes: the translation reports it.
    }
  }
  const types: FieldTypes = new Map();
  for (const [path, { stage, seen }] of evidence) types.set(path, decide(path, stage, seen, budgetIds));
  for (const [path, type] of types) {
    // A field read both as a value and through its members would need to be both at once.
    const parent = [...types.keys()].find((p) => path.startsWith(`${p}.`) && !isProblem(types.get(p)) && types.get(p) !== 'Any');
    if (parent && !isProblem(type)) {
      types.set(path, { problem: `field ${path} is read below ${parent}, which is used as a ${describeType(types.get(parent) as CedarType)}` });
    }
  }
  return types;
}

function decide(path: string, stage: PlannedRule['stage'], seen: CedarType[], budgetIds: readonly string[]): CedarType | { problem: string } {
  if (path.split('.').some(isCanonicalIndex)) return { problem: `field ${path} indexes a list, and Cedar has sets, not lists` };
  const verdict = checkField(path, { stage, budgetIds });
  if (verdict.known && verdict.type) return fromFieldType(path, verdict.type, verdict.itemType, seen);
  if (seen.length === 0) return 'Any';
  const [first, ...rest] = seen;
  if (rest.every((t) => sameType(t, first))) return first;
  return { problem: `field ${path} is used as ${[...new Set(seen.map(describeType))].join(' and as ')}; Cedar needs one type per attribute` };
}

function fromFieldType(path: string, type: FieldType, itemType: FieldType | undefined, seen: CedarType[]): CedarType | { problem: string } {
  if (type !== 'list') return FROM_JSON[type];
  const item = itemType ? FROM_JSON[itemType] : seen.find((t): t is { set: CedarScalar } => typeof t === 'object')?.set;
  return item ? { set: item } : { problem: `field ${path} is a list whose items have no fixed type` };
}

/** What a leaf's operator and value say about its field's type, when they say anything. */
function usageType(leaf: LeafCondition): CedarType | undefined {
  const v = leaf.value;
  switch (leaf.operator) {
    case 'starts_with': case 'ends_with': case 'matches': return 'String';
    case 'gt': case 'gte': case 'lt': case 'lte': case 'eq': case 'ne': return scalarOf(v);
    case 'in': case 'not_in': {
      const kinds = new Set(Array.isArray(v) ? v.map(scalarOf) : []);
      return kinds.size === 1 ? [...kinds][0] : undefined;
    }
    case 'contains': case 'not_contains': {
      const item = scalarOf(v);
      return item === 'String' ? 'String' : item ? { set: item } : undefined;
    }
    default: return undefined;
  }
}

function evidenceWriter(onLeaf: (leaf: LeafCondition) => void): ConditionWriter<void> {
  return { constant: () => undefined, and: () => undefined, or: () => undefined, not: () => undefined, leaf: (leaf) => onLeaf(leaf) };
}

/**
 * The contract as a Cedar schema (human-readable format): every field optional, `Any` fields a
 * Bool (the converter writes `true` for them), so `cedar validate` can check the policies too.
 */
export function cedarSchema(types: FieldTypes): string {
  interface Tree { type?: CedarType; children: Map<string, Tree> }
  const root: Tree = { children: new Map() };
  for (const [path, type] of types) {
    if (isProblem(type)) continue;
    let node = root;
    for (const key of path.split('.')) {
      if (!node.children.has(key)) node.children.set(key, { children: new Map() });
      node = node.children.get(key) as Tree;
    }
    node.type = type;
  }
  const name = (t: CedarType) => (t === 'Any' ? 'Bool' : typeof t === 'object' ? `Set<${t.set === 'Decimal' ? 'decimal' : t.set}>` : t === 'Decimal' ? 'decimal' : t);
  const write = (node: Tree, indent: string): string => {
    if (node.children.size === 0) return node.type === undefined ? '{}' : name(node.type);
    const inner = [...node.children].map(([key, child]) => `${indent}  ${JSON.stringify(key)}?: ${write(child, `${indent}  `)}`);
    return `{\n${inner.join(',\n')}\n${indent}}`;
  };
  return [
    'entity User;',
    'entity Request;',
    `type Context = ${write(root, '')};`,
    'action "request", "response" appliesTo { principal: User, resource: Request, context: Context };',
    '',
  ].join('\n');
}
