// An organizational pattern (seed 001): a rule a team states in plain English, in a small YAML file,
// that `generate --from-pattern` turns into deny policies named after it in metadata.source.
//   id: no-gpt4-on-free-tier       # required; policy id rules
//   version: 1.2.0                 # required; semver
//   description: free tier teams may not use gpt-4o or o3
//   scope: { namespace: production, team: team-42, tier: [free, pro], project: checkout }   # optional
import * as z from 'zod';
import { PolicyError } from '../../policy/errors';
import { languageErrors } from '../../policy/messages';
import { readYaml } from '../../policy/read-yaml';
import { strict } from '../../policy/schema-helpers';
import { idSchema, semverSchema } from '../../policy/schema-values';
import { locateSegments } from '../../policy/source';
import type { PathSegment } from '../../policy/paths';

export type ScopeValue = string | string[];

export interface PatternScope {
  namespace?: string;
  team?: ScopeValue;
  tier?: ScopeValue;
  project?: ScopeValue;
}

export interface Pattern {
  id: string;
  version: string;
  description: string;
  scope?: PatternScope;
}

const nonEmpty = z.string().min(1);
const scopeValue = z.union([nonEmpty, z.array(nonEmpty).min(1)]);

export const patternSchema: z.ZodType<Pattern> = strict({
  id: idSchema,
  version: semverSchema,
  description: z.string().trim().min(1),
  scope: strict({ namespace: nonEmpty.optional(), team: scopeValue.optional(), tier: scopeValue.optional(), project: scopeValue.optional() }).optional(),
});

export function readPattern(text: string, file: string): Pattern {
  const documents = readYaml(text, file);
  if (documents.length !== 1) throw new PolicyError('schema_error', 'a pattern file holds one document: {id, version, description, scope?}', { file });
  const root = documents[0].value;
  const parsed = patternSchema.safeParse(root, { error: languageErrors });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = typeof root === 'object' && root !== null ? locateSegments(root, issue.path as PathSegment[]) : undefined;
  throw new PolicyError('schema_error', issue.message, { file, ...at });
}
