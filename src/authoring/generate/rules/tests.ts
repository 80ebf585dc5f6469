// The tests a generated rule ships with: its atoms tried on both sides (every threshold at and
// beyond its value, every listed value, every exception granted and not). Each test expects what
// the sentence means for its rule; a decision, warnings or obligations only where no other rule
// of the policy can change them, so the tests hold for the whole policy.
import type { JsonValue, Rule } from '../../../policy/types';
import type { TestCase } from '../../../testing/test-file-schema';
import type { Atom, Facts } from './atoms';
import type { RuleDraft } from './build';

const AUTHORITATIVE = new Set(['allow', 'deny', 'needs_approval']);

/**
 * What every request to the proxy carries (a provider, an approved model, an output cap, a team
 * and a user), so the tests also hold beside the usual allowlists and limits (policies/): a test
 * about one rule should not fail for naming no provider. A fact the policy's sentences speak of
 * is never filled in, so "missing" stays missing. `also` are fields that stand for the same fact.
 */
const BASELINE: { field: string; value: JsonValue; also?: string[] }[] = [
  { field: 'llm.provider', value: 'openai' },
  { field: 'llm.model', value: 'gpt-4o-mini', also: ['llm.canonicalModel'] },
  { field: 'llm.maxTokens', value: 1024 },
  { field: 'team.id', value: 'team-a' },
  { field: 'team.tier', value: 'pro' },
  { field: 'user.id', value: 'user-a' },
];

export function testsFor(policyId: string, drafts: RuleDraft[]): TestCase[] {
  const rules = drafts.map((d) => d.rule);
  const tests: TestCase[] = [];
  const names = new Set<string>();
  const baseline = baselineFor(drafts);
  for (const draft of drafts) {
    for (const { facts, matches } of casesOf(draft)) {
      const test = { name: nameOf(draft.rule, facts, matches), context: contextOf({ ...baseline, ...facts }), expect: expectationOf(policyId, draft.rule, rules, matches) };
      if (names.has(test.name)) continue;
      names.add(test.name);
      tests.push(test);
    }
  }
  return tests;
}

interface Case { facts: Facts; matches: boolean }

/** The baseline facts no rule of the policy tests (a tested field, or one of its prefixes, is left to the cases). */
function baselineFor(drafts: RuleDraft[]): Facts {
  const tested = drafts.flatMap(({ atoms, exceptions }) => [...atoms, ...exceptions]).flatMap((a) => [...a.holds, ...a.fails]).flatMap((f) => Object.keys(f));
  const touches = (field: string) => tested.some((t) => t === field || t.startsWith(`${field}.`) || field.startsWith(`${t}.`));
  return Object.fromEntries(BASELINE.filter((b) => ![b.field, ...(b.also ?? [])].some(touches)).map((b) => [b.field, b.value]));
}

function casesOf({ atoms, exceptions }: RuleDraft): Case[] {
  const base: Facts = Object.assign({}, ...atoms.map((a) => a.holds[0]));
  const cases: Case[] = [{ facts: base, matches: true }];
  const vary = (atom: Atom, facts: Facts[], matches: boolean) => {
    for (const f of facts) cases.push({ facts: { ...withoutFieldsOf(base, atom), ...f }, matches });
  };
  for (const atom of atoms) {
    vary(atom, atom.holds.slice(1), true);
    vary(atom, atom.fails, false);
  }
  for (const exception of exceptions) {
    for (const f of exception.holds) cases.push({ facts: { ...base, ...f }, matches: false });
    cases.push({ facts: { ...base, ...exception.fails[0] }, matches: true });
  }
  return cases;
}

/** The base facts without the ones `atom` set, so a variant can leave a field out altogether. */
function withoutFieldsOf(base: Facts, atom: Atom): Facts {
  const fields = new Set([...atom.holds, ...atom.fails].flatMap((f) => Object.keys(f)));
  return Object.fromEntries(Object.entries(base).filter(([k]) => !fields.has(k)));
}

function expectationOf(policyId: string, rule: Rule, rules: Rule[], matches: boolean): TestCase['expect'] {
  const id = `${policyId}/${rule.id}`;
  const others = rules.filter((r) => r !== rule);
  const noOtherAuthority = !others.some((r) => AUTHORITATIVE.has(r.action.decision));
  const decision = rule.action.decision;
  // With no other rule that decides, a request this rule leaves alone is allowed.
  if (!matches) return noOtherAuthority ? { decision: 'allow', notMatchedRules: [id] } : { notMatchedRules: [id] };
  const expect: TestCase['expect'] = { matchedRules: [id] };
  // Deny overrides everything at one priority (spec §3), so a matching deny rule decides alone.
  if (decision === 'deny') expect.decision = 'deny';
  else if (decision === 'needs_approval' && !others.some((r) => r.action.decision === 'deny')) expect.decision = 'needs_approval';
  else if (!AUTHORITATIVE.has(decision) && noOtherAuthority) {
    expect.decision = 'allow';
    if (decision === 'warn' && !others.some((r) => r.action.decision === 'warn')) expect.warnings = [id];
    if (rule.action.obligations && !others.some((r) => r.action.obligations?.length)) expect.obligations = rule.action.obligations;
  }
  return expect;
}

function nameOf(rule: Rule, facts: Facts, matches: boolean): string {
  const shown = Object.entries(facts).map(([k, v]) => `${k} ${v === undefined ? 'missing' : JSON.stringify(v)}`);
  return `${rule.id} ${matches ? 'applies' : 'does not apply'}: ${shown.length ? shown.join(', ') : 'an empty request'}`;
}

/** Dotted facts -> the nested context a request would carry (absent facts are left out). */
export function contextOf(facts: Facts): Record<string, JsonValue> {
  const context: Record<string, JsonValue> = {};
  for (const [path, value] of Object.entries(facts)) {
    if (value === undefined) continue;
    const segments = path.split('.');
    let node = context;
    for (const segment of segments.slice(0, -1)) {
      if (typeof node[segment] !== 'object' || node[segment] === null || Array.isArray(node[segment])) node[segment] = {};
      node = node[segment] as Record<string, JsonValue>;
    }
    node[segments.at(-1)!] = value;
  }
  return context;
}
