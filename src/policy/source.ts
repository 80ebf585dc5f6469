// Where each object of a parsed policy came from, for lint and compile errors. Kept in a WeakMap
// keyed by the returned objects so the policies stay plain JSON (nothing added to them).
import { appendPath, parsePath, type PathSegment } from './paths';
import type { Policy, SourceLocation } from './types';

/** A 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

interface ChildPositions {
  /** Where the key is written (mappings only). */
  key?: Position;
  /** Where the value starts. */
  value: Position;
}

interface NodeSource {
  location: SourceLocation;
  children: Map<string, ChildPositions>;
}

const sources = new WeakMap<object, NodeSource>();

/** Records where an object or array node starts; called by the readers while building values. */
export function recordNode(node: object, location: SourceLocation): void {
  sources.set(node, { location, children: new Map() });
}

/** Records where a member of a recorded node (a key and its value, or a list item) is written. */
export function recordChild(parent: object, key: PathSegment, positions: ChildPositions): void {
  sources.get(parent)?.children.set(String(key), positions);
}

/** The location of an object node of a parsed policy (the policy, a rule, a condition ...). */
export function sourceOf(node: object): SourceLocation | undefined {
  const found = sources.get(node);
  return found && { ...found.location };
}

/**
 * The location of `path` inside `policy` (e.g. `rules[0].action.reason`); when the path does not
 * exist, the nearest enclosing node that does. The returned path is relative to the file.
 */
export function locate(policy: Policy, path: string): SourceLocation | undefined {
  const segments = parsePath(path);
  return segments === undefined ? sourceOf(policy) : locateSegments(policy, segments);
}

/**
 * Walks `segments` down from `root`. `atKey` gives the key's own position for the last segment
 * (for an unknown key) instead of its value's. The path always names the full requested path.
 */
export function locateSegments(root: object, segments: readonly PathSegment[], atKey = false): SourceLocation | undefined {
  let node: unknown = root;
  let source = sources.get(root);
  if (!source) return undefined;
  let path = source.location.path;
  let found: SourceLocation = source.location;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    path = appendPath(path, segment);
    const child = source?.children.get(String(segment));
    if (!source || !child) continue; // missing: keep the nearest enclosing node's position
    const last = i === segments.length - 1;
    const position = last && atKey && child.key ? child.key : child.value;
    found = { ...source.location, path, line: position.line, column: position.column };
    node = (node as Record<string, unknown>)[segment as string];
    source = typeof node === 'object' && node !== null ? sources.get(node) : undefined;
  }
  return { ...found, path };
}
