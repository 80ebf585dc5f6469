// parsePolicies: YAML or JSON text -> validated policies, exactly as written. The first problem is
// thrown as a PolicyError that names the file, document, path, line and column.
import type * as z from 'zod';
import { PolicyError } from './errors';
import { describeValue } from './messages';
import { formatPath, type PathSegment } from './paths';
import { readJson } from './read-json';
import { readYaml, type ReadDocument } from './read-yaml';
import { validatePolicy } from './schema';
import { locateSegments, sourceOf, type Position } from './source';
import type { Policy, SourceLocation } from './types';

export interface ParseOptions {
  format?: 'yaml' | 'json';
  filename?: string;
}

export function parsePolicies(text: string, opts: ParseOptions = {}): Policy[] {
  if (typeof text !== 'string') throw new PolicyError('input_error', `parsePolicies needs the text of a policy file, got ${typeof text}`);
  const file = opts.filename;
  // An empty file is zero policies, in JSON as in YAML (spec §3); the CLI warns about it.
  if (/^\uFEFF?\s*$/.test(text)) return [];
  const documents: ReadDocument[] =
    detectFormat(text, opts) === 'json' ? [{ document: undefined, ...readJson(text, file) }] : readYaml(text, file);
  const policies: Policy[] = [];
  const seenIds = new Map<string, SourceLocation | undefined>();
  for (const { document, value, at } of documents) {
    for (const policy of policiesOf(value, { file, document, ...at })) {
      checkUniqueId(policy, seenIds);
      policies.push(policy);
    }
  }
  return policies;
}

function detectFormat(text: string, opts: ParseOptions): 'yaml' | 'json' {
  if (opts.format) return opts.format;
  const name = opts.filename?.toLowerCase() ?? '';
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'yaml';
  return /^\uFEFF?\s*[[{]/.test(text) ? 'json' : 'yaml';
}

/** A document holds one policy or a list of them; each is validated before it is returned. */
function policiesOf(value: unknown, where: { file?: string; document?: number } & Position): Policy[] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => throwFirstIssue(value, validatePolicy(item), [index]));
    value.forEach((item) => validated.add(item));
    return value as Policy[];
  }
  if (typeof value !== 'object' || value === null) {
    throw new PolicyError('schema_error', `expected a policy (a mapping) or a list of policies, got ${describeValue(value)}`, where);
  }
  throwFirstIssue(value, validatePolicy(value), []);
  validated.add(value);
  return [value as Policy];
}

/** Policies this module returned, already validated, so compileBundle need not validate them again. */
const validated = new WeakSet<object>();

export function wasValidated(policy: unknown): boolean {
  return typeof policy === 'object' && policy !== null && validated.has(policy);
}

/**
 * Throws the issue that comes first in the text. An unknown key beats the other complaints about
 * its mapping (a "missing key" its misspelling causes), since it names the real mistake.
 */
function throwFirstIssue(root: object, issues: z.core.$ZodIssue[], prefix: PathSegment[]): void {
  if (issues.length === 0) return;
  const located = issues.map((issue) => {
    const path = [...prefix, ...(issue.path as PathSegment[])];
    const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const segments = unknownKey === undefined ? path : [...path, unknownKey];
    const missing = unknownKey === undefined && valueAt(root, segments) === undefined;
    return { issue, segments, missing, location: locateSegments(root, segments, unknownKey !== undefined) };
  });
  const withUnknownKeys = new Set(located.filter((l) => l.issue.code === 'unrecognized_keys').map((l) => formatPath(l.segments.slice(0, -1))));
  const causedByUnknownKey = (l: (typeof located)[number]) =>
    l.issue.code !== 'unrecognized_keys' &&
    (withUnknownKeys.has(formatPath(l.segments)) || (l.missing && withUnknownKeys.has(formatPath(l.segments.slice(0, -1)))));
  const candidates = located.filter((l) => !causedByUnknownKey(l));
  candidates.sort((a, b) => (a.location?.line ?? Infinity) - (b.location?.line ?? Infinity) || (a.location?.column ?? Infinity) - (b.location?.column ?? Infinity));
  const first = candidates[0];
  const location = first.location ?? { ...sourceOf(root), path: formatPath(first.segments) };
  throw new PolicyError('schema_error', first.issue.message, { ...location, path: location.path || undefined });
}

function valueAt(root: unknown, segments: readonly PathSegment[]): unknown {
  let node = root;
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment as string];
  }
  return node;
}

/** Policy ids are unique across everything parsed from one text (the bundle checks across files). */
function checkUniqueId(policy: Policy, seen: Map<string, SourceLocation | undefined>): void {
  const id = policy.metadata.id;
  const here = locateSegments(policy, ['metadata', 'id']);
  if (seen.has(id)) {
    const first = seen.get(id);
    const firstAt = first?.line !== undefined ? ` (first defined at line ${first.line}${first.document ? ` of document ${first.document + 1}` : ''})` : '';
    throw new PolicyError('schema_error', `duplicate policy id "${id}"${firstAt}`, { ...here, path: here?.path ?? 'metadata.id' });
  }
  seen.set(id, here);
}
