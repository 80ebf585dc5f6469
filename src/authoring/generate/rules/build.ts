// A read sentence -> its rule (with the atoms its tests come from) and, for limits, its budget or
// rate limit. Every check that a combination makes sense is here, each failing in one line.
import type { Budget, Condition, Obligation, RateLimit, Rule, RuleDecision } from '../../../policy/types';
import { absent, oneOf, threshold, type Atom } from './atoms';
import type { ReadAction } from './actions';
import { WINDOW_ADJECTIVE } from './lexicon';
import { otherModels, type Amount, type Limit } from './phrases';
import { NotUnderstood } from './reader';

export interface Reading extends ReadAction {
  /** The sentence as written. */
  sentence: string;
  subject: Atom[];
  predicates: Atom[];
  exceptions: Atom[];
  models?: string[];
  /** PII kinds the sentence names; empty: PII of any kind. */
  pii: { kinds?: string[] };
  amount?: Amount;
  limit: Limit;
}

/** A rule and the atoms it was built from (its tests try each one on both sides). */
export interface RuleDraft {
  rule: Rule;
  atoms: Atom[];
  exceptions: Atom[];
}

export interface Fragment {
  rules: RuleDraft[];
  budgets: Budget[];
  rateLimits: RateLimit[];
}

export function buildFragment(reading: Reading): Fragment {
  const { action } = reading;
  if (action === 'limit') return buildLimit(reading);
  refuseLimitWords(reading);
  if (action === 'only') return single(reading, 'deny', 'only-models', [...reading.subject, ...reading.predicates, onlyModels(reading)]);
  const models = reading.models ? [oneOf('llm.model', reading.models, otherModels(reading.models))] : [];
  const predicates = [...models, ...reading.predicates];
  if (action === 'cap') return buildCap(reading, predicates);
  if (action === 'redact') return buildRedact(reading, predicates);
  if (reading.amount) throw new NotUnderstood(`"${amountText(reading.amount)}" is an amount with nothing to compare it to: write "more than ${amountText(reading.amount)}", or "limit ... to ${amountText(reading.amount)}"`);
  if (predicates.length + reading.subject.length === 0) {
    throw new NotUnderstood('it does not say which requests: name models, a cost, tokens, pii, an injection score, hours, a tier, a team or an environment');
  }
  const decision: RuleDecision = action === 'warn' ? 'warn' : action;
  const verb = action === 'needs_approval' ? 'approve' : action;
  return single(reading, decision, `${verb}-${topicOf(predicates)}`, [...reading.subject, ...predicates]);
}

function single(reading: Reading, decision: RuleDecision, stem: string, atoms: Atom[], obligations?: Obligation[]): Fragment {
  const id = [stem, ...subjectWords(reading.subject)].join('-');
  const rule: Rule = {
    id: slug(id),
    name: reading.name ?? capitalize(reading.sentence),
    condition: conditionOf(atoms, reading.exceptions),
    action: { decision, reason: reasonOf(reading.sentence, atoms), ...(obligations ? { obligations } : {}) },
  };
  return { rules: [{ rule, atoms, exceptions: reading.exceptions }], budgets: [], rateLimits: [] };
}

function onlyModels(reading: Reading): Atom {
  if (!reading.models) throw new NotUnderstood('"only" needs the models that are allowed, e.g. "only gpt-4o-mini and claude-3-5-haiku for team-42"');
  if (reading.amount) throw new NotUnderstood(`"${amountText(reading.amount)}" has no place in an "only these models" sentence`);
  const others = otherModels(reading.models);
  return {
    condition: { operator: 'not_in', field: 'llm.model', value: reading.models },
    holds: [{ 'llm.model': others[0] }],
    fails: reading.models.map((m) => ({ 'llm.model': m })),
    shows: ['llm.model'],
  };
}

function buildCap(reading: Reading, predicates: Atom[]): Fragment {
  const { amount } = reading;
  if (!amount || amount.unit !== 'tokens') throw new NotUnderstood('a cap on output needs a number of tokens, e.g. "cap output at 1,000 tokens"');
  const cap: Atom = {
    condition: { operator: 'or', conditions: [{ operator: 'not_exists', field: 'llm.maxTokens' }, { operator: 'gt', field: 'llm.maxTokens', value: amount.value }] },
    holds: [{ 'llm.maxTokens': amount.value + 1 }, { 'llm.maxTokens': undefined }],
    fails: [{ 'llm.maxTokens': amount.value }],
    shows: ['llm.maxTokens'],
  };
  return single(reading, 'modify', 'cap-output', [...reading.subject, ...predicates, cap], [{ type: 'set_max_tokens', value: amount.value }]);
}

function buildRedact(reading: Reading, predicates: Atom[]): Fragment {
  const kinds = reading.pii.kinds;
  if (kinds === undefined) throw new NotUnderstood('say what to redact: pii, or kinds of it (emails, phone numbers, credit cards, ssns, ibans, ip addresses, secrets)');
  if (reading.amount) throw new NotUnderstood(`"${amountText(reading.amount)}" has no place in a redaction`);
  const obligation: Obligation = kinds.length ? { type: 'redact_pii', types: kinds } : { type: 'redact_pii' };
  return single(reading, 'modify', `redact-${kinds.length ? kinds.join('-') : 'pii'}`, [...reading.subject, ...predicates], [obligation]);
}

/** Budgets and rate limits have no condition: they count every request that has their scope field. */
function buildLimit(reading: Reading): Fragment {
  const { amount, limit } = reading;
  if (reading.subject.length || reading.predicates.length || reading.models || reading.exceptions.length) {
    throw new NotUnderstood('a budget or rate limit counts every request with its scope; it cannot be narrowed to some models, tiers, teams or exceptions here: write "limit each team to ...", and put the rest in a rule of its own');
  }
  if (!amount) throw new NotUnderstood('a limit needs an amount: dollars ($50), tokens (100,000 tokens) or requests (60 requests)');
  if (!limit.window) throw new NotUnderstood('a limit needs a window: per minute, per hour, per day or per month');
  if (!limit.scope) throw new NotUnderstood('a limit needs a scope: per user, per team, per project or per model ("limit each team to ...")');
  const { scope, window } = { scope: limit.scope, window: limit.window };
  const asRateLimit = amount.unit !== 'costUsd' && (window === 'minute' || window === 'hour');
  const what = { costUsd: 'spend', tokens: 'tokens', requests: 'requests' }[amount.unit];
  const described = `${amountText(amount)} per ${window} per ${scope.noun}`;
  if (asRateLimit) {
    const id = slug(`${scope.noun}-${what}-per-${window}`);
    const rateLimit: RateLimit = { id, scope: scope.field, window, limit: { [amount.unit]: amount.value } };
    const atom = absent(scope.field, scope.example);
    const rule: Rule = {
      id: slug(`warn-unscoped-${id}`),
      name: `Requests without ${scope.field} are not counted by ${id}`,
      condition: atom.condition,
      action: { decision: 'warn', reason: `This request has no ${scope.field}, so the rate limit ${id} (${described}) cannot count it` },
    };
    return { rules: [{ rule, atoms: [atom], exceptions: [] }], budgets: [], rateLimits: [rateLimit] };
  }
  const id = slug(`${scope.noun}-${WINDOW_ADJECTIVE[window]}-${what}`);
  const budget: Budget = { id, scope: scope.field, window, limit: { [amount.unit]: amount.value }, onExceed: 'deny' };
  // Spec §6 makes the budget's state a field: warn while a tenth of it is left, as policies/budgets.yaml does.
  const whole = amount.unit !== 'costUsd';
  const tenth = whole ? Math.max(1, Math.ceil(amount.value / 10)) : Number((amount.value / 10).toPrecision(12));
  const field = `budget.${id}.remaining.${amount.unit}`;
  const atom = threshold(field, 'lt', tenth, whole);
  const rule: Rule = {
    id: slug(`warn-${id}-low`),
    name: `Warn when less than ${amountText({ ...amount, value: tenth })} of ${id} is left`,
    condition: atom.condition,
    action: { decision: 'warn', reason: `${capitalize(scope.noun)} {{${scope.field}}} has {{${field}}} left of its ${amountText(amount)} per ${window}: requests are refused once it is used up` },
  };
  return { rules: [{ rule, atoms: [atom], exceptions: [] }], budgets: [budget], rateLimits: [] };
}

function refuseLimitWords(reading: Reading): void {
  const { scope, window } = reading.limit;
  if (scope || window) {
    const words = [scope && `per ${scope.noun}`, window && `per ${window}`].filter(Boolean).join(', ');
    throw new NotUnderstood(`"${words}" belongs to a limit ("limit each team to $50 per day"); a ${reading.action === 'needs_approval' ? 'approval' : reading.action} rule judges one request at a time`);
  }
}

export function conditionOf(atoms: Atom[], exceptions: Atom[]): Condition {
  const parts = atoms.map((a) => a.condition);
  if (exceptions.length) {
    const excepted = exceptions.length === 1 ? exceptions[0].condition : { operator: 'or' as const, conditions: exceptions.map((e) => e.condition) };
    parts.push({ operator: 'not', condition: excepted });
  }
  return parts.length === 1 ? parts[0] : { operator: 'and', conditions: parts };
}

function reasonOf(sentence: string, atoms: Atom[]): string {
  const shown = [...new Set(atoms.flatMap((a) => a.shows))];
  const facts = shown.map((f) => `${f} {{${f}}}`).join(', ');
  return `${capitalize(sentence)}${facts ? ` (${facts})` : ''}`;
}

const TOPICS: Array<[RegExp, string]> = [
  [/^llm\.model$/, 'models'], [/^llm\.estimatedCost$/, 'cost'], [/^llm\.estimatedTokens$/, 'tokens'], [/^llm\.maxTokens$/, 'max-tokens'],
  [/^llm\.injectionScore$/, 'injection'], [/^llm\.(containsPII|piiTypes)$/, 'pii'], [/^time\./, 'hours'], [/^llm\.provider$/, 'provider'],
];

function topicOf(atoms: Atom[]): string {
  const fields = atoms.flatMap((a) => leafFields(a.condition));
  for (const field of fields) {
    if (field.startsWith('metadata.metrics.') && field !== 'metadata.metrics.window') return kebab(field.slice('metadata.metrics.'.length));
    const topic = TOPICS.find(([re]) => re.test(field));
    if (topic) return topic[1];
  }
  return 'requests';
}

function leafFields(c: Condition): string[] {
  if (typeof c === 'boolean') return [];
  if ('field' in c) return [c.field];
  if (c.operator === 'not') return c.condition !== undefined ? leafFields(c.condition) : (c.conditions ?? []).flatMap(leafFields);
  return c.conditions.flatMap(leafFields);
}

/** The values a rule is about (free, team-42, production), for its id. */
function subjectWords(subject: Atom[]): string[] {
  return subject.flatMap((a) => {
    if (typeof a.condition === 'boolean' || !('value' in a.condition)) return [];
    const v = a.condition.value;
    return (Array.isArray(v) ? v : [v]).map(String);
  });
}

export function amountText(amount: Amount): string {
  if (amount.unit === 'costUsd') return `$${amount.value}`;
  return `${amount.value} ${amount.unit}`;
}

export function slug(text: string): string {
  const s = text.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/-+/g, '-').replace(/^[-._]+|[-._]+$/g, '');
  return s.slice(0, 64).replace(/[-._]+$/, '') || 'rule';
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
