// Export to CEL (Common Expression Language): one expression per rule over a map variable
// `context` (the request context as JSON), and per stage one expression that evaluates to the
// decision, "allow" | "deny" | "needs_approval", by our priority tiers and deny-overrides.
//
// CEL is dynamically typed, so every leaf is written with the guards that give it our meaning on
// any JSON: a path is present only if each step is a map with the key (or a list long enough,
// for index segments) and the value is not null; comparisons test the type first, so a string
// never meets `>` with a number (a CEL error), it is just false, as in our engine.
import { stringify } from 'yaml';
import { isCanonicalIndex } from '../../policy/paths';
import type { JsonValue, LeafCondition } from '../../policy/types';
import { carriedGaps, droppedRuleGap, gapLines, planStages, type ExportPlan, type ExportResult, type Gap, type PlannedRule, type StagePlan } from './plan';
import { positiveForm, Untranslatable, writeCondition, type ConditionWriter } from './walk';

export const CEL_VARIABLE = 'context';

const RESERVED = new Set(['in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while', 'true', 'false', 'null']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const CEL_CAVEATS = [
  'matches: CEL specifies RE2, as we do (cel-go agrees); flags are written as an inline (?ims) prefix. cel-js uses JavaScript RegExp instead: it rejects the (?i) prefix, and its . and \\s differ from RE2 on \\r and non-ASCII spaces',
  'string ordering (gt/gte/lt/lte on strings): we compare UTF-16 code units, as cel-js does; cel-go compares code points, which differs only between U+E000..U+FFFF and characters beyond U+FFFF',
  'numbers: pass the context as JSON decodes it, every number a double (cel-js: plain JavaScript numbers; cel-go: structpb values); an int in the context fails the type(x) == double guards',
];

export function exportCel(plan: ExportPlan): ExportResult {
  const gaps: Gap[] = [...plan.gaps];
  const matches = new Map<string, string>();
  for (const rule of plan.rules) {
    const match = translate(rule, gaps);
    if (match !== undefined) matches.set(rule.id, match);
    gaps.push(...carriedGaps(rule, {
      obligations: 'obligations are in the rule\'s obligations: the host applies them when the decision is allow',
      reason: 'reason templates are in the rule\'s reason: the host renders them',
    }));
  }
  const dropped = new Set(plan.rules.filter((r) => !matches.has(r.id)).map((r) => r.id));
  const stages = planStages(plan.rules, plan.defaultDecision, dropped);
  const document = {
    format: 'llm-policy-cel/v1',
    variable: CEL_VARIABLE,
    decisions: Object.fromEntries(stages.map((s) => [s.stage, { default: s.defaultDecision, expression: decisionExpression(s, matches) }])),
    rules: plan.rules.filter((r) => matches.has(r.id)).map((r) => ({
      id: r.id,
      stage: r.stage,
      decision: r.decision,
      priority: r.priority,
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      ...(r.obligations ? { obligations: r.obligations } : {}),
      match: matches.get(r.id),
    })),
  };
  const header = [
    'CEL export of an llm-policy set (llm-policy export --format cel).',
    `Evaluate decisions.<stage>.expression with the variable "${CEL_VARIABLE}" bound to the request context (a map):`,
    'it yields "allow", "deny" or "needs_approval". A rule\'s match says whether it matched (warnings, obligations).',
    ...gapLines(gaps),
  ];
  const text = `${header.map((l) => `# ${l}`).join('\n')}\n${stringify(document, { lineWidth: 0 })}`;
  return { format: 'cel', files: [{ name: 'policies.cel.yaml', text }], exported: [...matches.keys()], gaps, caveats: CEL_CAVEATS };
}

function translate(rule: PlannedRule, gaps: Gap[]): string | undefined {
  try {
    const condition = writeCondition(rule.condition, celWriter);
    return rule.namespace === undefined ? condition : and([scope(rule.namespace), condition]);
  } catch (err) {
    if (!(err instanceof Untranslatable)) throw err;
    gaps.push(droppedRuleGap(rule, err.at, err.message));
    return undefined;
  }
}

/** First matching tier decides: deny, then needs_approval, then allow; else the next tier. */
function decisionExpression(stage: StagePlan, matches: Map<string, string>): string {
  let expression = literal(stage.defaultDecision);
  for (const tier of [...stage.tiers].reverse()) {
    for (const decision of ['allow', 'needs_approval', 'deny'] as const) {
      const rules = tier.filter((r) => r.decision === decision).map((r) => matches.get(r.id) as string);
      if (rules.length > 0) expression = `${or(rules)} ? ${literal(decision)} : (${expression})`;
    }
  }
  return expression;
}

/** Spec §1: a policy with a namespace applies when the request has none or the same one. */
function scope(namespace: string): string {
  const nonEmpty = (path: string) => { const a = access(path); return `${a.present} && type(${a.value}) == string && ${a.value} != ""`; };
  const ns = `(${nonEmpty('metadata.namespace')} ? ${access('metadata.namespace').value} : (${nonEmpty('project.environment')} ? ${access('project.environment').value} : ""))`;
  return `(${ns} == "" || ${ns} == ${literal(namespace)})`;
}

const celWriter: ConditionWriter<string> = {
  constant: (value) => String(value),
  and: (children) => and(children),
  or: (children) => or(children),
  not: (child) => `!${child}`,
  leaf: (leaf, at) => {
    const { operator, negated } = positiveForm(leaf);
    const positive = leaf.valueField === undefined ? constantLeaf(operator, leaf, at) : fieldLeaf(operator, leaf);
    return negated ? `!(${positive})` : `(${positive})`;
  },
};

function and(parts: string[]): string {
  return parts.length === 0 ? 'true' : parts.length === 1 ? parts[0] : `(${parts.join(' && ')})`;
}

function or(parts: string[]): string {
  return parts.length === 0 ? 'false' : parts.length === 1 ? parts[0] : `(${parts.join(' || ')})`;
}

/** `in`: a scalar equal to an element, or a list sharing an element (spec §2). */
function membership(x: string, list: string): string {
  return `(type(${x}) == list ? ${x}.exists(e, e in ${list}) : type(${x}) != map && ${x} in ${list})`;
}

function constantLeaf(operator: LeafCondition['operator'], leaf: LeafCondition, at: string): string {
  const { present, value: x } = access(leaf.field);
  const v = leaf.value as JsonValue;
  const lit = () => literal(v, at);
  switch (operator) {
    case 'exists': return present;
    case 'eq': return `${present} && ${x} == ${lit()}`;
    case 'gt': case 'gte': case 'lt': case 'lte':
      return `${present} && type(${x}) == ${typeof v === 'number' ? 'double' : 'string'} && ${x} ${ORDER[operator]} ${lit()}`;
    case 'in': return `${present} && ${membership(x, lit())}`;
    case 'contains':
      return typeof v === 'string'
        ? `${present} && ((type(${x}) == string && ${x}.contains(${lit()})) || (type(${x}) == list && ${lit()} in ${x}))`
        : `${present} && type(${x}) == list && ${lit()} in ${x}`;
    case 'starts_with': return `${present} && type(${x}) == string && ${x}.startsWith(${lit()})`;
    case 'ends_with': return `${present} && type(${x}) == string && ${x}.endsWith(${lit()})`;
    case 'matches': {
      const pattern = leaf.flags ? `(?${leaf.flags})${String(v)}` : String(v);
      return `${present} && type(${x}) == string && ${x}.matches(${literal(pattern, at)})`;
    }
    default: throw new Untranslatable(at, `operator "${operator}" has no CEL form`);
  }
}

function fieldLeaf(operator: LeafCondition['operator'], leaf: LeafCondition): string {
  const { present, value: x } = access(leaf.field);
  const { present: presentY, value: y } = access(leaf.valueField as string);
  const both = `${present} && ${presentY}`;
  switch (operator) {
    case 'eq': return `${both} && ${x} == ${y}`;
    case 'gt': case 'gte': case 'lt': case 'lte':
      return `${both} && ((type(${x}) == double && type(${y}) == double) || (type(${x}) == string && type(${y}) == string)) && ${x} ${ORDER[operator]} ${y}`;
    case 'in': return `${both} && type(${y}) == list && ${membership(x, y)}`;
    case 'contains': return `${both} && ((type(${x}) == string && type(${y}) == string && ${x}.contains(${y})) || (type(${x}) == list && ${y} in ${x}))`;
    case 'starts_with': return `${both} && type(${x}) == string && type(${y}) == string && ${x}.startsWith(${y})`;
    case 'ends_with': return `${both} && type(${x}) == string && type(${y}) == string && ${x}.endsWith(${y})`;
    default: throw new Untranslatable('condition', `operator "${operator}" has no CEL form with valueField`);
  }
}

const ORDER = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * A field path as a guard (`present`: every step exists and the value is not null) and the
 * expression that reads it once the guard holds. An index segment reads a list element or, on a
 * map, the key of that name (spec §2).
 */
export function access(path: string): { present: string; value: string } {
  const guards: string[] = [];
  let value = CEL_VARIABLE;
  // has() takes a field selection only: after an index step, test the key with `in`.
  let selectable = true;
  path.split('.').forEach((segment, i) => {
    if (isCanonicalIndex(segment)) {
      selectable = false;
      guards.push(`((type(${value}) == list && size(${value}) > ${segment}) || (type(${value}) == map && ${literal(segment)} in ${value}))`);
      value = `(type(${value}) == list ? ${value}[${segment}] : ${value}[${literal(segment)}])`;
      return;
    }
    if (i > 0) guards.push(`type(${value}) == map`);
    if (IDENTIFIER.test(segment) && !RESERVED.has(segment)) {
      guards.push(selectable ? `has(${value}.${segment})` : `${literal(segment)} in ${value}`);
      value = `${value}.${segment}`;
    } else {
      selectable = false;
      guards.push(`${literal(segment)} in ${value}`);
      value = `${value}[${literal(segment)}]`;
    }
  });
  guards.push(`${value} != null`);
  return { present: guards.join(' && '), value };
}

/** A JSON value as a CEL literal: numbers as doubles, mixed aggregates through dyn(). */
export function literal(value: JsonValue | undefined, at = 'condition'): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return stringLiteral(value, at);
  if (typeof value === 'number') return double(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const wrap = mixed(value);
    return `[${value.map((v) => (wrap ? `dyn(${literal(v, at)})` : literal(v, at))).join(', ')}]`;
  }
  const entries = Object.entries(value);
  const wrap = mixed(entries.map(([, v]) => v));
  return `{${entries.map(([k, v]) => `${stringLiteral(k, at)}: ${wrap ? `dyn(${literal(v, at)})` : literal(v, at)}`).join(', ')}}`;
}

/** Aggregates whose elements are not all scalars of one kind (CEL literals must be homogeneous). */
function mixed(values: JsonValue[]): boolean {
  const kinds = new Set(values.map((v) => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v)));
  return kinds.size > 1 || kinds.has('list') || kinds.has('object');
}

function double(n: number): string {
  const text = String(n);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

function stringLiteral(text: string, at: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (code >= 0xd800 && code <= 0xdfff) throw new Untranslatable(at, `the string ${JSON.stringify(text)} holds a lone surrogate, which a CEL string cannot`);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}
