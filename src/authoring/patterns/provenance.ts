// The `metadata.source` of a policy generated from a pattern (spec §10): what generate
// --from-pattern writes and what patterns status / prune read back. `text` keeps the description
// the policy was generated from, so a stale policy can show what changed since.
import type { JsonValue, Policy } from '../../policy/types';
import { isPlainObject } from '../../policy/schema-helpers';
import type { Pattern } from './read';

export interface PatternProvenance {
  id?: string;
  version?: string;
  text?: string;
}

/** The source block for a policy generated from `pattern` now. */
export function patternSource(pattern: Pattern, extra: { generator?: string; generatedAt?: string } = {}): Record<string, JsonValue> {
  const source: Record<string, JsonValue> = { kind: 'pattern', id: pattern.id, version: pattern.version, text: pattern.description };
  if (extra.generator !== undefined) source.generator = extra.generator;
  if (extra.generatedAt !== undefined) source.generatedAt = extra.generatedAt;
  return source;
}

/** The pattern provenance of a policy, or undefined when it was not generated from a pattern. */
export function patternProvenance(policy: Policy): PatternProvenance | undefined {
  const source = policy.metadata.source;
  if (!isPlainObject(source) || source.kind !== 'pattern') return undefined;
  const text = (key: string) => (typeof source[key] === 'string' && source[key] !== '' ? (source[key] as string) : undefined);
  return { id: text('id'), version: text('version'), text: text('text') };
}
