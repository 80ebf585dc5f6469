// Export to Cedar: one policy per authoritative rule, with the action naming the stage
// (Action::"request" or Action::"response") and the rule's condition over `context`.
//
// Our combination in Cedar's terms: deny and needs_approval rules are forbids, allow rules permits
// (so deny-overrides inside a tier is Cedar's forbid-overrides-permit). A tier only decides when
// no higher tier matched, so each policy carries `unless { <any higher-tier rule matched> }`.
// A default of allow is a last permit, `unless { <any rule matched> }`; a default of deny is
// Cedar's own. Cedar answers allow or deny: a deny whose determining policies (the response's
// reasons) are all @decision("needs_approval") forbids is our needs_approval, and a deny with no
// determining policy is the default.
//
// Types: see cedar-types.ts. Every leaf is folded with its field's type: a comparison that can
// never hold for that type is written as false, so no policy can hit an evaluation error.
import type { JsonValue, LeafCondition } from '../../policy/types';
import { CedarContractError, decimalText } from './cedar-context';
import { cedarSchema, describeType, fieldTypes, isProblem, scalarOf, type CedarScalar, type CedarType, type FieldTypes } from './cedar-types';
import { AUTHORITATIVE, droppedRuleGap, gapLines, planStages, type ExportPlan, type ExportResult, type Gap, type PlannedRule, type Stage, type StagePlan } from './plan';
import { positiveForm, Untranslatable, writeCondition, type ConditionWriter } from './walk';

export const CEDAR_CAVEATS = [
  'the context must be converted first (toCedarContext, or the same rules by hand): only the fields the policies read, each of the type in the header, numbers as decimals ({"__extn": {"fn": "decimal", "arg": "0.5"}}), lists as sets, nulls left out; a context that does not fit is refused, not decided',
  'policy ids are in @id annotations ("policyId/ruleId"); Cedar answers allow or deny: a deny whose determining policies are all @decision("needs_approval") is needs_approval, a deny with none is the default deny',
  'principal and resource are unconstrained (pass any entity, e.g. User::"u" and Request::"r"); the action is Action::"request" or Action::"response"; context.cedarschema is the schema (cedar validate)',
];

const RESERVED = new Set(['true', 'false', 'if', 'then', 'else', 'in', 'like', 'has', 'is', '__cedar']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface CedarExport extends ExportResult {
  /** The type each context field must have: what toCedarContext converts to. */
  types: FieldTypes;
}

export function exportCedar(plan: ExportPlan): CedarExport {
  const types = fieldTypes(plan.rules, plan.budgetIds);
  const gaps: Gap[] = [...plan.gaps];
  const conditions = new Map<string, string>();
  for (const rule of plan.rules) {
    if (!AUTHORITATIVE.has(rule.decision)) {
      gaps.push({ where: rule.id, what: `${rule.decision} rules are not exported: a Cedar answer is allow or deny, with no warnings or obligations` });
      continue;
    }
    if (rule.obligations && rule.decision === 'allow') gaps.push({ where: rule.id, what: 'obligations are not expressible in Cedar: the host must apply them' });
    if (rule.reason?.includes('{{')) gaps.push({ where: rule.id, what: 'reason templates are in the @reason annotation: the host renders them', carried: true });
    try {
      if (rule.namespace !== undefined) for (const field of NAMESPACE_FIELDS) checkScopeField(types, field);
      const condition = writeCondition(rule.condition, cedarWriter(types));
      conditions.set(rule.id, rule.namespace === undefined ? condition : and([scope(rule.namespace), condition]));
    } catch (err) {
      if (!(err instanceof Untranslatable)) throw err;
      gaps.push(droppedRuleGap(rule, err.at, err.message));
    }
  }
  const dropped = new Set(plan.rules.filter((r) => !conditions.has(r.id)).map((r) => r.id));
  const policies = planStages(plan.rules, plan.defaultDecision, dropped).flatMap((stage) => stagePolicies(stage, conditions));
  const header = [
    'Cedar export of an llm-policy set (llm-policy export --format cedar).',
    ...CEDAR_CAVEATS,
    'context fields and their types:',
    ...[...types].filter(([, t]) => !isProblem(t)).map(([path, t]) => `  ${path}: ${describeType(t as CedarType)}${t === 'Any' ? ' (only tested for presence)' : ''}`),
    ...gapLines(gaps),
  ];
  const text = `${header.map((l) => `// ${l}`).join('\n')}\n\n${policies.join('\n\n')}\n`;
  return { format: 'cedar', files: [{ name: 'policies.cedar', text }, { name: 'context.cedarschema', text: cedarSchema(types) }], exported: [...conditions.keys()], gaps, caveats: CEDAR_CAVEATS, types };
}

function stagePolicies(stage: StagePlan, conditions: Map<string, string>): string[] {
  const out: string[] = [];
  const higher: string[] = [];
  for (const tier of stage.tiers) {
    const tierConditions = tier.map((r) => conditions.get(r.id) as string);
    for (const rule of tier) out.push(policy(rule, stage.stage, conditions.get(rule.id) as string, higher));
    higher.push(...tierConditions);
  }
  if (stage.defaultDecision === 'allow') {
    const unless = higher.length > 0 ? ` unless { ${or(higher)} }` : '';
    out.push(`@id("default/${stage.stage}")\n@decision("allow")\npermit (principal, action == Action::"${stage.stage}", resource)${unless};`);
  }
  return out;
}

function policy(rule: PlannedRule, stage: Stage, condition: string, higher: string[]): string {
  const effect = rule.decision === 'allow' ? 'permit' : 'forbid';
  const annotations = [`@id(${str(rule.id)})`, `@decision(${str(rule.decision)})`, `@priority(${str(String(rule.priority))})`];
  if (rule.reason) annotations.push(`@reason(${str(rule.reason)})`);
  const unless = higher.length > 0 ? `\nunless { ${or(higher)} }` : '';
  return `${annotations.join('\n')}\n${effect} (principal, action == Action::"${stage}", resource)\nwhen { ${condition} }${unless};`;
}

const NAMESPACE_FIELDS = ['metadata.namespace', 'project.environment'];

/** Scoping reads the namespace fields as strings: a set that uses one as something else cannot scope. */
function checkScopeField(types: FieldTypes, field: string): void {
  const type = types.get(field);
  if (isProblem(type)) throw new Untranslatable('metadata.namespace', `${type.problem}, and namespace scoping reads it as a String`);
}

/** Spec §1 scoping, over the two namespace fields (both typed String). */
function scope(namespace: string): string {
  const set = (path: string) => `${present(path)} && ${access(path)} != ""`;
  return `(if ${set('metadata.namespace')} then ${access('metadata.namespace')} == ${str(namespace)} else if ${set('project.environment')} then ${access('project.environment')} == ${str(namespace)} else true)`;
}

function and(parts: string[]): string {
  return parts.length === 0 ? 'true' : parts.length === 1 ? parts[0] : `(${parts.join(' && ')})`;
}

function or(parts: string[]): string {
  return parts.length === 0 ? 'false' : parts.length === 1 ? parts[0] : `(${parts.join(' || ')})`;
}

function cedarWriter(types: FieldTypes): ConditionWriter<string> {
  const typeOf = (path: string, at: string, operator: string): CedarType => {
    const type = types.get(path);
    if (type === undefined) throw new Untranslatable(at, `field ${path} has no type`);
    if (isProblem(type)) throw new Untranslatable(at, type.problem);
    if (type === 'Any' && operator !== 'exists') throw new Untranslatable(at, `field ${path}: the policies do not tell its type (compare it with a string, number or boolean somewhere)`);
    return type;
  };
  return {
    constant: (value) => String(value),
    and,
    or,
    not: (child) => `!${child}`,
    leaf: (leaf, at) => {
      const { operator, negated } = positiveForm(leaf);
      const x = typeOf(leaf.field, at, operator);
      const positive = leaf.valueField === undefined
        ? constantLeaf(operator, leaf, x, at)
        : fieldLeaf(operator, leaf, x, typeOf(leaf.valueField, at, operator), at);
      if (positive === 'false') return negated ? 'true' : 'false';
      return negated ? `!(${positive})` : `(${positive})`;
    },
  };
}

function constantLeaf(operator: LeafCondition['operator'], leaf: LeafCondition, x: CedarType, at: string): string {
  const has = present(leaf.field);
  const get = access(leaf.field);
  const v = leaf.value as JsonValue;
  const vType = scalarOf(v);
  const guarded = (test: string) => `${has} && ${test}`;
  switch (operator) {
    case 'exists':
      return has;
    case 'eq':
      if (typeof x === 'object' && Array.isArray(v)) throw new Untranslatable(at, 'eq on a list compares in order, Cedar sets have no order');
      return vType !== undefined && x === vType ? guarded(`${get} == ${lit(v, at)}`) : 'false';
    case 'gt': case 'gte': case 'lt': case 'lte':
      if (x === 'String' && vType === 'String') throw new Untranslatable(at, `${operator} on strings: Cedar does not order strings`);
      return x === 'Decimal' && vType === 'Decimal' ? guarded(`${get}.${ORDER[operator]}(${lit(v, at)})`) : 'false';
    case 'in': {
      const item = typeof x === 'object' ? x.set : x;
      const members = (v as JsonValue[]).filter((e) => item !== undefined && scalarOf(e) === item);
      if (members.length === 0) return 'false';
      const set = `[${members.map((e) => lit(e, at)).join(', ')}]`;
      return guarded(typeof x === 'object' ? `${get}.containsAny(${set})` : `${set}.contains(${get})`);
    }
    case 'contains':
      if (x === 'String' && vType === 'String') return guarded(`${get} like ${pattern(v as string, '*', '*', at)}`);
      return typeof x === 'object' && vType === x.set ? guarded(`${get}.contains(${lit(v, at)})`) : 'false';
    case 'starts_with':
      return x === 'String' ? guarded(`${get} like ${pattern(v as string, '', '*', at)}`) : 'false';
    case 'ends_with':
      return x === 'String' ? guarded(`${get} like ${pattern(v as string, '*', '', at)}`) : 'false';
    case 'matches':
      throw new Untranslatable(at, 'matches: Cedar has no regular expressions (only like with * wildcards)');
    default:
      throw new Untranslatable(at, `operator "${operator}" has no Cedar form`);
  }
}

function fieldLeaf(operator: LeafCondition['operator'], leaf: LeafCondition, x: CedarType, y: CedarType, at: string): string {
  const field = leaf.valueField as string;
  const both = (test: string) => `${present(leaf.field)} && ${present(field)} && ${test}`;
  const [gx, gy] = [access(leaf.field), access(field)];
  const isSet = (t: CedarType): t is { set: CedarScalar } => typeof t === 'object';
  switch (operator) {
    case 'eq':
      if (isSet(x) || isSet(y)) throw new Untranslatable(at, 'eq on lists compares in order, Cedar sets have no order');
      return x === y ? both(`${gx} == ${gy}`) : 'false';
    case 'gt': case 'gte': case 'lt': case 'lte':
      if (x === 'String' && y === 'String') throw new Untranslatable(at, `${operator} on strings: Cedar does not order strings`);
      return x === 'Decimal' && y === 'Decimal' ? both(`${gx}.${ORDER[operator]}(${gy})`) : 'false';
    case 'in':
      if (!isSet(y)) return 'false';
      if (isSet(x)) return x.set === y.set ? both(`${gy}.containsAny(${gx})`) : 'false';
      return x === y.set ? both(`${gy}.contains(${gx})`) : 'false';
    case 'contains':
      if (x === 'String' && y === 'String') throw new Untranslatable(at, 'contains with valueField on strings: Cedar\'s like needs a literal pattern');
      return isSet(x) && x.set === y ? both(`${gx}.contains(${gy})`) : 'false';
    case 'starts_with': case 'ends_with':
      if (x === 'String' && y === 'String') throw new Untranslatable(at, `${operator} with valueField: Cedar's like needs a literal pattern`);
      return 'false';
    default:
      throw new Untranslatable(at, `operator "${operator}" has no Cedar form with valueField`);
  }
}

const ORDER = { gt: 'greaterThan', gte: 'greaterThanOrEqual', lt: 'lessThan', lte: 'lessThanOrEqual' } as const;

function segmentAccess(base: string, key: string): string {
  return IDENTIFIER.test(key) && !RESERVED.has(key) ? `${base}.${key}` : `${base}[${str(key)}]`;
}

function access(path: string): string {
  return path.split('.').reduce(segmentAccess, 'context');
}

/** `context has a && context.a has b`: every step present (the converter leaves nulls out). */
function present(path: string): string {
  const keys = path.split('.');
  return keys.map((key, i) => `${keys.slice(0, i).reduce(segmentAccess, 'context')} has ${IDENTIFIER.test(key) && !RESERVED.has(key) ? key : str(key)}`).join(' && ');
}

function lit(value: JsonValue, at: string): string {
  if (typeof value === 'string') return str(value, at);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    try {
      return `decimal("${decimalText(value, at)}")`;
    } catch (err) {
      if (err instanceof CedarContractError) throw new Untranslatable(at, err.message.replace(`${at}: `, ''));
      throw err;
    }
  }
  throw new Untranslatable(at, `no Cedar literal for ${JSON.stringify(value)}`);
}

/** A like pattern: the text with * escaped, between the wildcards asked for. */
function pattern(text: string, before: string, after: string, at: string): string {
  return `"${before}${escape(text, at, true)}${after}"`;
}

function str(text: string, at = 'metadata'): string {
  return `"${escape(text, at, false)}"`;
}

function escape(text: string, at: string, inPattern: boolean): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (code >= 0xd800 && code <= 0xdfff) throw new Untranslatable(at, `the string ${JSON.stringify(text)} holds a lone surrogate, which a Cedar string cannot`);
    if (ch === '"' || ch === '\\' || (inPattern && ch === '*')) out += `\\${ch}`;
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else out += `\\u{${code.toString(16)}}`;
  }
  return out;
}

export type { CedarType, FieldTypes };
