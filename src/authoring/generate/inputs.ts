// What generate can start from: plain English, a suggestion (seed 000's shape, interfaces.md) or a
// pattern (seed 001). Each becomes the text to compile and the provenance to record (spec §10).
import { languageErrors } from '../../policy/messages';
import { isPlainObject } from '../../policy/schema-helpers';
import { patternSchema, type PatternScope } from '../patterns/read';
import type { JsonValue, Policy } from '../../policy/types';
import type { TestCase } from '../../testing/test-file-schema';
import type { GenerateRequest } from './types';

export interface Input {
  kind: 'english' | 'suggestion' | 'pattern';
  /** What the backends read. */
  text: string;
  /** Provenance beside kind, text, sha256, generator and generatedAt. */
  source: Record<string, JsonValue>;
  /** A suggestion's ready policy (and its tests), which skips the backends. */
  ready?: { policy: Policy; tests: TestCase[] };
  /** A pattern's scope: its namespace, and the teams, tiers or projects its rules are about. */
  scope?: PatternScope;
}

export type InputResult = { ok: true; input: Input } | { ok: false; message: string };

export function readInput(req: GenerateRequest): InputResult {
  const given = (['text', 'suggestion', 'pattern'] as const).filter((k) => req[k] !== undefined);
  if (given.length !== 1) return { ok: false, message: `give exactly one of text, suggestion, pattern${given.length ? ` (got ${given.join(', ')})` : ''}` };
  if (req.text !== undefined) {
    if (typeof req.text !== 'string' || req.text.trim() === '') return { ok: false, message: 'text must be a non-empty string: the policy in plain English' };
    return { ok: true, input: { kind: 'english', text: req.text.trim(), source: {} } };
  }
  if (req.suggestion !== undefined) return readSuggestion(req.suggestion);
  return readPattern(req.pattern);
}

function readSuggestion(s: unknown): InputResult {
  if (!isPlainObject(s)) return { ok: false, message: 'a suggestion is an object {category, metric, recommendation, ...}' };
  const recommendation = s.recommendation;
  if (typeof recommendation !== 'string' || recommendation.trim() === '') {
    return { ok: false, message: 'suggestion.recommendation must be a non-empty string (the text a policy is generated from)' };
  }
  const id = typeof s.id === 'string' ? s.id : typeof s.metric === 'string' ? s.metric : undefined;
  const source: Record<string, JsonValue> = {
    ...(id ? { id } : {}),
    ...(typeof s.category === 'string' ? { category: s.category } : {}),
    ...(typeof s.metric === 'string' ? { metric: s.metric } : {}),
  };
  const input: Input = { kind: 'suggestion', text: recommendation.trim(), source };
  if (s.policy !== undefined) {
    if (!isPlainObject(s.policy)) return { ok: false, message: 'suggestion.policy must be a policy object' };
    input.ready = { policy: structuredClone(s.policy) as unknown as Policy, tests: Array.isArray(s.tests) ? (s.tests as unknown as TestCase[]) : [] };
  }
  return { ok: true, input };
}

function readPattern(p: unknown): InputResult {
  const parsed = patternSchema.safeParse(p, { error: languageErrors });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.length ? `${issue.path.join('.')}: ` : '';
    return { ok: false, message: `pattern: ${path}${issue.message}` };
  }
  const { id, version, description, scope } = parsed.data;
  return { ok: true, input: { kind: 'pattern', text: description.trim(), source: { id, version }, scope } };
}
