// The phrases a sentence is made of, each read into atoms or settings: who it is about (tier,
// team, environment, namespace, provider, role), exceptions, hours and days, limits' scope and
// window, thresholds (cost, tokens, injection score, a reported metric), PII, amounts and models.
import type { Window } from '../../../policy/types';
import { isTrue, listHas, oneOf, othersThan, threshold, type Atom, type Facts } from './atoms';
import {
  CMP, comparisonOf, ENVIRONMENT, EXAMPLE_MODELS, listItems, MODEL_LIST, MONEY, NUM, PII_ANY, PII_LIST, piiKindsOf,
  PROVIDER, PROVIDERS, SCOPES, TIER, TIERS, WINDOWS,
} from './lexicon';
import { NotUnderstood, Reader } from './reader';
import { PII_TYPES } from '../../../lint/known-fields';

const ROLE = String.raw`[a-z0-9][a-z0-9_.:-]*`;
const AND_OR = String.raw`(?:\s*,\s*(?:or |and )?|\s(?:or|and)\s)`;
const ROLE_LIST = `${ROLE}(?:${AND_OR}${ROLE})*`;
const TEAM_ID = String.raw`team-[a-z0-9][a-z0-9_.-]*`;
const TEAM_LIST = `${TEAM_ID}(?:${AND_OR}${TEAM_ID})*`;
const TIER_LIST = `${TIER}(?:${AND_OR}${TIER})*`;

/** Who or where a rule is about; also what an exception names. */
export function readSubjects(r: Reader, atoms: Atom[]): void {
  r.take(String.raw`(?:(?:users|people|members|callers|anyone|employees|requests) (?:with|having|who have|that have|from users with) (?:the |a )?roles? (${ROLE_LIST}))`,
    (m) => atoms.push(listHas('user.roles', listItems(m[1]))));
  r.take(String.raw`(?:(?:for|on|in|to|by|of|from) )?(?:(?:all|any) )?(?:the )?(?:(?:teams|users|customers|accounts|requests) (?:on|in|from) (?:the )?)?(${TIER_LIST})[- ](?:tiers?|plans?)(?: (?:teams?|users?|customers?|accounts?|members?|requests?))?`,
    (m) => {
      const tiers = listItems(m[1]);
      atoms.push(oneOf('team.tier', tiers, othersThan(tiers, TIERS, 'other')));
    });
  r.take(String.raw`(?:(?:for|of|to|by|on|from) )?(?:the )?(?:teams? )?(${TEAM_LIST})`, (m) => {
    const teams = listItems(m[1]);
    atoms.push(oneOf('team.id', teams, ['team-other']));
  });
  r.take(String.raw`(?:(?:in|on|for|to|from) )?(?:the )?namespace (${ROLE})|(?:in|on|for|to|from) (?:the )?(${ROLE}) namespace`, (m) => {
    const ns = m[1] ?? m[2];
    atoms.push(oneOf('metadata.namespace', [ns], [`${ns}-other`]));
  });
  r.take(String.raw`(?:in|on|for|to|from) (?:the )?(?:${ENVIRONMENT}(?: environments?| env)?|(${ROLE}) environment)`, (m) => {
    const env = m[1] ?? m[2];
    atoms.push(oneOf('project.environment', [env], othersThan([env], ['staging', 'production', 'dev'], 'other')));
  });
  r.take(String.raw`(?:(?:from|to|on|via|through|for|with) )?(?:the )?${PROVIDER}(?: models?| api| provider)?`, (m) => {
    atoms.push(oneOf('llm.provider', [m[1]], othersThan([m[1]], PROVIDERS, 'other')));
  });
}

/** "unless the user has the role finance", "except for team-a": the rest of the sentence. */
export function readExceptions(r: Reader, exceptions: Atom[]): void {
  const clause = r.takeOne(String.raw`(?:,\s*)?(?:unless|except(?: for| when| if)?|but not(?: for)?|excluding|other than) (.+)$`);
  if (!clause) return;
  const inner = new Reader(clause[1]);
  inner.take(String.raw`(?:the |a |an )?(?:user|caller|requester|requestor|sender|they|he|she)s? (?:has|have|holds?|with|carries|carry) (?:the |a |an )?(?:roles? (${ROLE_LIST})|(${ROLE_LIST}) roles?)`,
    (m) => exceptions.push(listHas('user.roles', listItems(m[1] ?? m[2]))));
  inner.take(String.raw`(?:the )?(?:user|caller|requester) is (?:an?|the) (${ROLE})`, (m) => exceptions.push(listHas('user.roles', [m[1]])));
  inner.take(String.raw`(?:(?:for|by) )?(?:(?:users|people|members|callers) with )?(?:the |a )?(?:roles? (${ROLE_LIST})|(${ROLE_LIST}) roles?)`,
    (m) => exceptions.push(listHas('user.roles', listItems(m[1] ?? m[2]))));
  readSubjects(inner, exceptions);
  const left = inner.words().filter((w) => !FILLERS.has(w));
  if (left.length) throw new NotUnderstood(`could not place "${left.join(' ')}" in the exception "${clause[0].replace(/^,\s*/, '')}"`);
  if (exceptions.length === 0) throw new NotUnderstood(`the exception "${clause[0]}" names no role, team, tier or environment`);
}

export interface Hours { from: number; to: number; inside: boolean }

const HOUR = String.raw`(\d{1,2})(?::(\d{2}))?\s?(am|pm)?`;
const ZONES = String.raw`(?:est|edt|cst|cdt|mst|mdt|pst|pdt|cet|cest|bst|ist|jst|aest|aedt|eet|eest|wet|west|local time)`;

/** "outside 8am-6pm UTC", "between 9am and 5pm", "on weekdays", "at weekends": one atom. */
export function readTime(r: Reader, atoms: Atom[]): void {
  let hours: Hours | undefined;
  r.take(String.raw`(outside(?: of)?|beyond|between|during|from|within)\s(?:(?:business|office|working) hours\s)?(?:\(\s?)?${HOUR}\s?(?:-|to|until|till|and|through)\s?${HOUR}(?:\s?\))?(?:\s?(?:utc|gmt|z)|\s(${ZONES}))?`,
    (m) => {
      if (m[8]) throw new NotUnderstood(`hours are read in UTC (time.hour is UTC): write "${m[0].replace(m[8], 'utc')}" with the hours converted from ${m[8]}`);
      if ((m[3] && m[3] !== '00') || (m[6] && m[6] !== '00')) throw new NotUnderstood(`"${m[0]}": time.hour has whole hours only; write the hours without minutes`);
      hours = { from: hourOf(m[2], m[4] ?? m[7]), to: hourOf(m[5], m[7]), inside: !/^(outside|beyond)/.test(m[1]) };
    });
  let days: 'weekdays' | 'weekends' | undefined;
  r.take(String.raw`(?:(?:on|during|at|over) )?(?:the )?(weekdays|week days|workdays|working days|business days|monday (?:to|through|-) friday|mon-fri|weekends?|saturdays? (?:and|or) sundays?)`,
    (m) => { days = /week ?days|work|business|friday|fri/.test(m[1]) ? 'weekdays' : 'weekends'; });
  if (r.takeOne(String.raw`(?:outside|beyond) (?:of )?(?:business|office|working) hours`)) {
    throw new NotUnderstood('say which hours are business hours, e.g. "outside 9am-5pm utc on weekdays"');
  }
  if (hours) atoms.push(hoursAtom(hours, days));
  else if (days) atoms.push(daysAtom(days));
}

function hourOf(text: string, meridiem: string | undefined): number {
  const h = Number(text);
  const hour = meridiem === 'pm' ? (h % 12) + 12 : meridiem === 'am' ? h % 12 : h;
  if (!Number.isInteger(hour) || hour < 0 || hour > 24) throw new NotUnderstood(`"${text}${meridiem ?? ''}" is not an hour of the day`);
  return hour;
}

const WEEKEND = [0, 6];
const WEEKDAYS = [1, 2, 3, 4, 5];

function daysAtom(days: 'weekdays' | 'weekends'): Atom {
  const list = days === 'weekends' ? WEEKEND : WEEKDAYS;
  const other = days === 'weekends' ? WEEKDAYS : WEEKEND;
  return {
    condition: { operator: 'in', field: 'time.weekday', value: list },
    holds: [list[0], list.at(-1)!].map((d) => ({ 'time.weekday': d })),
    fails: [other[0], other.at(-1)!].map((d) => ({ 'time.weekday': d })),
    shows: ['time.iso'],
  };
}

/**
 * Outside from-to: hour < from or hour >= to; "on weekdays" makes the window weekday business
 * hours, so weekends are outside too. Between from-to: from <= hour < to (and a weekday if said).
 */
function hoursAtom({ from, to, inside }: Hours, days: 'weekdays' | 'weekends' | undefined): Atom {
  if (from >= to) throw new NotUnderstood(`the hours ${from}:00-${to}:00 run backwards; write the earlier hour first (a window across midnight is two sentences)`);
  const day = days === 'weekends' ? 6 : 2;
  const at = (hour: number, weekday = day): Facts => ({ 'time.hour': hour, 'time.weekday': weekday });
  const early = { operator: 'lt' as const, field: 'time.hour', value: from };
  const late = { operator: 'gte' as const, field: 'time.hour', value: to };
  if (!inside) {
    const parts = [early, late, ...(days === 'weekdays' ? [{ operator: 'in' as const, field: 'time.weekday', value: WEEKEND }] : [])];
    const condition = days === 'weekends'
      ? { operator: 'and' as const, conditions: [{ operator: 'or' as const, conditions: [early, late] }, daysAtom('weekends').condition] }
      : { operator: 'or' as const, conditions: parts };
    const holds = [...(from > 0 ? [at(from - 1)] : []), ...(to < 24 ? [at(to)] : []), ...(days === 'weekdays' ? [at(from, 0), at(to - 1, 6)] : [])];
    const fails = [at(from, days === 'weekdays' ? 1 : day), at(to - 1, days === 'weekdays' ? 5 : day)];
    if (holds.length === 0) throw new NotUnderstood('outside 0-24 is never: the hours cover the whole day');
    return { condition, holds, fails, shows: ['time.iso'] };
  }
  const conditions = [
    { operator: 'gte' as const, field: 'time.hour', value: from },
    { operator: 'lt' as const, field: 'time.hour', value: to },
    ...(days ? [daysAtom(days).condition] : []),
  ];
  const otherDay = days === 'weekends' ? 2 : days === 'weekdays' ? 0 : day;
  return {
    condition: { operator: 'and', conditions },
    holds: [at(from), at(to - 1)],
    fails: [...(from > 0 ? [at(from - 1)] : []), ...(to < 24 ? [at(to)] : []), ...(days ? [at(from, otherDay)] : [])],
    shows: ['time.iso'],
  };
}

export interface Limit {
  scope?: { noun: string; field: string; example: string };
  window?: Window;
}

/** "per user", "each team", "per day", "a month", "daily". */
export function readLimitWords(r: Reader, limit: Limit): void {
  r.take(String.raw`(?:per|a|an|each|every|/)\s?(second|sec|week|year|quarter|fortnight)|(?:weekly|yearly|annually|quarterly)`, (m) => {
    throw new NotUnderstood(`windows are minute, hour, day or month (calendar, utc), not "${m[0]}"`);
  });
  r.take(String.raw`(?:per|a|an|each|every|/)\s?(minute|min|hour|day|month)|(minutely|hourly|daily|monthly)`, (m) => {
    limit.window = WINDOWS[m[1] ?? m[2]];
  });
  r.take(String.raw`(?:per|each|every|for each|for every)\s(user|team|project|model|provider)s?`, (m) => {
    limit.scope = { noun: m[1], ...SCOPES[m[1]] };
  });
  r.take(String.raw`per (?:request|call|response|completion)`, () => undefined);
}

/** Thresholds on what enrichment measures, and PII. */
export function readPredicates(r: Reader, atoms: Atom[], pii: { kinds?: string[] }): void {
  r.take(String.raw`(?:(?:that|which|whose|with an?|with|when|if)\s)?(?:(?:the|its)\s)?(?:estimated\s)?(?:costs?|costing|spend(?:ing)?|price)?\s?(?:is\s|of\s|are\s)?${CMP}\s?${MONEY}`,
    (m) => atoms.push(threshold('llm.estimatedCost', comparisonOf(m[1]), Number(m[2] ?? m[3]), false)));
  r.take(String.raw`(?:(?:that|which|with|asking for|requesting|when|if)\s)?(?:(?:the|its)\s)?(?:max(?:imum)?[ _]?tokens|max output|output tokens|completion tokens)\s?(?:of\s|is\s|are\s)?${CMP}\s?(${NUM})|${CMP}\s(${NUM})\s(?:output|completion|max) tokens`,
    (m) => atoms.push(threshold('llm.maxTokens', comparisonOf(m[1] ?? m[3]), Number(m[2] ?? m[4]), true)));
  r.take(String.raw`(?:(?:that|which|whose)\s)?(?:(?:uses?|using|with|has|have|needs?|of|asks? for|sends?|contains?|containing|is|are|longer|bigger|larger)\s)?${CMP}\s(${NUM})\s(?:prompt\s|input\s|estimated\s)?tokens?`,
    (m) => atoms.push(threshold('llm.estimatedTokens', comparisonOf(m[1]), Number(m[2]), true)));
  r.take(String.raw`(?:(?:with|that have|having|when|if|whose)\s)?(?:(?:an?|the)\s)?(?:prompt[- ])?injections?(?:\s(?:attempts?|scores?|risk|probability))*(?:\s(?:of|is))?\s?${CMP}\s?(${NUM})`,
    (m) => {
      const score = Number(m[2]);
      if (score > 1) throw new NotUnderstood(`an injection score is between 0 and 1, got ${m[2]}`);
      atoms.push(threshold('llm.injectionScore', comparisonOf(m[1]), score, false));
    });
  r.take(String.raw`(?:(?:with|containing|that contains?|which contains?|that includes?|including|carrying|that has|having|that have|contain)\s)?(?:any\s)?(?:(${PII_ANY})|(${PII_LIST}))`,
    (m) => {
      if (m[1]) {
        pii.kinds = [];
        atoms.push(isTrue('llm.containsPII'));
      } else {
        const kinds = piiKindsOf(m[2]);
        pii.kinds = kinds;
        atoms.push(piiAtom(kinds));
      }
    });
  readMetric(r, atoms);
}

function piiAtom(kinds: string[]): Atom {
  const other = PII_TYPES.find((k) => !kinds.includes(k)) ?? 'secret';
  return {
    condition: { operator: 'in', field: 'llm.piiTypes', value: kinds },
    holds: kinds.map((k) => ({ 'llm.containsPII': true, 'llm.piiTypes': [k] })),
    fails: [{ 'llm.containsPII': true, 'llm.piiTypes': [other] }, { 'llm.containsPII': false, 'llm.piiTypes': [] }],
    shows: ['llm.piiTypes'],
  };
}

const METRIC_VERBS: Record<string, 'gt' | 'lt'> = {
  exceeds: 'gt', exceed: 'gt', 'is above': 'gt', 'goes above': 'gt', 'rises above': 'gt', 'is over': 'gt', 'goes over': 'gt',
  'is more than': 'gt', 'is greater than': 'gt', 'is higher than': 'gt',
  'drops below': 'lt', 'falls below': 'lt', 'is below': 'lt', 'is under': 'lt', 'is less than': 'lt', 'is lower than': 'lt',
};

/**
 * A rate the caller reports in metadata.metrics (policies/examples/error-budget.yaml): "when the
 * error rate exceeds 0.3% for 5 minutes" -> metadata.metrics.errorRate > 0.003 and
 * metadata.metrics.window == "5m".
 */
function readMetric(r: Reader, atoms: Atom[]): void {
  const verbs = Object.keys(METRIC_VERBS).join('|');
  r.take(String.raw`(?:when|if|whenever)\s(?:the\s)?([a-z]+(?: [a-z]+){0,3}?)\s(${verbs})\s(${NUM})(%)?(?:\s(?:for|over|in)\s(?:the\s)?(?:last\s)?(\d+)\s?(seconds?|secs?|s|minutes?|mins?|m|hours?|h))?`,
    (m) => {
      const field = `metadata.metrics.${camel(m[1])}`;
      const value = m[4] ? Number((Number(m[3]) / 100).toPrecision(12)) : Number(m[3]);
      atoms.push(threshold(field, METRIC_VERBS[m[2]], value, false));
      if (m[5]) {
        const window = `${Number(m[5])}${m[6][0]}`;
        atoms.push(oneOf('metadata.metrics.window', [window], [window === '1h' ? '5m' : '1h']));
      }
    });
}

function camel(words: string): string {
  return words.split(' ').map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
}

export interface Amount { unit: 'costUsd' | 'tokens' | 'requests'; value: number }

export function readAmount(r: Reader): Amount | undefined {
  let amount: Amount | undefined;
  const set = (a: Amount) => {
    if (amount) throw new NotUnderstood('a limit takes one amount per sentence: split "$50 and 1000 requests" into two sentences');
    amount = a;
  };
  r.take(MONEY, (m) => set({ unit: 'costUsd', value: Number(m[1] ?? m[2]) }));
  r.take(String.raw`(${NUM})\s(?:requests?|calls?|messages?|completions?)`, (m) => set({ unit: 'requests', value: Number(m[1]) }));
  r.take(String.raw`(${NUM})\s(?:(?:output|completion|max|prompt|input)\s)?tokens?`, (m) => set({ unit: 'tokens', value: Number(m[1]) }));
  return amount;
}

export function readModels(r: Reader): string[] | undefined {
  let models: string[] | undefined;
  r.take(String.raw`(?:(?:the )?models? )?(${MODEL_LIST})(?: models?)?`, (m) => {
    models = [...new Set([...(models ?? []), ...listItems(m[1])])];
  });
  return models;
}

/** Models a test can use that are not in `named`. */
export function otherModels(named: string[]): string[] {
  return othersThan(named, EXAMPLE_MODELS, 'some-other-model');
}

/** Words that carry no meaning of their own once the phrases around them are read. */
export const FILLERS = new Set([
  'the', 'a', 'an', 'any', 'all', 'requests', 'request', 'prompts', 'prompt', 'calls', 'call', 'completions', 'traffic',
  'messages', 'message', 'that', 'which', 'when', 'whenever', 'if', 'with', 'for', 'to', 'of', 'from', 'by', 'please',
  'use', 'using', 'uses', 'is', 'are', 'be', 'it', 'they', 'them', 'their', 'its', 'on', 'in', 'at', 'and', 'or',
  'whose', 'where', 'always', 'llm', 'api', 'models', 'model', 'teams', 'users', 'user', 'team', 'we', 'our', 'should',
  'sent', 'send', 'any', 'ones', 'one',
]);
