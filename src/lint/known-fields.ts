// The request context fields something provides (spec §6, §7 and the proxy's response stage), with
// their JSON types where the spec fixes them, and what lint says about a path that is none of them.
import { nearest } from '../policy/suggest';

export type FieldType = 'number' | 'string' | 'boolean' | 'list';

/** Spec §7 `mcp.*`: set on MCP traffic (src/worker/mcp/policy.ts); arguments are the tool's own shape. */
const MCP_FIELDS: Readonly<Record<string, FieldType | undefined>> = {
  'mcp.server': 'string', 'mcp.method': 'string', 'mcp.tool.name': 'string', 'mcp.tool.arguments': undefined,
  'mcp.tool.description': 'string', 'mcp.tool.definitionHash': 'string', 'mcp.tool.pinnedHash': 'string', 'mcp.tool.definitionChanged': 'boolean',
};

/** Spec §7: what callers send and enrichment fills in. `undefined`: the type varies by provider. */
const REQUEST_FIELDS: Readonly<Record<string, FieldType | undefined>> = {
  'llm.provider': 'string', 'llm.model': 'string', 'llm.canonicalModel': 'string', 'llm.prompt': 'string', 'llm.messages': 'list',
  'llm.maxTokens': 'number', 'llm.temperature': 'number', 'llm.stream': 'boolean', 'llm.system': undefined,
  'llm.estimatedTokens': 'number', 'llm.estimatedCost': 'number', 'llm.containsPII': 'boolean', 'llm.piiTypes': 'list',
  'llm.injectionScore': 'number', 'llm.injectionSignals': 'list',
  'user.id': 'string', 'user.email': 'string', 'user.roles': 'list',
  'team.id': 'string', 'team.name': 'string', 'team.tier': 'string',
  'project.id': 'string', 'project.name': 'string', 'project.environment': 'string',
  'time.hour': 'number', 'time.weekday': 'number', 'time.iso': 'string',
  'llm.tools': 'list', 'llm.toolResults': 'list',
  'llm.toolResultsInjectionScore': 'number', 'llm.toolResultsInjectionSignals': 'list',
  'llm.toolResultsContainsPII': 'boolean', 'llm.toolResultsPiiTypes': 'list',
  'agent.sessionId': 'string', 'agent.step': 'number',
  ...MCP_FIELDS,
};

/** The request fields, for the generator's prompt. */
export const REQUEST_FIELD_NAMES: readonly string[] = Object.keys(REQUEST_FIELDS);

/** Set for `stage: response` rules only: the provider's answer and the real usage. */
const RESPONSE_FIELDS: Readonly<Record<string, FieldType | undefined>> = {
  'response.text': 'string', 'response.containsPII': 'boolean', 'response.piiTypes': 'list', 'response.toolCalls': 'list',
  'usage.inputTokens': 'number', 'usage.outputTokens': 'number', 'usage.totalTokens': 'number',
  // The MCP proxy scans tool results for injection too (src/worker/mcp/policy.ts).
  'response.injectionScore': 'number', 'response.injectionSignals': 'list',
};

/** The members of a list's object items (`undefined`: a shape that varies, anything below is fine). */
type ItemFields = Readonly<Record<string, FieldType | undefined>>;
const MESSAGE_FIELDS: ItemFields = { role: 'string', content: undefined };
/** Spec §7's tool shapes; the scan fields of llm.toolResults items are filled by enrichment. */
const TOOL_FIELDS: ItemFields = { name: 'string', description: 'string', parameters: undefined };
const TOOL_RESULT_FIELDS: ItemFields = {
  toolCallId: 'string', name: 'string', text: 'string',
  injectionScore: 'number', injectionSignals: 'list', containsPII: 'boolean', piiTypes: 'list',
};
const TOOL_CALL_FIELDS: ItemFields = { id: 'string', name: 'string', arguments: undefined, argumentsText: 'string' };

/** What the items of list fields hold: a type, or the members of object items. */
const LIST_ITEMS: Readonly<Record<string, FieldType | ItemFields | undefined>> = {
  'llm.messages': MESSAGE_FIELDS, 'llm.piiTypes': 'string', 'response.piiTypes': 'string', 'user.roles': 'string', 'llm.injectionSignals': undefined,
  'llm.tools': TOOL_FIELDS, 'llm.toolResults': TOOL_RESULT_FIELDS, 'response.toolCalls': TOOL_CALL_FIELDS,
  'llm.toolResultsInjectionSignals': 'string', 'llm.toolResultsPiiTypes': 'string',
};
const itemType = (item: FieldType | ItemFields | undefined): FieldType | undefined => (typeof item === 'string' ? item : undefined);
const itemFields = (item: FieldType | ItemFields | undefined): ItemFields | undefined => (typeof item === 'object' ? item : undefined);

/** Free-form namespaces: any path below them is the caller's own. */
const OPEN_ROOTS = new Set(['metadata', 'request']);

/** Spec §6 `budget.<id>.<state>.<amount>`; `reserved` and `leased` are in the budget snapshot beside the two the spec names. */
const BUDGET_STATES = ['remaining', 'used', 'reserved', 'leased'];
const BUDGET_AMOUNTS = ['costUsd', 'tokens', 'requests'];

/** Every fixed field path of the request and response context (editors complete these). */
export function contextFieldNames(): string[] {
  return [...Object.keys(REQUEST_FIELDS), ...Object.keys(RESPONSE_FIELDS)];
}

/** A path `$` can reach inside a quantifier, and what it holds (`object`: an item with members). */
export interface ElementField {
  path: string;
  type?: FieldType | 'object';
}

/**
 * Spec §10: what `$` can name inside `any` / `all` / `none` over the list at `listPath` (a context
 * path, `$` already resolved: `response.toolCalls`, or `llm.toolResults.0.piiTypes` for a nested
 * quantifier over a tool result's PII kinds). `$` itself always; `$.member` for object items.
 */
export function elementFields(listPath: string): ElementField[] {
  const item = Object.hasOwn(LIST_ITEMS, listPath) ? LIST_ITEMS[listPath] : nestedItem(listPath);
  const members = itemFields(item);
  if (!members) return [{ path: '$', type: itemType(item) }];
  return [{ path: '$', type: 'object' }, ...Object.entries(members).map(([name, type]) => ({ path: `$.${name}`, type }))];
}

/** The items of a list member of a list's items (`llm.toolResults.0.piiTypes`). */
function nestedItem(listPath: string): FieldType | undefined {
  const match = /^(.+)\.(0|[1-9][0-9]*)\.([^.]+)$/.exec(listPath);
  const members = match ? itemFields(LIST_ITEMS[match[1]]) : undefined;
  return match && members?.[match[3]] === 'list' ? nestedItemType(match[3]) : undefined;
}

/** Spec §7's PII kinds (`llm.piiTypes`, `response.piiTypes`, `redact_pii`). */
export const PII_TYPES = ['email', 'phone', 'credit_card', 'ssn', 'iban', 'ip_address', 'secret'];
/** Fields holding PII kinds; `llm.toolResults.0.piiTypes` is `$.piiTypes` inside a quantifier over tool results. */
export const PII_FIELDS = new Set(['llm.piiTypes', 'response.piiTypes', 'llm.toolResultsPiiTypes', 'llm.toolResults.0.piiTypes']);

export interface FieldScope {
  stage: 'request' | 'response';
  budgetIds: readonly string[];
}

export type FieldVerdict =
  | { known: true; type?: FieldType; itemType?: FieldType }
  | { known: false; message: string; suggestion: string };

const CANONICAL_INDEX = /^(0|[1-9][0-9]*)$/;

export function checkField(path: string, scope: FieldScope): FieldVerdict {
  const segments = path.split('.');
  if (OPEN_ROOTS.has(segments[0])) return { known: true };
  if (segments[0] === 'budget') return checkBudgetField(segments, scope.budgetIds);
  const fields = fieldsFor(scope.stage);
  const known = lookup(segments, fields);
  if (known) return known;
  if (scope.stage === 'request' && lookup(segments, RESPONSE_FIELDS)) {
    return {
      known: false,
      message: `field "${path}" is set only for stage: response rules; in a request rule it is always missing`,
      suggestion: 'add stage: response to the rule, or test a request field',
    };
  }
  // A misspelt open root (`metdata.team`) is best answered with the open root itself.
  const openRoots = [...OPEN_ROOTS].map((root) => [root, ...segments.slice(1)].join('.'));
  const index = segments.find((s) => CANONICAL_INDEX.test(s)) ?? '0';
  return unknownField(path, [...Object.keys(fields), ...itemPaths(fields, index), ...openRoots]);
}

/** `llm.messages.3.role` and the like, for suggestions on paths that index a list. */
function itemPaths(fields: Readonly<Record<string, FieldType | undefined>>, index: string): string[] {
  return Object.keys(fields)
    .filter((f) => fields[f] === 'list')
    .flatMap((f) => {
      const members = itemFields(LIST_ITEMS[f]);
      return members ? Object.keys(members).map((m) => `${f}.${index}.${m}`) : [`${f}.${index}`];
    });
}

function fieldsFor(stage: FieldScope['stage']): Readonly<Record<string, FieldType | undefined>> {
  return stage === 'response' ? { ...REQUEST_FIELDS, ...RESPONSE_FIELDS } : REQUEST_FIELDS;
}

/**
 * A known field, a prefix of one (`user`), an item of a known list (`llm.messages.0.role`), or
 * anything below a field whose shape varies by provider (`llm.messages.0.content.0.text`).
 */
function lookup(segments: string[], fields: Readonly<Record<string, FieldType | undefined>>): FieldVerdict | undefined {
  const path = segments.join('.');
  if (Object.hasOwn(fields, path)) {
    const type = fields[path];
    return { known: true, type, itemType: itemType(LIST_ITEMS[path]) };
  }
  if (Object.keys(fields).some((f) => f.startsWith(`${path}.`))) return { known: true };
  for (let cut = segments.length - 1; cut >= 1; cut--) {
    const parent = segments.slice(0, cut).join('.');
    if (!Object.hasOwn(fields, parent)) continue;
    if (fields[parent] === undefined) return { known: true };
    if (fields[parent] !== 'list') return undefined;
    const [index, ...rest] = segments.slice(cut);
    if (!CANONICAL_INDEX.test(index)) return undefined;
    const item = LIST_ITEMS[parent];
    if (rest.length === 0) return { known: true, type: itemType(item), itemType: undefined };
    if (item === undefined) return { known: true };
    const members = itemFields(item);
    if (!members || !Object.hasOwn(members, rest[0])) return undefined;
    const member = members[rest[0]];
    if (rest.length === 1) return { known: true, type: member, itemType: member === 'list' ? nestedItemType(rest[0]) : undefined };
    return member === undefined ? { known: true } : undefined;
  }
  return undefined;
}

/** Items of the list members of tool results (`piiTypes`, `injectionSignals`): strings. */
function nestedItemType(member: string): FieldType | undefined {
  return member === 'piiTypes' || member === 'injectionSignals' ? 'string' : undefined;
}

function checkBudgetField(segments: string[], budgetIds: readonly string[]): FieldVerdict {
  if (segments.length === 1) return { known: true };
  const id = segments[1];
  const path = segments.join('.');
  if (!budgetIds.includes(id)) {
    const near = nearest(id, budgetIds);
    const defined = budgetIds.length ? `budgets defined: ${budgetIds.join(', ')}` : 'the set defines no budgets';
    return {
      known: false,
      message: `field "${path}" names budget "${id}", which no policy in the set defines (${defined})`,
      suggestion: near ? `did you mean ${['budget', near, ...segments.slice(2)].join('.')}?` : `define a budget with id ${id}, or fix the id`,
    };
  }
  const [state, amount, ...more] = segments.slice(2);
  const fine = (state === undefined || BUDGET_STATES.includes(state)) && (amount === undefined || BUDGET_AMOUNTS.includes(amount)) && more.length === 0;
  if (fine) return { known: true, type: amount === undefined ? undefined : 'number' };
  const candidates = BUDGET_STATES.flatMap((s) => BUDGET_AMOUNTS.map((a) => `budget.${id}.${s}.${a}`));
  return unknownField(path, candidates);
}

function unknownField(path: string, candidates: readonly string[]): FieldVerdict {
  const near = nearest(path, candidates);
  if (near && near.toLowerCase() === path.toLowerCase()) {
    return { known: false, message: `unknown field "${path}" (field names are case-sensitive)`, suggestion: `did you mean ${near}?` };
  }
  return {
    known: false,
    message: `unknown field "${path}": nothing in the request context provides it, so it is always missing`,
    suggestion: near
      ? `did you mean ${near}?`
      : 'use a field of policy-language.md §7, or metadata.* for fields of your own',
  };
}

/** Fields that name a counter sensibly: an identity or a label, one value shared by many requests. */
export const SCOPE_FIELDS = new Set([
  'user.id', 'user.email', 'team.id', 'team.name', 'team.tier', 'project.id', 'project.name', 'project.environment',
  'llm.provider', 'llm.model', 'agent.sessionId',
]);
