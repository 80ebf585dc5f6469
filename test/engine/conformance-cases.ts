// The conformance table: policies + context → expected decision, for every operator on every value
// type and the spec's edge rules. Run in Node (test/engine/conformance.test.ts) and inside workerd
// (test/workerd/conformance.test.ts): the engine must decide identically in both.

import type { Condition, Decision, Policy } from '../../src/policy/types';

export interface ConformanceCase {
  name: string;
  policies: Policy[];
  context: Record<string, unknown>;
  defaultDecision?: 'allow' | 'deny';
  expect: Partial<Pick<Decision, 'decision' | 'reasons' | 'warnings' | 'obligations'>> & { matched?: string[] };
}

/** One deny rule with the condition: the decision tells whether the condition held. */
function leaf(name: string, condition: Condition, context: Record<string, unknown>, holds: boolean): ConformanceCase {
  return {
    name: `${name} → ${holds}`,
    policies: [{ metadata: { id: 'p' }, rules: [{ id: 'r', condition, action: { decision: 'deny', reason: 'held' } }] }],
    context,
    expect: { decision: holds ? 'deny' : 'allow', matched: holds ? ['p/r'] : [] },
  };
}

const c = (operator: string, field: string, value?: unknown, extra: Record<string, unknown> = {}): Condition =>
  ({ operator, field, ...(value === undefined ? {} : { value }), ...extra }) as Condition;

export const leafCases: ConformanceCase[] = [
  // eq: deep equality without coercion; missing and null are never equal.
  leaf('eq string same', c('eq', 'team.tier', 'free'), { team: { tier: 'free' } }, true),
  leaf('eq string differs', c('eq', 'team.tier', 'free'), { team: { tier: 'pro' } }, false),
  leaf('eq 1 = 1.0', c('eq', 'n', 1), { n: 1.0 }, true),
  leaf('eq 1 ≠ "1"', c('eq', 'n', 1), { n: '1' }, false),
  leaf('eq "1" ≠ 1', c('eq', 'n', '1'), { n: 1 }, false),
  leaf('eq true ≠ "true"', c('eq', 'b', true), { b: 'true' }, false),
  leaf('eq boolean', c('eq', 'b', false), { b: false }, true),
  leaf('eq list same order', c('eq', 'l', [1, 2]), { l: [1, 2] }, true),
  leaf('eq list other order', c('eq', 'l', [1, 2]), { l: [2, 1] }, false),
  leaf('eq object any key order', c('eq', 'o', { a: 1, b: [1] }), { o: { b: [1], a: 1 } }, true),
  leaf('eq object extra key', c('eq', 'o', { a: 1 }), { o: { a: 1, b: 2 } }, false),
  leaf('eq missing', c('eq', 'team.tier', 'free'), {}, false),
  leaf('eq null field is missing', c('eq', 'team.tier', 'free'), { team: { tier: null } }, false),
  // ne: the exact negation of eq.
  leaf('ne missing', c('ne', 'team.tier', 'free'), {}, true),
  leaf('ne null', c('ne', 'team.tier', 'free'), { team: { tier: null } }, true),
  leaf('ne same', c('ne', 'team.tier', 'free'), { team: { tier: 'free' } }, false),
  leaf('ne 1 vs "1"', c('ne', 'n', 1), { n: '1' }, true),
  leaf('ne list', c('ne', 'l', [1]), { l: [1] }, false),
  // gt gte lt lte: two finite numbers or two strings, else false.
  leaf('gt number', c('gt', 'n', 3), { n: 5 }, true),
  leaf('gt equal', c('gt', 'n', 3), { n: 3 }, false),
  leaf('gte equal', c('gte', 'n', 3), { n: 3 }, true),
  leaf('lt number', c('lt', 'n', 3), { n: 2.5 }, true),
  leaf('lte equal float', c('lte', 'n', 0.1), { n: 0.1 }, true),
  leaf('lt negative', c('lt', 'n', 0), { n: -1 }, true),
  leaf('gt string code units', c('gt', 's', 'a'), { s: 'b' }, true),
  leaf('gt uppercase sorts before lowercase', c('gt', 's', 'a'), { s: 'B' }, false),
  leaf('lt "10" < "9" as strings', c('lt', 's', '9'), { s: '10' }, true),
  leaf('gt string vs number', c('gt', 's', 3), { s: '5' }, false),
  leaf('gt number vs string', c('gt', 'n', '3'), { n: 5 }, false),
  leaf('gt missing', c('gt', 'n', 3), {}, false),
  leaf('lt missing', c('lt', 'n', 3), {}, false),
  leaf('lte boolean', c('lte', 'b', 1), { b: true }, false),
  leaf('gt list', c('gt', 'l', 0), { l: [1] }, false),
  // in / not_in.
  leaf('in scalar', c('in', 'm', ['gpt-4', 'gpt-4o']), { m: 'gpt-4o' }, true),
  leaf('in scalar absent', c('in', 'm', ['gpt-4']), { m: 'gpt-3.5' }, false),
  leaf('in no coercion', c('in', 'n', ['1']), { n: 1 }, false),
  leaf('in numbers 2 = 2.0', c('in', 'n', [1, 2]), { n: 2.0 }, true),
  leaf('in booleans', c('in', 'b', [true]), { b: true }, true),
  leaf('in list shares an element', c('in', 'roles', ['admin', 'ops']), { roles: ['dev', 'ops'] }, true),
  leaf('in list shares none', c('in', 'roles', ['admin']), { roles: ['dev'] }, false),
  leaf('in empty list x', c('in', 'roles', ['admin']), { roles: [] }, false),
  leaf('in object x is not a scalar', c('in', 'o', [{ a: 1 }]), { o: { a: 1 } }, false),
  leaf('in list x with object element', c('in', 'l', [{ a: 1 }]), { l: [{ a: 1 }] }, true),
  leaf('in missing', c('in', 'm', ['a']), {}, false),
  leaf('not_in missing', c('not_in', 'm', ['a']), {}, true),
  leaf('not_in absent', c('not_in', 'm', ['a']), { m: 'b' }, true),
  leaf('not_in present', c('not_in', 'm', ['a']), { m: 'a' }, false),
  leaf('not_in list sharing', c('not_in', 'roles', ['admin']), { roles: ['admin', 'dev'] }, false),
  // contains / not_contains.
  leaf('contains substring', c('contains', 'p', 'world'), { p: 'hello world' }, true),
  leaf('contains case-sensitive', c('contains', 'p', 'World'), { p: 'hello world' }, false),
  leaf('contains list element', c('contains', 'roles', 'a'), { roles: ['a', 'b'] }, true),
  leaf('contains list no element', c('contains', 'roles', 'c'), { roles: ['a', 'b'] }, false),
  leaf('contains list 1 = 1.0', c('contains', 'l', 1), { l: [1.0, 2] }, true),
  leaf('contains list of objects', c('contains', 'l', { k: 'v' }), { l: [{ k: 'v' }] }, true),
  leaf('contains list of lists', c('contains', 'l', [1]), { l: [[1], [2]] }, true),
  leaf('contains number x', c('contains', 'n', 2), { n: 123 }, false),
  leaf('contains string x number v', c('contains', 's', 2), { s: '123' }, false),
  leaf('contains missing', c('contains', 'p', 'a'), {}, false),
  leaf('not_contains missing', c('not_contains', 'p', 'a'), {}, true),
  leaf('not_contains present', c('not_contains', 'roles', 'admin'), { roles: ['admin'] }, false),
  leaf('not_contains absent', c('not_contains', 'roles', 'admin'), { roles: ['dev'] }, true),
  // matches: RE2, optional flags.
  leaf('matches anchored', c('matches', 'm', '^gpt-4'), { m: 'gpt-4o-mini' }, true),
  leaf('matches anywhere', c('matches', 'm', 'mini'), { m: 'gpt-4o-mini' }, true),
  leaf('matches case-sensitive', c('matches', 'm', '^gpt'), { m: 'GPT-4' }, false),
  leaf('matches flag i', c('matches', 'm', '^gpt', { flags: 'i' }), { m: 'GPT-4' }, true),
  leaf('matches without m', c('matches', 'p', '^b$'), { p: 'a\nb' }, false),
  leaf('matches flag m', c('matches', 'p', '^b$', { flags: 'm' }), { p: 'a\nb' }, true),
  leaf('matches without s', c('matches', 'p', 'a.b'), { p: 'a\nb' }, false),
  leaf('matches flag s', c('matches', 'p', 'a.b', { flags: 's' }), { p: 'a\nb' }, true),
  leaf('matches flags im', c('matches', 'p', '^B$', { flags: 'im' }), { p: 'a\nb' }, true),
  leaf('matches number x', c('matches', 'n', '1'), { n: 1 }, false),
  leaf('matches missing', c('matches', 'p', '.*'), {}, false),
  // starts_with / ends_with.
  leaf('starts_with', c('starts_with', 'm', 'claude-'), { m: 'claude-3-opus' }, true),
  leaf('starts_with no', c('starts_with', 'm', 'claude-'), { m: 'gpt-4' }, false),
  leaf('ends_with', c('ends_with', 'e', '@acme.com'), { e: 'a@acme.com' }, true),
  leaf('ends_with no', c('ends_with', 'e', '@acme.com'), { e: 'a@acme.co' }, false),
  leaf('starts_with list x', c('starts_with', 'l', 'a'), { l: ['ab'] }, false),
  leaf('ends_with missing', c('ends_with', 'e', 'x'), {}, false),
  // exists / not_exists.
  leaf('exists present', c('exists', 'a'), { a: 1 }, true),
  leaf('exists false is a value', c('exists', 'a'), { a: false }, true),
  leaf('exists 0 is a value', c('exists', 'a'), { a: 0 }, true),
  leaf('exists empty string is a value', c('exists', 'a'), { a: '' }, true),
  leaf('exists null', c('exists', 'a'), { a: null }, false),
  leaf('exists missing', c('exists', 'a.b'), { a: {} }, false),
  leaf('not_exists missing', c('not_exists', 'a'), {}, true),
  leaf('not_exists null', c('not_exists', 'a'), { a: null }, true),
  leaf('not_exists present', c('not_exists', 'a'), { a: [] }, false),
  // Field paths.
  leaf('path array index', c('eq', 'messages.0.role', 'system'), { messages: [{ role: 'system' }] }, true),
  leaf('path second index', c('eq', 'messages.1.role', 'user'), { messages: [{ role: 'system' }, { role: 'user' }] }, true),
  leaf('path index out of range', c('exists', 'messages.5'), { messages: [1] }, false),
  leaf('path non-canonical index 01', c('exists', 'messages.01'), { messages: [1, 2] }, false),
  leaf('path negative index', c('exists', 'messages.-1'), { messages: [1] }, false),
  leaf('path length of array', c('exists', 'messages.length'), { messages: [1] }, false),
  leaf('path string is not indexed', c('exists', 's.0'), { s: 'abc' }, false),
  leaf('path string length', c('exists', 's.length'), { s: 'abc' }, false),
  leaf('path numeric key on object', c('eq', 'o.0', 'x'), { o: { '0': 'x' } }, true),
  leaf('path inherited toString', c('exists', 'o.toString'), { o: {} }, false),
  leaf('path inherited constructor', c('exists', 'constructor'), {}, false),
  leaf('path own toString', c('eq', 'o.toString', 'mine'), { o: { toString: 'mine' } }, true),
  leaf('path through null', c('ne', 'a.b', 1), { a: null }, true),
  leaf('path through number', c('exists', 'a.b'), { a: 5 }, false),
  leaf('path array element null', c('exists', 'l.0'), { l: [null] }, false),
  // Known context fields take dedicated getters: same semantics on odd shapes.
  leaf('known field through a list', c('eq', 'team.tier', 'free'), { team: ['free'] }, false),
  leaf('known field through a string', c('exists', 'team.tier'), { team: 'free' }, false),
  leaf('known field through null', c('ne', 'llm.model', 'x'), { llm: null }, true),
  leaf('known field null value', c('not_exists', 'user.roles'), { user: { roles: null } }, true),
  leaf('known field list value', c('contains', 'user.roles', 'admin'), { user: { roles: ['dev', 'admin'] } }, true),
  leaf('known field number', c('gte', 'llm.estimatedCost', 1), { llm: { estimatedCost: 1 } }, true),
  leaf('unknown field with the same shape', c('eq', 'team.region', 'eu'), { team: { region: 'eu' } }, true),
  // valueField.
  leaf('valueField eq', c('eq', 'a', undefined, { valueField: 'b' }), { a: 'x', b: 'x' }, true),
  leaf('valueField eq differs', c('eq', 'a', undefined, { valueField: 'b' }), { a: 'x', b: 'y' }, false),
  leaf('valueField eq deep', c('eq', 'a', undefined, { valueField: 'b' }), { a: [1, { c: 2 }], b: [1, { c: 2 }] }, true),
  leaf('valueField missing', c('eq', 'a', undefined, { valueField: 'b' }), { a: 'x' }, false),
  leaf('valueField missing, both missing', c('eq', 'a', undefined, { valueField: 'b' }), {}, false),
  leaf('valueField missing negated', c('ne', 'a', undefined, { valueField: 'b' }), { a: 'x' }, true),
  leaf('valueField ne', c('ne', 'a', undefined, { valueField: 'b' }), { a: 'x', b: 'x' }, false),
  leaf('valueField gt numbers', c('gt', 'usage', undefined, { valueField: 'limit' }), { usage: 11, limit: 10 }, true),
  leaf('valueField gt mixed types', c('gt', 'usage', undefined, { valueField: 'limit' }), { usage: 11, limit: '10' }, false),
  leaf('valueField lte strings', c('lte', 'a', undefined, { valueField: 'b' }), { a: 'abc', b: 'abd' }, true),
  leaf('valueField in list', c('in', 'team.id', undefined, { valueField: 'allowed' }), { team: { id: 't1' }, allowed: ['t1'] }, true),
  leaf('valueField in non-list', c('in', 'team.id', undefined, { valueField: 'allowed' }), { team: { id: 't1' }, allowed: 't1' }, false),
  leaf('valueField not_in non-list', c('not_in', 'team.id', undefined, { valueField: 'allowed' }), { team: { id: 't1' }, allowed: 't1' }, true),
  leaf('valueField contains', c('contains', 'text', undefined, { valueField: 'needle' }), { text: 'abcdef', needle: 'cd' }, true),
  leaf('valueField not_contains missing', c('not_contains', 'text', undefined, { valueField: 'needle' }), { text: 'abc' }, true),
  leaf('valueField starts_with', c('starts_with', 'email', undefined, { valueField: 'prefix' }), { email: 'ann@x', prefix: 'ann' }, true),
  leaf('valueField ends_with non-string', c('ends_with', 'email', undefined, { valueField: 'suffix' }), { email: 'ann@x', suffix: 1 }, false),
  // Constants and composites.
  leaf('constant true', true, {}, true),
  leaf('constant false', false, {}, false),
  leaf('and empty', { operator: 'and', conditions: [] }, {}, true),
  leaf('or empty', { operator: 'or', conditions: [] }, {}, false),
  leaf('not true', { operator: 'not', condition: true }, {}, false),
  leaf('not conditions [false]', { operator: 'not', conditions: [false] }, {}, true),
  leaf('and all', { operator: 'and', conditions: [c('eq', 'a', 1), c('eq', 'b', 2)] }, { a: 1, b: 2 }, true),
  leaf('and one false', { operator: 'and', conditions: [c('eq', 'a', 1), c('eq', 'b', 2)] }, { a: 1, b: 3 }, false),
  leaf('or one true', { operator: 'or', conditions: [c('eq', 'a', 9), c('eq', 'b', 2)] }, { a: 1, b: 2 }, true),
  leaf('not missing leaf', { operator: 'not', condition: c('eq', 'a', 1) }, {}, true),
  leaf('nested', { operator: 'and', conditions: [{ operator: 'or', conditions: [false, c('exists', 'x')] }, { operator: 'not', condition: c('in', 'y', [1]) }] }, { x: 0, y: 2 }, true),
];

const rule = (id: string, decision: string, extra: Record<string, unknown> = {}) =>
  ({ id, condition: true, action: { decision, reason: `${id} says ${decision}` }, ...extra }) as Policy['rules'][number];
const policy = (id: string, rules: Policy['rules'], metadata: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Policy =>
  ({ metadata: { id, ...metadata }, rules, ...extra }) as Policy;

export const combiningCases: ConformanceCase[] = [
  {
    name: 'deny overrides allow within a tier',
    policies: [policy('a', [rule('allow-it', 'allow'), rule('deny-it', 'deny')])],
    context: {},
    expect: { decision: 'deny', reasons: ['deny-it says deny'], matched: ['a/allow-it', 'a/deny-it'] },
  },
  {
    name: 'a higher-priority allow is an exception to lower denies',
    policies: [policy('a', [rule('deny-it', 'deny'), rule('vip', 'allow', { priority: 200 })], { priority: 100 })],
    context: {},
    expect: { decision: 'allow', reasons: ['vip says allow'], matched: ['a/vip', 'a/deny-it'] },
  },
  {
    name: 'needs_approval beats allow within a tier',
    policies: [policy('a', [rule('ok', 'allow'), rule('ask', 'needs_approval')])],
    context: {},
    expect: { decision: 'needs_approval', reasons: ['ask says needs_approval'] },
  },
  {
    name: 'deny beats needs_approval within a tier',
    policies: [policy('a', [rule('ask', 'needs_approval'), rule('no', 'deny')])],
    context: {},
    expect: { decision: 'deny', reasons: ['no says deny'] },
  },
  {
    name: 'lower-tier deny does not add reasons to a higher-tier allow',
    policies: [policy('a', [rule('low-deny', 'deny', { priority: 1 }), rule('high-allow', 'allow', { priority: 2 })])],
    context: {},
    expect: { decision: 'allow', reasons: ['high-allow says allow'], matched: ['a/high-allow', 'a/low-deny'] },
  },
  {
    name: 'no match: default allow with the spec reason',
    policies: [policy('a', [{ id: 'never', condition: false, action: { decision: 'deny', reason: 'x' } }])],
    context: {},
    expect: { decision: 'allow', reasons: ['no rule matched: default allow'], matched: [] },
  },
  {
    name: 'no match: bundle default deny',
    policies: [policy('a', [{ id: 'never', condition: false, action: { decision: 'allow' } }])],
    context: {},
    defaultDecision: 'deny',
    expect: { decision: 'deny', reasons: ['no rule matched: default deny'] },
  },
  {
    name: 'warn rules warn but do not decide',
    policies: [policy('a', [rule('careful', 'warn'), { id: 'bare', condition: true, action: { decision: 'warn' } }])],
    context: {},
    expect: {
      decision: 'allow',
      reasons: ['no rule matched: default allow'],
      warnings: [
        { policyId: 'a', ruleId: 'careful', message: 'careful says warn' },
        { policyId: 'a', ruleId: 'bare', message: 'warn by a/bare' },
      ],
      matched: ['a/careful', 'a/bare'],
    },
  },
  {
    name: 'warnings are kept on a deny',
    policies: [policy('a', [rule('careful', 'warn'), rule('no', 'deny')])],
    context: {},
    expect: { decision: 'deny', warnings: [{ policyId: 'a', ruleId: 'careful', message: 'careful says warn' }] },
  },
  {
    name: 'a deciding rule without a reason gets the fallback',
    policies: [policy('p', [{ id: 'r', condition: true, action: { decision: 'deny' } }])],
    context: {},
    expect: { decision: 'deny', reasons: ['deny by p/r'] },
  },
  {
    name: 'an empty reason counts as none',
    policies: [policy('p', [{ id: 'r', condition: true, action: { decision: 'needs_approval', reason: '' } }])],
    context: {},
    expect: { decision: 'needs_approval', reasons: ['needs_approval by p/r'] },
  },
  {
    name: 'obligations in priority, policy and rule order, exactly as written, on allow',
    policies: [
      policy('b', [{ id: 'clamp', condition: true, action: { decision: 'modify', obligations: [{ type: 'set_max_tokens', value: 512 }] } }]),
      policy('a', [
        { id: 'route', condition: true, action: { decision: 'modify', obligations: [{ type: 'route_model', model: 'gpt-4o-mini' }] } },
        { id: 'tag', priority: 5, condition: true, action: { decision: 'allow', obligations: [{ type: 'tag', key: 'k', value: 'v' }] } },
      ]),
    ],
    context: {},
    expect: {
      decision: 'allow',
      reasons: ['allow by a/tag'],
      obligations: [{ type: 'tag', key: 'k', value: 'v' }, { type: 'route_model', model: 'gpt-4o-mini' }, { type: 'set_max_tokens', value: 512 }],
      matched: ['a/tag', 'a/route', 'b/clamp'],
    },
  },
  {
    name: 'obligations are dropped when the decision is not allow',
    policies: [policy('a', [
      { id: 'clamp', condition: true, action: { decision: 'modify', obligations: [{ type: 'set_max_tokens', value: 5 }] } },
      rule('no', 'deny'),
    ])],
    context: {},
    expect: { decision: 'deny', obligations: [] },
  },
  {
    name: 'obligations of an outranked deny or needs_approval rule are never returned (spec §3)',
    policies: [policy('a', [
      { id: 'exception', priority: 10, condition: true, action: { decision: 'allow', obligations: [{ type: 'tag', key: 'why', value: 'exception' }] } },
      { id: 'no', condition: true, action: { decision: 'deny', reason: 'no', obligations: [{ type: 'set_max_tokens', value: 1 }] } },
      { id: 'ask', condition: true, action: { decision: 'needs_approval', reason: 'ask', obligations: [{ type: 'route_model', model: 'm' }] } },
    ])],
    context: {},
    expect: { decision: 'allow', obligations: [{ type: 'tag', key: 'why', value: 'exception' }], matched: ['a/exception', 'a/no', 'a/ask'] },
  },
  {
    name: 'reason templates render numbers, booleans, lists, objects and missing',
    policies: [policy('p', [{
      id: 'r', condition: true,
      action: { decision: 'deny', reason: 'cost {{llm.estimatedCost}} pii={{ llm.containsPII }} types={{llm.piiTypes}} t={{team}} gone=[{{nope.x}}] raw={{s}}' },
    }])],
    context: { llm: { estimatedCost: 1.5, containsPII: true, piiTypes: ['email', 'phone'] }, team: { id: 't' }, s: '{{llm.estimatedCost}}' },
    expect: { decision: 'deny', reasons: ['cost 1.5 pii=true types=["email","phone"] t={"id":"t"} gone=[] raw={{llm.estimatedCost}}'] },
  },
  {
    name: 'namespace: a policy for another namespace is skipped',
    policies: [policy('prod-only', [rule('no', 'deny')], { namespace: 'production' })],
    context: { metadata: { namespace: 'staging' } },
    expect: { decision: 'allow', matched: [] },
  },
  {
    name: 'namespace: project.environment is the fallback',
    policies: [policy('prod-only', [rule('no', 'deny')], { namespace: 'production' })],
    context: { project: { environment: 'production' } },
    expect: { decision: 'deny' },
  },
  {
    name: 'namespace: an empty metadata.namespace falls back to project.environment',
    policies: [policy('prod-only', [rule('no', 'deny')], { namespace: 'production' })],
    context: { metadata: { namespace: '' }, project: { environment: 'staging' } },
    expect: { decision: 'allow' },
  },
  {
    name: 'namespace: metadata.namespace wins over project.environment',
    policies: [policy('prod-only', [rule('no', 'deny')], { namespace: 'production' })],
    context: { metadata: { namespace: 'production' }, project: { environment: 'staging' } },
    expect: { decision: 'deny' },
  },
  {
    name: 'namespace: a request with no namespace sees every policy',
    policies: [policy('prod-only', [rule('no', 'deny')], { namespace: 'production' })],
    context: {},
    expect: { decision: 'deny' },
  },
  {
    name: 'namespace: matching is case-sensitive',
    policies: [policy('prod-only', [rule('no', 'deny')], { namespace: 'production' })],
    context: { project: { environment: 'Production' } },
    expect: { decision: 'allow' },
  },
  {
    name: 'disabled rules and draft/disabled policies are not evaluated',
    policies: [
      policy('a', [rule('off', 'deny', { enabled: false }), rule('on', 'warn')]),
      policy('b', [rule('draft', 'deny')], {}, { status: 'draft' }),
      policy('c', [rule('disabled', 'deny')], {}, { status: 'disabled' }),
    ],
    context: {},
    expect: { decision: 'allow', matched: ['a/on'] },
  },
  {
    name: 'matchedRules: descending priority, then policy id, then rule order',
    policies: [
      policy('zeta', [rule('z1', 'warn'), rule('z2', 'warn', { priority: 50 })], { priority: 10 }),
      policy('alpha', [rule('a1', 'warn'), rule('a2', 'warn')], { priority: 10 }),
    ],
    context: {},
    expect: { matched: ['zeta/z2', 'alpha/a1', 'alpha/a2', 'zeta/z1'] },
  },
  {
    name: 'policy ids sort by code units (uppercase-free ids: digits before letters)',
    policies: [policy('b-policy', [rule('r', 'warn')]), policy('a-policy', [rule('r', 'warn')]), policy('9-policy', [rule('r', 'warn')])],
    context: {},
    expect: { matched: ['9-policy/r', 'a-policy/r', 'b-policy/r'] },
  },
  {
    name: 'deciding rules are all the top-tier rules with the final decision, in order',
    policies: [policy('a', [rule('d1', 'deny'), rule('ok', 'allow'), rule('d2', 'deny')])],
    context: {},
    expect: { decision: 'deny', reasons: ['d1 says deny', 'd2 says deny'] },
  },
  {
    name: 'the seed README policy denies an expensive free-tier request',
    policies: [policy('cost-limit-policy', [{
      id: 'deny-expensive-models',
      condition: { operator: 'and', conditions: [c('gt', 'llm.estimatedCost', 1.0), c('eq', 'team.tier', 'free')] },
      action: { decision: 'deny', reason: 'Cost exceeds free tier limit ($1.00)' },
    }], { name: 'Monthly Cost Limit', version: '1.0.0', namespace: 'production', priority: 100 }, { status: 'active' })],
    context: { llm: { estimatedCost: 1.5 }, team: { tier: 'free' } },
    expect: { decision: 'deny', reasons: ['Cost exceeds free tier limit ($1.00)'], matched: ['cost-limit-policy/deny-expensive-models'] },
  },
];

export const conformanceCases: ConformanceCase[] = [...leafCases, ...combiningCases];
