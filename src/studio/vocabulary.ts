// What the editor completes: the §7 context fields (lint's own list, so they cannot drift), the
// condition operators (the operator table's leaves, boolean and the §10 quantifiers), obligation
// types and decisions of the policy language.
import { contextFieldNames, PII_TYPES } from '../lint/known-fields';
import { LEAF_OPERATORS } from '../policy/operators';
import type { LeafOperator, Obligation, QuantifierOperator, RuleDecision } from '../policy/types';

export const CONTEXT_FIELDS: readonly string[] = contextFieldNames();

// Fails to compile when the language gains a quantifier or obligation a list lacks.
type Missing<All, Listed> = Exclude<All, Listed> extends never ? true : Exclude<All, Listed>;

// Spec §10: `any` / `all` / `none` of the list at `field`, with a `condition` on each element.
const QUANTIFIERS = ['any', 'all', 'none'] as const satisfies readonly QuantifierOperator[];
const allQuantifiersListed: Missing<QuantifierOperator, (typeof QUANTIFIERS)[number]> = true;
void allQuantifiersListed;

export const OPERATORS: readonly string[] = [...LEAF_OPERATORS, 'and', 'or', 'not', ...QUANTIFIERS];
export const LEAF_OPERATOR_NAMES: readonly LeafOperator[] = LEAF_OPERATORS;

const OBLIGATION_TYPES = ['set_max_tokens', 'redact_pii', 'route_model', 'add_header', 'tag', 'remove_tools'] as const satisfies readonly Obligation['type'][];
const allObligationsListed: Missing<Obligation['type'], (typeof OBLIGATION_TYPES)[number]> = true;
void allObligationsListed;
export const OBLIGATIONS: readonly string[] = OBLIGATION_TYPES;

const RULE_DECISIONS = ['deny', 'allow', 'needs_approval', 'warn', 'modify'] as const satisfies readonly RuleDecision[];
const allDecisionsListed: Missing<RuleDecision, (typeof RULE_DECISIONS)[number]> = true;
void allDecisionsListed;
export const DECISIONS: readonly RuleDecision[] = RULE_DECISIONS;
export { PII_TYPES };
