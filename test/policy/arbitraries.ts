// fast-check arbitraries for valid policies (and contexts they can be evaluated against), for
// property tests here and in the engine. Values come mostly from small pools over a few field
// paths so that generated conditions often match generated contexts.
import fc from 'fast-check';
import type { Budget, Condition, JsonValue, LeafCondition, Obligation, Policy, RateLimit, Rule, RuleDecision } from '../../src/policy/types';

export const FIELD_PATHS = ['team.id', 'team.tier', 'llm.model', 'llm.estimatedCost', 'user.roles', 'messages.0.role'] as const;

const STRINGS = ['free', 'pro', 'enterprise', 'gpt-4', 'gpt-4o-mini', 'claude-3', 'admin', 'user', 'system', 'team-1', 'team-2', ''];
const NUMBERS = [0, 0.5, 1, 1.5, 2, 10, 100];

/** JSON cannot tell -0 from 0, so generated policies never hold -0. */
const withoutNegativeZero = (value: unknown): JsonValue => JSON.parse(JSON.stringify(value)) as JsonValue;

/** A finite number other than -0. */
const finiteNumber = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0));

/** Free text, including control characters, quotes, YAML indicators and non-ASCII. */
export const arbitraryText = (): fc.Arbitrary<string> =>
  fc.oneof(fc.string(), fc.string({ unit: 'binary-ascii' }), fc.string({ unit: 'grapheme' }), fc.constantFrom('yes', 'no', '~', 'null', '1.0', '0x1F', '- a', 'a: b', '#x', '---', '"q"', ' lead', 'trail ', '{{x}}'));
export const arbitraryString = (): fc.Arbitrary<string> => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...STRINGS) }, arbitraryText());
export const arbitraryNumber = (): fc.Arbitrary<number> =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...NUMBERS) }, fc.integer(), finiteNumber);
const scalar = (): fc.Arbitrary<string | number | boolean> => fc.oneof(arbitraryString(), arbitraryNumber(), fc.boolean());

/** Any JSON value a `value` may hold: not null at the top (that is an error), nulls allowed inside. */
const anyValue = (): fc.Arbitrary<JsonValue> =>
  fc.oneof(
    { weight: 4, arbitrary: scalar() },
    fc.array(scalar(), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'role', 'id'), fc.oneof(scalar(), fc.constant(null)), { maxKeys: 2 }),
  );

const fieldPath = () => fc.constantFrom(...FIELD_PATHS);

/** RE2 patterns that compile; used with `matches`. */
export const PATTERNS = ['^gpt-4', 'claude', '^[a-z]+$', 'free|pro', '\\d+', '(?i)ADMIN', '^$', 'a.c', '[^\\s]+-\\d'];
const flags = fc.subarray(['i', 'm', 's'], { minLength: 1 }).chain((letters) => fc.shuffledSubarray(letters, { minLength: letters.length }).map((l) => l.join('')));

/** Leaf comparing a field with `value` (of `value`'s kind) or, sometimes, with another field. */
function comparison(operators: LeafCondition['operator'][], value: fc.Arbitrary<JsonValue>): fc.Arbitrary<LeafCondition> {
  return fc.tuple(fc.constantFrom(...operators), fieldPath(), fc.oneof({ weight: 4, arbitrary: value.map((v) => ({ value: v })) }, fieldPath().map((f) => ({ valueField: f }))))
    .map(([operator, field, rhs]) => ({ operator, field, ...rhs }));
}

export function arbitraryLeaf(): fc.Arbitrary<LeafCondition> {
  return fc.oneof(
    comparison(['eq', 'ne', 'contains', 'not_contains'], anyValue()),
    comparison(['in', 'not_in'], fc.array(scalar(), { maxLength: 4 })),
    comparison(['gt', 'gte', 'lt', 'lte'], fc.oneof(arbitraryNumber(), arbitraryString())),
    comparison(['starts_with', 'ends_with'], arbitraryString()),
    fc.record({ operator: fc.constant('matches' as const), field: fieldPath(), value: fc.constantFrom(...PATTERNS), flags }, { requiredKeys: ['operator', 'field', 'value'] }),
    fc.record({ operator: fc.constantFrom('exists' as const, 'not_exists' as const), field: fieldPath() }),
  );
}

/** Nested conditions: leaves, constants, and/or/not (both `not` spellings), a few levels deep. */
export function arbitraryCondition(maxDepth = 3): fc.Arbitrary<Condition> {
  const { condition } = fc.letrec<{ condition: Condition }>((tie) => ({
    condition: fc.oneof(
      { maxDepth, depthIdentifier: 'condition' },
      { weight: 4, arbitrary: arbitraryLeaf() },
      fc.boolean(),
      fc.record({ operator: fc.constantFrom('and' as const, 'or' as const), conditions: fc.array(tie('condition'), { maxLength: 3 }) }),
      tie('condition').map((c): Condition => ({ operator: 'not', condition: c })),
      tie('condition').map((c): Condition => ({ operator: 'not', conditions: [c] })),
    ),
  }));
  return condition;
}

export function arbitraryObligation(): fc.Arbitrary<Obligation> {
  return fc.oneof(
    fc.integer({ min: 1, max: 100_000 }).map((value): Obligation => ({ type: 'set_max_tokens', value })),
    fc.option(fc.subarray(['email', 'phone', 'credit_card', 'ssn', 'iban', 'ip_address', 'secret']), { nil: undefined })
      .map((types): Obligation => (types ? { type: 'redact_pii', types } : { type: 'redact_pii' })),
    fc.constantFrom('gpt-4o-mini', 'claude-3-haiku').map((model): Obligation => ({ type: 'route_model', model })),
    fc.record({ type: fc.constant('add_header' as const), name: fc.constantFrom('x-policy', 'x-team'), value: arbitraryText().filter((s) => !/[\r\n\0]/.test(s)) }),
    fc.record({ type: fc.constant('tag' as const), key: fc.constantFrom('cost', 'route'), value: arbitraryString() }),
  );
}

const id = () => fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,15}$/);
const DECISIONS: RuleDecision[] = ['allow', 'deny', 'warn', 'modify', 'needs_approval'];
const REASONS = ['Cost {{llm.estimatedCost}} exceeds the limit', 'team {{ team.id }} blocked', 'no', ''];

export function arbitraryRule(): fc.Arbitrary<Rule> {
  const action = fc.constantFrom(...DECISIONS).chain((decision) =>
    fc.record(
      {
        decision: fc.constant(decision),
        reason: fc.oneof(fc.constantFrom(...REASONS), arbitraryText()),
        obligations: fc.array(arbitraryObligation(), { minLength: decision === 'modify' ? 1 : 0, maxLength: 3 }),
      },
      { requiredKeys: decision === 'modify' ? ['decision', 'obligations'] : ['decision'] },
    ),
  );
  return fc.record(
    {
      id: id(),
      name: arbitraryText(),
      description: arbitraryText(),
      enabled: fc.boolean(),
      priority: fc.integer({ min: -1000, max: 1000 }),
      stage: fc.constantFrom('request' as const, 'response' as const),
      onError: fc.constantFrom('deny' as const, 'allow' as const),
      condition: arbitraryCondition(),
      action,
    },
    { requiredKeys: ['id', 'condition', 'action'] },
  );
}

const window = () => fc.constantFrom('minute' as const, 'hour' as const, 'day' as const, 'month' as const);
const positiveInt = () => fc.integer({ min: 1, max: 1_000_000 });

function arbitraryBudget(): fc.Arbitrary<Budget> {
  const limit = fc
    .record({ costUsd: fc.double({ min: 0.01, max: 10_000, noNaN: true }), tokens: positiveInt(), requests: positiveInt() }, { requiredKeys: [] })
    .filter((l) => Object.keys(l).length > 0);
  return fc.record(
    { id: id().map((s) => `b-${s}`), scope: fieldPath(), window: window(), limit, onExceed: fc.constantFrom('deny' as const, 'warn' as const), onUnavailable: fc.constantFrom('deny' as const, 'allow' as const), lease: fc.constantFrom('auto' as const, 'off' as const) },
    { requiredKeys: ['id', 'scope', 'window', 'limit'] },
  );
}

function arbitraryRateLimit(): fc.Arbitrary<RateLimit> {
  const limit = fc.record({ requests: positiveInt(), tokens: positiveInt() }, { requiredKeys: [] }).filter((l) => Object.keys(l).length > 0);
  return fc.record(
    { id: id().map((s) => `r-${s}`), scope: fieldPath(), window: window(), limit, lease: fc.constantFrom('auto' as const, 'off' as const) },
    { requiredKeys: ['id', 'scope', 'window', 'limit'] },
  );
}

const semver = () =>
  fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20), fc.constantFrom('', '-beta.1', '-rc.2+build.5')).map(([a, b, c, pre]) => `${a}.${b}.${c}${pre}`);

export function arbitraryPolicy(): fc.Arbitrary<Policy> {
  const metadata = fc.record(
    {
      id: id(),
      name: arbitraryText(),
      version: semver(),
      namespace: fc.constantFrom('production', 'staging', 'dev'),
      priority: fc.integer({ min: -1000, max: 1000 }),
      description: arbitraryText(),
      tags: fc.array(fc.constantFrom('cost', 'security', 'pii')),
      source: fc.dictionary(arbitraryText().filter((k) => k !== '__proto__'), fc.jsonValue({ maxDepth: 2 }).map(withoutNegativeZero), { maxKeys: 3 }),
    },
    { requiredKeys: ['id'] },
  );
  return fc.record(
    {
      metadata,
      status: fc.constantFrom('active' as const, 'draft' as const, 'disabled' as const),
      rules: fc.uniqueArray(arbitraryRule(), { minLength: 1, maxLength: 4, selector: (rule) => rule.id }),
      budgets: fc.uniqueArray(arbitraryBudget(), { maxLength: 2, selector: (b) => b.id }),
      rateLimits: fc.uniqueArray(arbitraryRateLimit(), { maxLength: 2, selector: (r) => r.id }),
    },
    { requiredKeys: ['metadata', 'rules'] },
  );
}

/** Policies with distinct ids, as parsePolicies and compileBundle require. */
export function arbitraryPolicies(maxLength = 3): fc.Arbitrary<Policy[]> {
  return fc.uniqueArray(arbitraryPolicy(), { maxLength, selector: (policy) => policy.metadata.id });
}

/** A request context over FIELD_PATHS; any field may be missing or null. */
export function arbitraryContext(): fc.Arbitrary<Record<string, JsonValue>> {
  const maybe = <T extends JsonValue>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 5 });
  return fc.record(
    {
      team: fc.record({ id: maybe(arbitraryString()), tier: maybe(fc.constantFrom('free', 'pro', 'enterprise')) }, { requiredKeys: [] }),
      llm: fc.record({ model: maybe(arbitraryString()), estimatedCost: maybe(arbitraryNumber()) }, { requiredKeys: [] }),
      user: fc.record({ roles: maybe(fc.array(fc.constantFrom('admin', 'user', 'auditor'), { maxLength: 3 })) }, { requiredKeys: [] }),
      messages: fc.array(fc.record({ role: fc.constantFrom('system', 'user', 'assistant'), content: fc.string() }), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  );
}
