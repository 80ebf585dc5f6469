// Generated policies against the patterns they came from (seed 001's pattern <-> policy lifecycle).
// A policy belongs to a pattern through `metadata.source: {kind: pattern, id, version}` (spec §10):
//   current    the source version is the pattern's version;
//   stale      it is another version (the pattern changed since: regenerate), or none is recorded;
//   orphaned   no pattern has the source id (the pattern was deleted: prune).
import { compareSemver, isSemver } from '../../bundle/semver';
import type { Policy } from '../../policy/types';
import { patternProvenance } from './provenance';
import type { Pattern } from './read';

export interface PatternSource {
  file: string;
  pattern: Pattern;
}

export interface LocatedPolicy {
  policy: Policy;
  /** The file it was read from. */
  file?: string;
}

export interface PatternPolicy {
  policyId: string;
  file?: string;
  state: 'current' | 'stale';
  /** The pattern version the policy was generated from, as recorded in its source. */
  generatedFrom?: string;
  /** Why it is stale, in words: "pattern is now 1.2.0". */
  note?: string;
  /** The pattern description it was generated from, when the policy recorded it (`source.text`). */
  generatedText?: string;
}

export interface PatternEntry extends PatternSource {
  policies: PatternPolicy[];
}

export interface OrphanedPolicy {
  policyId: string;
  file?: string;
  /** The pattern it names, if any. */
  patternId?: string;
  generatedFrom?: string;
}

export interface PatternStatus {
  patterns: PatternEntry[];
  orphaned: OrphanedPolicy[];
  counts: { patterns: number; current: number; stale: number; orphaned: number };
}

export function patternStatus(patterns: PatternSource[], policies: LocatedPolicy[]): PatternStatus {
  const entries: PatternEntry[] = patterns.map((p) => ({ ...p, policies: [] }));
  const byId = new Map(entries.map((e) => [e.pattern.id, e]));
  const orphaned: OrphanedPolicy[] = [];
  for (const { policy, file } of policies) {
    const source = patternProvenance(policy);
    if (!source) continue;
    const policyId = policy.metadata.id;
    const entry = source.id === undefined ? undefined : byId.get(source.id);
    if (!entry) {
      orphaned.push({ policyId, file, patternId: source.id, generatedFrom: source.version });
      continue;
    }
    const current = source.version !== undefined && sameVersion(source.version, entry.pattern.version);
    entry.policies.push({
      policyId,
      file,
      state: current ? 'current' : 'stale',
      generatedFrom: source.version,
      note: current ? undefined : staleNote(source.version, entry.pattern.version),
      generatedText: source.text,
    });
  }
  const all = entries.flatMap((e) => e.policies);
  return {
    patterns: entries,
    orphaned,
    counts: {
      patterns: entries.length,
      current: all.filter((p) => p.state === 'current').length,
      stale: all.filter((p) => p.state === 'stale').length,
      orphaned: orphaned.length,
    },
  };
}

/** Semver equality (build metadata aside); a recorded version that is not semver equals only itself. */
function sameVersion(recorded: string, now: string): boolean {
  return isSemver(recorded) ? compareSemver(recorded, now) === 0 : recorded === now;
}

function staleNote(recorded: string | undefined, now: string): string {
  if (recorded === undefined) return `the policy records no pattern version; the pattern is ${now}`;
  if (isSemver(recorded) && compareSemver(recorded, now) > 0) return `generated from ${recorded}, newer than the pattern's ${now} (was the pattern rolled back?)`;
  return `generated from ${recorded}; the pattern is now ${now}`;
}
