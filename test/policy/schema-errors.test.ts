// Every rule of the language's "precise rules": a bad policy is rejected, naming the path and
// pointing (line:column, the ▸) at the offending node.
import { describe, expect, it } from 'vitest';
import { parsePolicies } from '../../src/policy/parse';
import { expectPolicyError, type ExpectedError } from './expect-error';

/** A valid policy whose single rule has `condition` and `action` as given (YAML, 4-space indented). */
function withRule({ condition = 'true', action = 'action: {decision: allow}' }: { condition?: string; action?: string }): string {
  return `metadata:\n  id: p\nrules:\n  - id: r\n    condition: ${condition}\n    ${action}\n`;
}
const withCondition = (condition: string) => withRule({ condition });
const withAction = (action: string) => withRule({ action });
const RULES = `rules:\n  - id: r\n    condition: true\n    action: {decision: allow}\n`;

type Case = [name: string, marked: string, expected: ExpectedError];

function runCases(cases: Case[]): void {
  for (const [name, marked, expected] of cases) it(name, () => expectPolicyError(marked, expected));
}

describe('ids and metadata', () => {
  runCases([
    ['policy id must match the id pattern', `metadata:\n  id: ▸Cost_Limit\n${RULES}`, { path: 'metadata.id', message: 'invalid id "Cost_Limit"' }],
    ['policy id may not start with a dot', `metadata:\n  id: ▸.hidden\n${RULES}`, { path: 'metadata.id', message: 'invalid id' }],
    ['policy id is at most 128 characters', `metadata:\n  id: ▸${'a'.repeat(129)}\n${RULES}`, { path: 'metadata.id', message: 'invalid id' }],
    ['policy id is required', `▸metadata:\n  name: x\n${RULES}`.replace('▸metadata:\n  name', 'metadata:\n  ▸name'), { path: 'metadata.id', message: 'missing required key "id"' }],
    ['rule id must match the id pattern', `metadata: {id: p}\nrules:\n  - id: ▸"Deny All"\n    condition: true\n    action: {decision: deny}\n`, { path: 'rules[0].id', message: 'invalid id "Deny All"' }],
    [
      'rule ids are unique within a policy',
      `metadata: {id: p}\nrules:\n  - id: r\n    condition: true\n    action: {decision: deny}\n  - id: ▸r\n    condition: false\n    action: {decision: allow}\n`,
      { path: 'rules[1].id', message: 'duplicate rule id "r" (first used at rules[0])' },
    ],
    ['version must be semver', `metadata:\n  id: p\n  version: ▸"1.0"\n${RULES}`, { path: 'metadata.version', message: 'version "1.0" is not semver' }],
    ['a version YAML reads as a number says to write semver', `metadata:\n  id: p\n  version: ▸1.0\n${RULES}`, { path: 'metadata.version', message: 'semver string such as "1.0.0", got 1' }],
    ['priority is an integer', `metadata:\n  id: p\n  priority: ▸1.5\n${RULES}`, { path: 'metadata.priority', message: 'expected an integer, got 1.5' }],
    ['priority is finite', `metadata:\n  id: p\n  priority: ▸.inf\n${RULES}`, { path: 'metadata.priority', message: 'got Infinity' }],
    ['tags are strings', `metadata:\n  id: p\n  tags: [cost, ▸{a: 1}]\n${RULES}`, { path: 'metadata.tags[1]', message: 'expected a string, got a mapping' }],
    ['source holds only finite numbers', `metadata:\n  id: p\n  source: {generatedFrom: x, score: [1, ▸.nan]}\n${RULES}`, { path: 'metadata.source.score[1]', message: 'numbers must be finite, got NaN' }],
    ['status is active, draft or disabled', `metadata: {id: p}\nstatus: ▸enabled\n${RULES}`, { path: 'status', message: 'unknown status "enabled" (expected one of active, draft, disabled)' }],
    ['unknown top-level key suggests the nearest', `metadata: {id: p}\n${RULES}▸rateLimit: []\n`, { path: 'rateLimit', message: 'unknown key "rateLimit" (did you mean "rateLimits"?)' }],
    ['unknown metadata key lists the allowed keys when none is close', `metadata:\n  id: p\n  ▸owner: me\n${RULES}`, { path: 'metadata.owner', message: 'unknown key "owner" (expected one of id, name, version, namespace, priority, description, tags, source, mode)' }],
    ['rules are required', `▸metadata: {id: p}\n`, { path: 'rules', message: 'missing required key "rules"' }],
    ['rules must not be empty', `metadata: {id: p}\nrules: ▸[]\n`, { path: 'rules', message: 'needs at least 1 item' }],
  ]);
});

describe('rules', () => {
  runCases([
    [
      'a misspelt key is reported as such, not as the missing key it stands for',
      `metadata: {id: p}\nrules:\n  - id: r\n    ▸condtion: true\n    action: {decision: allow}\n`,
      { path: 'rules[0].condtion', message: 'unknown key "condtion" (did you mean "condition"?)' },
    ],
    ['condition is required (reported at the rule)', `metadata: {id: p}\nrules:\n  - ▸id: r\n    action: {decision: allow}\n`, { path: 'rules[0].condition', message: 'missing required key "condition"' }],
    ['action is required', `metadata: {id: p}\nrules:\n  - ▸id: r\n    condition: true\n`, { path: 'rules[0].action', message: 'missing required key "action"' }],
    ['enabled is a boolean', `metadata: {id: p}\nrules:\n  - id: r\n    enabled: ▸"no"\n    condition: true\n    action: {decision: allow}\n`, { path: 'rules[0].enabled', message: 'expected true or false, got "no"' }],
    ['rule priority is an integer', `metadata: {id: p}\nrules:\n  - id: r\n    priority: ▸high\n    condition: true\n    action: {decision: allow}\n`, { path: 'rules[0].priority', message: 'expected an integer, got "high"' }],
    ['stage is request or response', `metadata: {id: p}\nrules:\n  - id: r\n    stage: ▸reply\n    condition: true\n    action: {decision: allow}\n`, { path: 'rules[0].stage', message: 'unknown stage "reply" (expected one of request, response)' }],
    ['onError is deny or allow', `metadata: {id: p}\nrules:\n  - id: r\n    onError: ▸warn\n    condition: true\n    action: {decision: allow}\n`, { path: 'rules[0].onError', message: 'unknown onError "warn"' }],
    ['decision is one of the five', withAction('action: {decision: ▸block}'), { path: 'rules[0].action.decision', message: 'unknown decision "block" (expected one of allow, deny, warn, modify, needs_approval)' }],
    ['reason is a string', withAction('action: {decision: deny, reason: ▸[a]}'), { path: 'rules[0].action.reason', message: 'expected a string, got a list' }],
    ['a modify rule needs an obligation', withAction('action: {decision: modify, obligations: ▸[]}'), { path: 'rules[0].action.obligations', message: 'a modify rule needs at least one obligation' }],
    ['a modify rule without obligations at all', withAction('action: ▸{decision: modify}'), { path: 'rules[0].action.obligations', message: 'a modify rule needs at least one obligation' }],
  ]);
});

describe('conditions', () => {
  runCases([
    [
      'an unknown operator lists the operators and suggests the intended one',
      withCondition('{operator: ▸equals, field: team.tier, value: free}'),
      { path: 'rules[0].condition.operator', message: /^unknown operator "equals" \(expected one of and, or, not, eq, ne, .*\) \(did you mean "eq"\?\)$/ },
    ],
    ['operator is required', withCondition('▸{field: team.tier, value: free}'), { path: 'rules[0].condition.operator', message: 'missing required key "operator"' }],
    ['a condition is a mapping or a boolean ("yes" is a string in YAML 1.2)', withCondition('▸yes'), { path: 'rules[0].condition', message: 'a condition is a mapping with an "operator", or true/false; got "yes"' }],
    ['and needs conditions', withCondition('▸{operator: and}'), { path: 'rules[0].condition.conditions', message: 'missing required key "conditions"' }],
    ['or needs a list of conditions', withCondition('{operator: or, conditions: ▸{operator: exists, field: a}}'), { path: 'rules[0].condition.conditions', message: 'expected a list, got a mapping' }],
    [
      'errors deep in the tree carry the full path',
      withCondition('{operator: and, conditions: [true, {operator: or, conditions: [{operator: ▸equal, field: a, value: 1}]}]}'),
      { path: 'rules[0].condition.conditions[1].conditions[0].operator', message: 'unknown operator "equal"' },
    ],
    ['not takes condition or conditions, not both', withCondition('{operator: not, condition: true, conditions: ▸[false]}'), { path: 'rules[0].condition.conditions', message: 'not takes "condition" or "conditions", not both' }],
    ['not takes exactly one condition in conditions', withCondition('{operator: not, conditions: ▸[true, false]}'), { path: 'rules[0].condition.conditions', message: 'not takes exactly one condition, got 2' }],
    ['not with an empty conditions list', withCondition('{operator: not, conditions: ▸[]}'), { path: 'rules[0].condition.conditions', message: 'got 0' }],
    ['not needs a condition', withCondition('▸{operator: not}'), { path: 'rules[0].condition.condition', message: 'not needs a "condition"' }],
    ['an unknown key on a leaf suggests the nearest', withCondition('{operator: eq, ▸fild: team.tier, value: free}'), { path: 'rules[0].condition.fild', message: 'unknown key "fild" (did you mean "field"?)' }],
    ['a leaf needs a field', withCondition('▸{operator: eq, value: free}'), { path: 'rules[0].condition.field', message: 'missing required key "field"' }],
    ['a leaf needs value or valueField', withCondition('▸{operator: eq, field: team.tier}'), { path: 'rules[0].condition.value', message: 'eq needs a "value" (or a "valueField")' }],
    ['a leaf takes value or valueField, not both', withCondition('{operator: eq, field: a, value: 1, valueField: ▸b}'), { path: 'rules[0].condition.valueField', message: 'a leaf takes "value" or "valueField", not both' }],
    ['value: null is an error that suggests not_exists', withCondition('{operator: eq, field: a, value: ▸null}'), { path: 'rules[0].condition.value', message: 'use the not_exists operator' }],
    ['value: ~ is null too', withCondition('{operator: ne, field: a, value: ▸~}'), { path: 'rules[0].condition.value', message: 'must not be null' }],
    ['numbers must be finite', withCondition('{operator: gt, field: a, value: ▸.inf}'), { path: 'rules[0].condition.value', message: 'numbers must be finite, got Infinity' }],
    ['numbers inside values must be finite', withCondition('{operator: in, field: a, value: [1, ▸-.inf]}'), { path: 'rules[0].condition.value[1]', message: 'numbers must be finite, got -Infinity' }],
    ['in needs a list', withCondition('{operator: in, field: team.tier, value: ▸free}'), { path: 'rules[0].condition.value', message: 'in/not_in needs a list as value, got "free"' }],
    ['not_in needs a list', withCondition('{operator: not_in, field: a, value: ▸3}'), { path: 'rules[0].condition.value', message: 'needs a list as value, got 3' }],
    ['gt needs a number or string', withCondition('{operator: gt, field: a, value: ▸[1]}'), { path: 'rules[0].condition.value', message: 'gt/gte/lt/lte needs a number or a string as value, got a list' }],
    ['lte refuses booleans', withCondition('{operator: lte, field: a, value: ▸true}'), { path: 'rules[0].condition.value', message: 'got true' }],
    ['starts_with needs a string', withCondition('{operator: starts_with, field: a, value: ▸12}'), { path: 'rules[0].condition.value', message: 'starts_with/ends_with needs a string as value, got 12' }],
    ['ends_with needs a string', withCondition('{operator: ends_with, field: a, value: ▸{x: 1}}'), { path: 'rules[0].condition.value', message: 'got a mapping' }],
    ['matches needs a string value', withCondition('{operator: matches, field: a, value: ▸5}'), { path: 'rules[0].condition.value', message: 'expected a string, got 5' }],
    ['matches needs a value', withCondition('▸{operator: matches, field: a}'), { path: 'rules[0].condition.value', message: 'missing required key "value"' }],
    ['matches takes no valueField', withCondition('{operator: matches, field: a, value: x, valueField: ▸b}'), { path: 'rules[0].condition.valueField', message: 'matches needs a literal string "value"; "valueField" is not allowed' }],
    ['matches patterns must compile in RE2 (no backreferences)', withCondition(`{operator: matches, field: a, value: ▸'(a)\\1'}`), { path: 'rules[0].condition.value', message: 'invalid regular expression (RE2 syntax): invalid escape sequence' }],
    ['matches patterns must compile in RE2 (no lookahead)', withCondition(`{operator: matches, field: a, value: ▸'x(?=y)'}`), { path: 'rules[0].condition.value', message: 'invalid regular expression (RE2 syntax)' }],
    ['matches patterns must be well formed', withCondition(`{operator: matches, field: a, value: ▸'a(b'}`), { path: 'rules[0].condition.value', message: 'missing closing )' }],
    ['flags only on matches', withCondition('{operator: eq, field: a, value: x, flags: ▸i}'), { path: 'rules[0].condition.flags', message: '"flags" is only allowed on the matches operator' }],
    ['flags are not empty', withCondition(`{operator: matches, field: a, value: x, flags: ▸''}`), { path: 'rules[0].condition.flags', message: 'must be a non-empty string of distinct letters from i, m, s' }],
    ['flags are distinct', withCondition('{operator: matches, field: a, value: x, flags: ▸ii}'), { path: 'rules[0].condition.flags', message: 'flags "ii"' }],
    ['flags are only i, m, s', withCondition('{operator: matches, field: a, value: x, flags: ▸g}'), { path: 'rules[0].condition.flags', message: 'flags "g"' }],
    ['exists takes no value', withCondition('{operator: exists, field: a, value: ▸true}'), { path: 'rules[0].condition.value', message: 'exists and not_exists take no "value"' }],
    ['not_exists takes no valueField', withCondition('{operator: not_exists, field: a, valueField: ▸b}'), { path: 'rules[0].condition.valueField', message: 'take no "valueField"' }],
    ['field paths have no empty segments', withCondition('{operator: eq, field: ▸a..b, value: 1}'), { path: 'rules[0].condition.field', message: 'field path "a..b" has an empty segment' }],
    ['field paths are not empty', withCondition(`{operator: exists, field: ▸''}`), { path: 'rules[0].condition.field', message: 'field path is empty' }],
    ['valueField paths have no empty segments', withCondition('{operator: eq, field: a, valueField: ▸.b}'), { path: 'rules[0].condition.valueField', message: 'empty segment' }],
  ]);

  it('accepts every well-formed leaf, constant and combinator', () => {
    const conditions = [
      'true', 'false',
      '{operator: and, conditions: []}', '{operator: or, conditions: [true, false]}',
      '{operator: not, condition: false}', '{operator: not, conditions: [{operator: exists, field: a}]}',
      '{operator: eq, field: a, value: {x: [1, null]}}', '{operator: ne, field: a, valueField: b}',
      '{operator: gt, field: a, value: 1}', '{operator: gte, field: a, value: b}', '{operator: lt, field: a, value: -2.5}', '{operator: lte, field: a, valueField: b.c}',
      '{operator: in, field: a, value: []}', '{operator: not_in, field: a, value: [1, x, true]}',
      '{operator: contains, field: a, value: {role: admin}}', '{operator: not_contains, field: a, value: 0}',
      `{operator: matches, field: a, value: '^gpt-4(o|-turbo)?$', flags: ims}`, '{operator: starts_with, field: a, value: ""}', '{operator: ends_with, field: a, valueField: b}',
      '{operator: exists, field: messages.0.role}', '{operator: not_exists, field: a}',
    ];
    for (const condition of conditions) expect(parsePolicies(withCondition(condition), { format: 'yaml' })).toHaveLength(1);
  });
});

describe('obligations', () => {
  const obligation = (yaml: string) => withAction(`action: {decision: modify, obligations: [${yaml}]}`);
  runCases([
    ['unknown obligation types are errors, with a suggestion', obligation('{type: ▸redact}'), { path: 'rules[0].action.obligations[0].type', message: 'unknown obligation type "redact" (expected one of set_max_tokens, redact_pii, route_model, add_header, tag, remove_tools) (did you mean "redact_pii"?)' }],
    ['remove_tools needs at least one name', obligation('{type: remove_tools, names: ▸[]}'), { path: 'rules[0].action.obligations[0].names', message: 'remove_tools needs at least one tool name' }],
    ['remove_tools names are strings', obligation('{type: remove_tools, names: [shell, ▸3]}'), { path: 'rules[0].action.obligations[0].names[1]', message: 'expected a string, got 3' }],
    ['a misspelt remove_tools is suggested', obligation('{type: ▸remove_tool, names: [shell]}'), { path: 'rules[0].action.obligations[0].type', message: /\(did you mean "remove_tools"\?\)$/ }],
    ['an obligation needs a type', obligation('▸{value: 1}'), { path: 'rules[0].action.obligations[0].type', message: 'missing required key "type"' }],
    ['an obligation is a mapping', obligation('▸set_max_tokens'), { path: 'rules[0].action.obligations[0]', message: 'an obligation is a mapping with a "type", got "set_max_tokens"' }],
    ['unknown obligation keys are errors', obligation('{type: set_max_tokens, value: 1, ▸max: 2}'), { path: 'rules[0].action.obligations[0].max', message: 'unknown key "max"' }],
    ['set_max_tokens needs a value', obligation('▸{type: set_max_tokens}'), { path: 'rules[0].action.obligations[0].value', message: 'missing required key "value"' }],
    ['set_max_tokens is a positive integer (not 0)', obligation('{type: set_max_tokens, value: ▸0}'), { path: 'rules[0].action.obligations[0].value', message: 'must be greater than 0' }],
    ['set_max_tokens is a positive integer (not 1.5)', obligation('{type: set_max_tokens, value: ▸1.5}'), { path: 'rules[0].action.obligations[0].value', message: 'expected an integer, got 1.5' }],
    ['set_max_tokens is a number, not a string', obligation('{type: set_max_tokens, value: ▸"100"}'), { path: 'rules[0].action.obligations[0].value', message: 'expected an integer, got "100"' }],
    ['redact_pii types are a list', obligation('{type: redact_pii, types: ▸email}'), { path: 'rules[0].action.obligations[0].types', message: 'expected a list, got "email"' }],
    ['redact_pii types are strings', obligation('{type: redact_pii, types: [email, ▸3]}'), { path: 'rules[0].action.obligations[0].types[1]', message: 'expected a string, got 3' }],
    ['route_model needs a model', obligation('▸{type: route_model}'), { path: 'rules[0].action.obligations[0].model', message: 'missing required key "model"' }],
    ['a misplaced key is reported rather than the key it displaces', obligation('{type: route_model, ▸value: gpt-4}'), { path: 'rules[0].action.obligations[0].value', message: 'unknown key "value" (expected one of type, model)' }],
    ['route_model model is a string', obligation('{type: route_model, model: ▸4}'), { path: 'rules[0].action.obligations[0].model', message: 'expected a string, got 4' }],
    ['add_header needs a value', obligation('▸{type: add_header, name: x-team}'), { path: 'rules[0].action.obligations[0].value', message: 'missing required key "value"' }],
    ['add_header names are header tokens', obligation('{type: add_header, name: ▸"x team", value: v}'), { path: 'rules[0].action.obligations[0].name', message: 'invalid header name "x team"' }],
    ['add_header values cannot smuggle headers', obligation('{type: add_header, name: x-a, value: ▸"v\\r\\nx-b: 1"}'), { path: 'rules[0].action.obligations[0].value', message: 'must not contain line breaks' }],
    ['tag needs a key', obligation('▸{type: tag, value: v}'), { path: 'rules[0].action.obligations[0].key', message: 'missing required key "key"' }],
    ['tag value is a string', obligation('{type: tag, key: k, value: ▸1}'), { path: 'rules[0].action.obligations[0].value', message: 'expected a string, got 1' }],
  ]);

  it('returns obligations exactly as written', () => {
    const [policy] = parsePolicies(
      withAction('action: {decision: modify, obligations: [{type: set_max_tokens, value: 512}, {type: redact_pii}, {type: redact_pii, types: [email]}, {type: route_model, model: m}, {type: add_header, name: x-a, value: ""}, {type: tag, key: k, value: v}]}'),
    );
    expect(policy.rules[0].action.obligations).toEqual([
      { type: 'set_max_tokens', value: 512 },
      { type: 'redact_pii' },
      { type: 'redact_pii', types: ['email'] },
      { type: 'route_model', model: 'm' },
      { type: 'add_header', name: 'x-a', value: '' },
      { type: 'tag', key: 'k', value: 'v' },
    ]);
  });
});

describe('budgets and rate limits', () => {
  const budget = (yaml: string) => `metadata: {id: p}\n${RULES}budgets:\n  - ${yaml}\n`;
  const rateLimit = (yaml: string) => `metadata: {id: p}\n${RULES}rateLimits:\n  - ${yaml}\n`;
  runCases([
    ['a budget needs a scope', budget('▸{id: b, window: month, limit: {costUsd: 1}}'), { path: 'budgets[0].scope', message: 'missing required key "scope"' }],
    ['a budget scope is a field path', budget('{id: b, scope: ▸team..id, window: month, limit: {costUsd: 1}}'), { path: 'budgets[0].scope', message: 'empty segment' }],
    ['a budget id follows the id pattern', budget('{id: ▸Team Spend, scope: team.id, window: month, limit: {costUsd: 1}}'), { path: 'budgets[0].id', message: 'invalid id' }],
    ['window is minute, hour, day or month', budget('{id: b, scope: team.id, window: ▸week, limit: {costUsd: 1}}'), { path: 'budgets[0].window', message: 'unknown window "week" (expected one of minute, hour, day, month)' }],
    ['a budget limit needs at least one amount', budget('{id: b, scope: team.id, window: month, limit: ▸{}}'), { path: 'budgets[0].limit', message: 'at least one of costUsd, tokens, requests' }],
    ['budget amounts are positive', budget('{id: b, scope: team.id, window: month, limit: {costUsd: ▸-1}}'), { path: 'budgets[0].limit.costUsd', message: 'must be greater than 0' }],
    ['budget amounts are finite', budget('{id: b, scope: team.id, window: month, limit: {costUsd: ▸.inf}}'), { path: 'budgets[0].limit.costUsd', message: 'got Infinity' }],
    ['budget token counts are whole', budget('{id: b, scope: team.id, window: month, limit: {tokens: ▸10.5}}'), { path: 'budgets[0].limit.tokens', message: 'expected an integer' }],
    ['a misspelt limit key is suggested', budget('{id: b, scope: team.id, window: month, limit: {▸costUSD: 1}}'), { path: 'budgets[0].limit.costUSD', message: 'unknown key "costUSD" (did you mean "costUsd"?)' }],
    ['onExceed is deny or warn', budget('{id: b, scope: team.id, window: month, limit: {costUsd: 1}, onExceed: ▸block}'), { path: 'budgets[0].onExceed', message: 'unknown onExceed "block" (expected one of deny, warn)' }],
    ['onUnavailable is deny or allow', budget('{id: b, scope: team.id, window: month, limit: {costUsd: 1}, onUnavailable: ▸warn}'), { path: 'budgets[0].onUnavailable', message: 'unknown onUnavailable "warn" (expected one of deny, allow)' }],
    ['lease is auto or off', budget('{id: b, scope: team.id, window: month, limit: {costUsd: 1}, lease: ▸on}'), { path: 'budgets[0].lease', message: 'unknown lease "on" (expected one of auto, off)' }],
    ['a rate limit lease is auto or off', rateLimit('{id: r, scope: user.id, window: minute, limit: {requests: 1}, lease: ▸true}'), { path: 'rateLimits[0].lease', message: 'expected one of auto, off' }],
    [
      'budget ids are unique across budgets and rate limits',
      `metadata: {id: p}\n${RULES}budgets:\n  - {id: spend, scope: team.id, window: month, limit: {costUsd: 1}}\nrateLimits:\n  - {id: ▸spend, scope: user.id, window: minute, limit: {requests: 60}}\n`,
      { path: 'rateLimits[0].id', message: 'duplicate budget or rate limit id "spend" (first used at budgets[0])' },
    ],
    ['a rate limit takes requests and tokens only', rateLimit('{id: r, scope: user.id, window: minute, limit: {▸costUsd: 1}}'), { path: 'rateLimits[0].limit.costUsd', message: 'unknown key "costUsd" (expected one of requests, tokens)' }],
    ['a rate limit needs at least one amount', rateLimit('{id: r, scope: user.id, window: minute, limit: ▸{}}'), { path: 'rateLimits[0].limit', message: 'at least one of requests, tokens' }],
    ['a rate limit needs a window', rateLimit('▸{id: r, scope: user.id, limit: {requests: 1}}'), { path: 'rateLimits[0].window', message: 'missing required key "window"' }],
    ['rate limits take no onExceed', rateLimit('{id: r, scope: user.id, window: minute, limit: {requests: 1}, ▸onExceed: deny}'), { path: 'rateLimits[0].onExceed', message: 'unknown key "onExceed"' }],
  ]);

  it('accepts the budgets and rate limits of spec §6', () => {
    const text = `metadata: {id: p}\n${RULES}budgets:\n  - id: team-monthly-spend\n    scope: team.id\n    window: month\n    limit: { costUsd: 100 }\n    onExceed: deny\nrateLimits:\n  - id: user-rpm\n    scope: user.id\n    window: minute\n    limit: { requests: 60, tokens: 100000 }\n`;
    const [policy] = parsePolicies(text);
    expect(policy.budgets).toEqual([{ id: 'team-monthly-spend', scope: 'team.id', window: 'month', limit: { costUsd: 100 }, onExceed: 'deny' }]);
    expect(policy.rateLimits).toEqual([{ id: 'user-rpm', scope: 'user.id', window: 'minute', limit: { requests: 60, tokens: 100000 } }]);
  });
});
