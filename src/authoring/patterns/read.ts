// An organizational pattern (seed 001): a rule a team states in plain English, in a small YAML file
// of a `patterns/` folder, that `generate --from-pattern` turns into deny policies. Generated
// policies name it in `metadata.source: {kind: pattern, id, version}` (spec §10), which is how
// `patterns status` tells current policies from stale and orphaned ones.
//
//   id: no-gpt4-on-free-tier           # required; same id rules as a policy id
//   version: 1.2.0                     # required; semver; raise it when the description changes
//   description: >                     # required; plain English, what generate reads
//     free tier teams may not use gpt-4o or o3
//   scope:                             # optional; whom the pattern is about
//     namespace: production            #   -> the generated policy's metadata.namespace
//     team: team-42                    #   -> team.id (a list means any of them)
//     tier: [free, pro]                #   -> team.tier
//     project: checkout                #   -> project.id
import * as z from 'zod';
import { PolicyError } from '../../policy/errors';
import { locatedIssue } from '../../policy/located-issue';
import { languageErrors } from '../../policy/messages';
import { readYaml } from '../../policy/read-yaml';
import { isPlainObject, strict } from '../../policy/schema-helpers';
import { idSchema, semverSchema } from '../../policy/schema-values';

/** One value or a non-empty list of them: `tier: free` or `tier: [free, pro]`. */
export type ScopeValue = string | string[];

/**
 * Whom a pattern is about. Every key narrows it (they combine with "and"); no scope means every
 * request. A generator adds `team`, `tier` and `project` as conditions on `team.id`, `team.tier`
 * and `project.id`, and `namespace` as the policy's `metadata.namespace` (spec §1 scoping).
 */
export interface PatternScope {
  namespace?: string;
  team?: ScopeValue;
  tier?: ScopeValue;
  project?: ScopeValue;
}

export interface Pattern {
  id: string;
  /** Semver; a policy generated from an older version is stale. */
  version: string;
  /** The rule in plain English. */
  description: string;
  scope?: PatternScope;
}

const nonEmpty = z.string().min(1);
const scopeValue = z.union([nonEmpty, z.array(nonEmpty).min(1)], {
  error: (issue) => (issue.input === undefined ? undefined : 'expected a name or a list of names'),
});

export const patternSchema: z.ZodType<Pattern> = strict({
  id: idSchema,
  version: semverSchema,
  description: z.string().trim().min(1),
  scope: strict({ namespace: nonEmpty.optional(), team: scopeValue.optional(), tier: scopeValue.optional(), project: scopeValue.optional() })
    .optional(),
});

/** Parses one pattern file; the first problem is thrown as a PolicyError naming file, line and path. */
export function readPattern(text: string, file: string): Pattern {
  return readPatternNode(text, file).pattern;
}

/** The pattern (description trimmed) and the node it was read from, for locating later errors. */
export function readPatternNode(text: string, file: string): { pattern: Pattern; node: object } {
  const documents = readYaml(text, file);
  if (documents.length === 0) throw new PolicyError('schema_error', 'no pattern: the file is empty (expected id, version and description)', { file });
  if (documents.length > 1) {
    throw new PolicyError('schema_error', 'a pattern file holds one pattern; put each pattern in a file of its own', { file, ...documents[1].at });
  }
  const { value, at } = documents[0];
  if (!isPlainObject(value)) throw new PolicyError('schema_error', 'expected a mapping with id, version and description', { file, ...at });
  const parsed = patternSchema.safeParse(value, { error: languageErrors });
  if (!parsed.success) throw locatedIssue(value, parsed.error.issues);
  return { pattern: parsed.data, node: value };
}
