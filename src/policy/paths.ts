// Field paths (`team.id`, `messages.0.role`) and the YAML-style paths used in error messages
// (`rules[2].condition.operator`).
import { PolicyError } from './errors';

/** Splits a context field path on dots; an empty segment (`a..b`, `.a`, `a.`) is an error. */
export function splitFieldPath(path: string): string[] {
  if (path === '') throw new PolicyError('schema_error', 'field path is empty');
  const segments = path.split('.');
  if (segments.some((s) => s === '')) {
    throw new PolicyError('schema_error', `field path "${path}" has an empty segment`);
  }
  return segments;
}

/** True for the array indexes a field path may use: `0`, `12`; not `01`, `-1`, `1.5`, `length`. */
export function isCanonicalIndex(segment: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(segment) && Number.isSafeInteger(Number(segment));
}

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Formats segments as `rules[2].condition.operator`; odd keys are quoted: `source["a.b"]`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) out = appendPath(out, segment);
  return out;
}

export function appendPath(base: string, segment: PathSegment): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  if (PLAIN_KEY.test(segment)) return base === '' ? segment : `${base}.${segment}`;
  return `${base}[${JSON.stringify(segment)}]`;
}

/** Reads a path written by formatPath back into segments; undefined if it is not one. */
export function parsePath(path: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  const token = /\.?([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let at = 0;
  while (at < path.length) {
    token.lastIndex = at;
    const m = token.exec(path);
    if (!m || (m[0].startsWith('.') && at === 0)) return undefined;
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else segments.push(JSON.parse(m[3]) as string);
    at = token.lastIndex;
  }
  return segments;
}
