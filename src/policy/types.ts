// The policy language's types: what parsePolicies returns and compileBundle consumes.
// Spec: docs/policy-language.md. The zod schema in schema.ts validates these shapes.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What a rule's action says. warn and modify are advisory; the others are authoritative. */
export type RuleDecision = 'allow' | 'deny' | 'warn' | 'modify' | 'needs_approval';
/** What a Decision can come out as. */
export type FinalDecision = 'allow' | 'deny' | 'needs_approval';

export type LeafOperator =
  | 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte'
  | 'in' | 'not_in' | 'contains' | 'not_contains'
  | 'matches' | 'starts_with' | 'ends_with'
  | 'exists' | 'not_exists';

export interface LeafCondition {
  operator: LeafOperator;
  field: string;
  value?: JsonValue;
  valueField?: string;
  /** Only on `matches`: distinct letters from i, m, s. */
  flags?: string;
}

export interface AllCondition { operator: 'and'; conditions: Condition[] }
export interface AnyCondition { operator: 'or'; conditions: Condition[] }
export interface NotCondition { operator: 'not'; condition?: Condition; conditions?: Condition[] }

export type QuantifierOperator = 'any' | 'all' | 'none';

/**
 * Spec §10: `condition` tested on each element of the list at `field`. Inside it a path starting
 * with `$` is the current element (`$`, `$.name`); every other path is the whole context.
 */
export interface QuantifiedCondition { operator: QuantifierOperator; field: string; condition: Condition }

export type Condition = boolean | AllCondition | AnyCondition | NotCondition | QuantifiedCondition | LeafCondition;

export type Obligation =
  | { type: 'set_max_tokens'; value: number }
  | { type: 'redact_pii'; types?: string[] }
  | { type: 'route_model'; model: string }
  | { type: 'add_header'; name: string; value: string }
  | { type: 'tag'; key: string; value: string }
  /** Strip these offered tools from the request before it is forwarded. */
  | { type: 'remove_tools'; names: string[] };

export interface RuleAction {
  decision: RuleDecision;
  reason?: string;
  obligations?: Obligation[];
}

export interface Rule {
  id: string;
  name?: string;
  description?: string;
  enabled?: boolean;
  priority?: number;
  /** Extension for the proxy: `response` rules run on the provider's answer. Default `request`. */
  stage?: 'request' | 'response';
  /** What to do when evaluating or enriching for this rule fails. Default: deny for deny rules. */
  onError?: 'deny' | 'allow';
  /** Spec §10: a shadow rule is evaluated and reported in `Decision.shadow`, never decides. Default: the policy's. */
  mode?: RuleMode;
  condition: Condition;
  action: RuleAction;
}

export type RuleMode = 'enforce' | 'shadow';

export type Window = 'minute' | 'hour' | 'day' | 'month';

export interface Budget {
  id: string;
  /** Context path whose value selects the counter, e.g. `team.id`. */
  scope: string;
  window: Window;
  limit: { costUsd?: number; tokens?: number; requests?: number };
  onExceed?: 'deny' | 'warn';
  onUnavailable?: 'deny' | 'allow';
  /** `auto` (default): the edge may admit requests under a per-isolate lease of this budget; `off`: every request reserves at the counter. */
  lease?: 'auto' | 'off';
}

export interface RateLimit {
  id: string;
  scope: string;
  window: Window;
  limit: { requests?: number; tokens?: number };
  /** As Budget.lease. */
  lease?: 'auto' | 'off';
}

export interface PolicyMetadata {
  id: string;
  name?: string;
  version?: string;
  namespace?: string;
  priority?: number;
  description?: string;
  tags?: string[];
  source?: Record<string, JsonValue>;
  /** Default mode of the policy's rules (default enforce); a rule's own `mode` wins. */
  mode?: RuleMode;
}

export type PolicyStatus = 'active' | 'draft' | 'disabled';

export interface Policy {
  metadata: PolicyMetadata;
  status?: PolicyStatus;
  rules: Rule[];
  budgets?: Budget[];
  rateLimits?: RateLimit[];
}

export interface BundleSignature {
  alg: 'Ed25519';
  keyId: string;
  /** base64url of the Ed25519 signature over the canonical JSON of the bundle without `signature`. */
  value: string;
}

/** Spec §8: the compiled, signed unit the edge loads from KV. */
export interface Bundle {
  format: 'llm-policy-bundle/v1';
  version: string;
  createdAt: string;
  defaultDecision: 'allow' | 'deny';
  /** `sha256:<hex>` of the RFC 8785 canonical JSON of everything but hash and signature. */
  hash: string;
  policies: Policy[];
  signature?: BundleSignature;
}

export interface MatchedRule {
  policyId: string;
  ruleId: string;
  decision: RuleDecision;
  priority: number;
}

export interface Warning {
  policyId: string;
  ruleId: string;
  message: string;
}

/** One entry of an explain trace: a rule and, for its condition tree, what each node saw. */
export interface RuleTrace {
  policyId: string;
  ruleId: string;
  priority: number;
  /** Why the rule was not evaluated, when it was not. */
  skipped?: 'namespace' | 'indexed-out';
  /** A shadow rule: its match is reported in `Decision.shadow` only. */
  shadow?: true;
  matched: boolean;
  condition?: ConditionTrace;
}

export type ConditionTrace =
  | { kind: 'const'; result: boolean }
  | { kind: 'and' | 'or' | 'not'; result: boolean; children: ConditionTrace[] }
  | {
      kind: 'leaf';
      operator: LeafOperator;
      field: string;
      /** The resolved field value; absent when the field is missing. */
      actual?: JsonValue;
      missing: boolean;
      expected?: JsonValue;
      valueField?: string;
      result: boolean;
    }
  | {
      kind: 'quantifier';
      operator: QuantifierOperator;
      field: string;
      result: boolean;
      /** How many elements the list had (0 when the field is missing or not a list). */
      size: number;
      /** The first element that decided (made `any` true, `all` or `none` false), and its trace. */
      decidedBy?: { index: number; condition: ConditionTrace };
      /** When no element decided: each element's result, in order. */
      elements?: Array<{ index: number; result: boolean }>;
    };

/** Spec §10: a matched shadow rule, and what it would have decided. */
export interface ShadowMatch {
  policyId: string;
  ruleId: string;
  decision: RuleDecision;
}

/** Spec §4: the decision response. */
export interface Decision {
  decision: FinalDecision;
  allowed: boolean;
  reasons: string[];
  matchedRules: MatchedRule[];
  warnings: Warning[];
  obligations: Obligation[];
  bundle: { version: string; hash: string };
  /** Microseconds the evaluation took, measured only with `{timing: true}`; otherwise 0. */
  evaluationMicros: number;
  requestId?: string;
  /** Rules whose evaluation failed, and what their onError made of it. */
  errors?: Array<{ policyId: string; ruleId: string; message: string; onError: 'deny' | 'allow' }>;
  /** Matched shadow rules in rule order; present (possibly empty) whenever the bundle has shadow rules. */
  shadow?: ShadowMatch[];
  trace?: RuleTrace[];
}

export interface EvaluateOptions {
  explain?: boolean;
  requestId?: string;
  /** Which rules to run; default `request`. */
  stage?: 'request' | 'response';
  /** Measure `evaluationMicros` (two clock reads); without it the field is 0. */
  timing?: boolean;
}

export interface Evaluator {
  readonly bundle: Bundle;
  evaluate(context: object, opts?: EvaluateOptions): Decision;
}

export interface SourceLocation {
  file?: string;
  /** Index of the YAML document in a stream (0-based). */
  document?: number;
  /** YAML path, e.g. `rules[2].condition.operator`. */
  path: string;
  line?: number;
  column?: number;
}
