// A zod validation failure of a read YAML/JSON value -> the one located error a user sees.
import type * as z from 'zod';
import { PolicyError } from './errors';
import type { PathSegment } from './paths';
import { locateSegments } from './source';

/**
 * The issue written first in the file, located. Unknown keys come before everything else: a
 * misspelt key also makes its mapping look incomplete, and the misspelling is the real mistake.
 */
export function locatedIssue(root: object, issues: z.core.$ZodIssue[]): PolicyError {
  const located = issues.map((issue) => {
    const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const segments = unknownKey === undefined ? (issue.path as PathSegment[]) : [...(issue.path as PathSegment[]), unknownKey];
    return { issue, unknown: unknownKey !== undefined, at: locateSegments(root, segments, unknownKey !== undefined) };
  });
  located.sort((a, b) =>
    Number(b.unknown) - Number(a.unknown) ||
    (a.at?.line ?? Infinity) - (b.at?.line ?? Infinity) ||
    (a.at?.column ?? Infinity) - (b.at?.column ?? Infinity));
  const first = located[0];
  return new PolicyError('schema_error', first.issue.message, { ...first.at, path: first.at?.path || undefined });
}
