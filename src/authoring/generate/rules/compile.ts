// The rules backend: controlled English -> one policy and its tests, deterministically. Each
// sentence becomes one rule (and, for limits, a budget or rate limit); a sentence that does not
// read completely stops the whole text with one line naming it and what could not be placed.
import type { Policy } from '../../../policy/types';
import type { TestCase } from '../../../testing/test-file-schema';
import { normalize, splitSentences, type Sentence } from '../sentences';
import { readAction } from './actions';
import type { Atom } from './atoms';
import { buildFragment, capitalize, conditionOf, slug, type Fragment, type Reading } from './build';
import { readAmount, readExceptions, readLimitWords, readModels, readPredicates, readSubjects, readTime } from './phrases';
import { NotUnderstood, Reader } from './reader';
import { testsFor } from './tests';

export interface Compiled {
  policy: Policy;
  tests: TestCase[];
}

export type CompileResult = { ok: true; compiled: Compiled } | { ok: false; message: string };

export interface CompileOptions {
  /** Atoms every rule gets besides its own (a pattern's scope). */
  scope?: Atom[];
}

export function compileEnglish(text: string, opts: CompileOptions = {}): CompileResult {
  const sentences = splitSentences(text);
  if (sentences.length === 0) return { ok: false, message: 'the text is empty: describe the policy in one or more sentences' };
  const fragments: Fragment[] = [];
  for (const sentence of sentences) {
    try {
      fragments.push(buildFragment(readSentence(sentence.text)));
    } catch (error) {
      if (error instanceof NotUnderstood) return { ok: false, message: `${where(sentence, sentences.length)}: ${error.message}` };
      throw error;
    }
  }
  return { ok: true, compiled: assemble(sentences, fragments.map((f) => narrowed(f, opts.scope ?? []))) };
}

function where(sentence: Sentence, count: number): string {
  return `${count > 1 ? `sentence ${sentence.index} ` : ''}"${sentence.text}"`;
}

/** The phrases are read in an order where the more specific never lose words to the more general. */
export function readSentence(sentence: string): Reading {
  const r = new Reader(normalize(sentence));
  // Why the rule exists ("to provide early warning ...") and where redaction happens are not conditions.
  r.take(String.raw`(?:,\s*)?(?:in order to|so that|so as to|to) (?:provide|prevent|avoid|protect|ensure|keep|reduce|stop|save|give|catch|detect|control|comply|meet|catch|help|make sure|alert)\b.*$`, () => undefined);
  r.take(String.raw`before (?:they|it|prompts?|requests?|the prompts?|the requests?|anything) (?:reach|reaches|are sent to|is sent to|go to|goes to|get to|gets to|leave for) (?:the )?(?:provider|model|llm|upstream)s?`, () => undefined);
  const exceptions: Reading['exceptions'] = [];
  readExceptions(r, exceptions);
  const predicates: Reading['predicates'] = [];
  readTime(r, predicates);
  const limit: Reading['limit'] = {};
  readLimitWords(r, limit);
  const models = readModels(r);
  const subject: Reading['subject'] = [];
  readSubjects(r, subject);
  const pii: Reading['pii'] = {};
  readPredicates(r, predicates, pii);
  const amount = readAmount(r);
  if (/\binjections?\b/.test(r.rest)) throw new NotUnderstood('say the injection score that is too high, e.g. "block prompt injection above 0.8"');
  return { sentence, ...readAction(r), subject, predicates, exceptions, models, pii, amount, limit };
}

function narrowed(fragment: Fragment, scope: Atom[]): Fragment {
  if (scope.length === 0) return fragment;
  const rules = fragment.rules.map((d) => {
    const atoms = [...scope, ...d.atoms];
    return { ...d, atoms, rule: { ...d.rule, condition: conditionOf(atoms, d.exceptions) } };
  });
  return { ...fragment, rules };
}

/** All sentences' rules in one policy; rule ids made unique in sentence order. */
function assemble(sentences: Sentence[], fragments: Fragment[]): Compiled {
  const seen = new Map<string, number>();
  const drafts = fragments.flatMap((f) => f.rules).map((draft) => {
    const n = (seen.get(draft.rule.id) ?? 0) + 1;
    seen.set(draft.rule.id, n);
    return n === 1 ? draft : { ...draft, rule: { ...draft.rule, id: `${draft.rule.id}-${n}` } };
  });
  const budgets = fragments.flatMap((f) => f.budgets);
  const rateLimits = fragments.flatMap((f) => f.rateLimits);
  const id = policyIdOf(sentences[0].text);
  const policy: Policy = {
    metadata: {
      id,
      name: capitalize(sentences[0].text).slice(0, 120),
      description: sentences.map((s) => capitalize(s.text)).join('. '),
      tags: ['generated'],
    },
    rules: drafts.map((d) => d.rule),
    ...(budgets.length ? { budgets } : {}),
    ...(rateLimits.length ? { rateLimits } : {}),
  };
  return { policy, tests: testsFor(id, drafts) };
}

/** The first sentence's words, cut at a word boundary: a readable, stable file and policy name. */
function policyIdOf(sentence: string): string {
  const words = normalize(sentence).replace(/\$/g, 'usd-').split(/[^a-z0-9.-]+/).filter(Boolean);
  let id = '';
  for (const word of words) {
    const next = id ? `${id}-${word}` : word;
    if (next.length > 48) break;
    id = next;
  }
  return slug(id.replace(/(?:-(?:for|and|or|the|to|of|a|an|in|on|per|with|than|that))+$/, '') || 'generated-policy');
}
