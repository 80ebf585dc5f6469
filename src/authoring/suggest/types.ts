// Suggestions from recorded traffic: seed 000's shape (interfaces.md), each with a ready policy
// (and tests for it) that `generate --from-suggestions` turns into files.
import type { DecisionRecord } from '../../durable/decision-types';
import type { JsonValue, Policy } from '../../policy/types';
import type { TestCase } from '../../testing/test-file-schema';

export type Level = 'high' | 'medium' | 'low';

export interface Suggestion {
  /** Stable across runs on the same input: `<finder>:<subject>`. */
  id: string;
  category: 'risk' | 'coverage' | 'optimization' | 'best_practice';
  metric: string;
  recommendation: string;
  priority: Level;
  effort: Level;
  impact: Level;
  /** 0..1: grows with the number of records behind the finding. */
  confidence: number;
  evidence: Record<string, JsonValue>;
  /** Valid and lint-clean on its own. */
  policy: Policy;
  /** Cases on both sides of the policy's threshold, for its *.test.yaml. */
  tests: TestCase[];
}

export interface SuggestInput {
  records: DecisionRecord[];
  /** The policy set in force, for the finders that need it (dead rules, thresholds, rate limits). */
  policies?: Policy[];
}

/** One finder: the suggestions it makes from the records. */
export type Finder = (input: SuggestInput) => Suggestion[];

/** Confidence from the number of records a finding rests on: 0.5 with none, towards 0.95. */
export function confidenceOf(records: number): number {
  return Math.round((0.5 + 0.45 * (1 - Math.exp(-records / 50))) * 100) / 100;
}
