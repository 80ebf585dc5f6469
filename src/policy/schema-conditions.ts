// Conditions (spec §2): and / or / not, leaf comparisons, and the constants true / false; and the
// quantifiers any / all / none over a list (spec §10).
import * as z from 'zod';
import { describeValue, languageErrors } from './messages';
import { dispatchOn, forbidden, isPlainObject, strict } from './schema-helpers';
import { fieldPathSchema, flagsSchema, leafValueSchema, regexSchema, type LeafValueKind } from './schema-values';
import { LEAF_OPERATOR_TABLE, LEAF_OPERATORS, operatorsOfKind, type OperatorKind } from './operators';
import type { Condition, LeafOperator } from './types';

const nested = z.lazy(() => conditionSchema);

export const allConditionSchema = strict({ operator: z.literal('and'), conditions: z.array(nested) });
export const anyConditionSchema = strict({ operator: z.literal('or'), conditions: z.array(nested) });

export const notConditionSchema = strict({
  operator: z.literal('not'),
  condition: nested.optional(),
  conditions: z.array(nested).optional(),
}).superRefine((not, ctx) => {
  const hasOne = not.condition !== undefined;
  const hasList = not.conditions !== undefined;
  if (hasOne && hasList) {
    ctx.addIssue({ code: 'custom', path: ['conditions'], message: 'not takes "condition" or "conditions", not both' });
  } else if (!hasOne && !hasList) {
    ctx.addIssue({ code: 'custom', path: ['condition'], message: 'not needs a "condition"' });
  } else if (hasList && not.conditions!.length !== 1) {
    ctx.addIssue({ code: 'custom', path: ['conditions'], message: `not takes exactly one condition, got ${not.conditions!.length}` });
  }
});

const quantifierShape = strict({
  operator: z.enum(['any', 'all', 'none']),
  field: fieldPathSchema,
  condition: nested,
});

const COMBINATOR_FOR: Readonly<Record<string, string>> = { any: 'or', all: 'and', none: 'not + or' };

/**
 * Spec §10: `condition` on each element of the list at `field`; `$` paths inside name the element.
 * `conditions` is what someone who meant or/and writes (any/all were their aliases once): say so.
 */
export const quantifiedConditionSchema = z.custom<Condition>(() => true).superRefine((value, ctx) => {
  if (isPlainObject(value) && value.conditions !== undefined) {
    const op = String(value.operator);
    ctx.addIssue({ code: 'custom', path: ['conditions'], message: `${op} is a quantifier: it takes a list "field" and one "condition" tested on each element; to combine several conditions use ${COMBINATOR_FOR[op] ?? 'and / or'}` });
    return;
  }
  const result = quantifierShape.safeParse(value, { error: languageErrors });
  if (!result.success) for (const issue of result.error.issues) ctx.addIssue(issue as z.core.$ZodRawIssue);
});

const NO_FLAGS = forbidden('"flags" is only allowed on the matches operator');

/** A leaf that compares `field` with a `value` (its shape from the operator table), or with another field. */
function comparisonLeaf(kind: OperatorKind) {
  const operators = operatorsOfKind(kind) as [LeafOperator, ...LeafOperator[]];
  return strict({
    operator: z.enum(operators),
    field: fieldPathSchema,
    value: leafValueSchema(LEAF_OPERATOR_TABLE[operators[0]].value as LeafValueKind, operators.join('/')).optional(),
    valueField: fieldPathSchema.optional(),
    flags: NO_FLAGS,
  }).superRefine((leaf, ctx) => {
    const hasValue = leaf.value !== undefined;
    if (hasValue && leaf.valueField !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['valueField'], message: 'a leaf takes "value" or "valueField", not both' });
    } else if (!hasValue && leaf.valueField === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${leaf.operator} needs a "value" (or a "valueField")` });
    }
  });
}


const matchesLeaf = strict({
  operator: z.literal('matches'),
  field: fieldPathSchema,
  value: regexSchema,
  valueField: forbidden('matches needs a literal string "value"; "valueField" is not allowed'),
  flags: flagsSchema.optional(),
});

const presenceLeaf = strict({
  operator: z.enum(operatorsOfKind('presence') as [LeafOperator, ...LeafOperator[]]),
  field: fieldPathSchema,
  value: forbidden('exists and not_exists take no "value"'),
  valueField: forbidden('exists and not_exists take no "valueField"'),
  flags: NO_FLAGS,
});

const SCHEMA_OF_KIND: Readonly<Record<OperatorKind, z.ZodType>> = {
  equality: comparisonLeaf('equality'),
  ordering: comparisonLeaf('ordering'),
  membership: comparisonLeaf('membership'),
  containment: comparisonLeaf('containment'),
  affix: comparisonLeaf('affix'),
  pattern: matchesLeaf,
  presence: presenceLeaf,
};

export const leafConditionSchemas = Object.fromEntries(
  LEAF_OPERATORS.map((op) => [op, SCHEMA_OF_KIND[LEAF_OPERATOR_TABLE[op].kind]]),
) as Readonly<Record<LeafOperator, z.ZodType>>;

/** Other spellings people reach for, so the error can point at the real operator. */
const OPERATOR_ALIASES: Readonly<Record<string, string>> = {
  equals: 'eq', equal: 'eq', '==': 'eq', '=': 'eq', '===': 'eq',
  not_equals: 'ne', not_equal: 'ne', neq: 'ne', '!=': 'ne', '!==': 'ne',
  greater_than: 'gt', '>': 'gt', greater_than_or_equal: 'gte', '>=': 'gte', ge: 'gte',
  less_than: 'lt', '<': 'lt', less_than_or_equal: 'lte', '<=': 'lte', le: 'lte',
  notin: 'not_in', nin: 'not_in', not_contain: 'not_contains', includes: 'contains',
  regex: 'matches', match: 'matches', regexp: 'matches', startswith: 'starts_with', endswith: 'ends_with',
  '&&': 'and', '||': 'or', '!': 'not', every: 'all', some: 'any',
  exist: 'exists', present: 'exists', missing: 'not_exists', not_exist: 'not_exists', absent: 'not_exists',
};

const checkByOperator = dispatchOn(
  'operator',
  {
    and: allConditionSchema, or: anyConditionSchema, not: notConditionSchema,
    ...leafConditionSchemas,
    any: quantifiedConditionSchema, all: quantifiedConditionSchema, none: quantifiedConditionSchema,
  },
  OPERATOR_ALIASES,
);

/** Any condition: `true`, `false`, or a mapping whose `operator` selects its shape. */
export const conditionSchema: z.ZodType<Condition> = z.custom<Condition>(() => true).superRefine((value, ctx) => {
  if (typeof value === 'boolean') return;
  if (value === undefined) {
    ctx.addIssue({ code: 'custom', message: 'missing required key "condition"' });
  } else if (!isPlainObject(value)) {
    ctx.addIssue({ code: 'custom', message: `a condition is a mapping with an "operator", or true/false; got ${describeValue(value)}` });
  } else {
    checkByOperator(value, ctx);
  }
});
