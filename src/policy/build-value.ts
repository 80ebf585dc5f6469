// Shared by the YAML and JSON readers: builds plain values and records where each part came from.
import { PolicyError } from './errors';
import { recordChild, recordNode, type Position } from './source';

/** Deeper nesting than this is refused, so a hostile file cannot overflow the stack. */
export const MAX_DEPTH = 256;

export interface SourceContext {
  file?: string;
  document?: number;
}

export function newMapping(ctx: SourceContext, path: string, at: Position): Record<string, unknown> {
  const node: Record<string, unknown> = {};
  recordNode(node, { ...ctx, path, line: at.line, column: at.column });
  return node;
}

export function newList(ctx: SourceContext, path: string, at: Position): unknown[] {
  const node: unknown[] = [];
  recordNode(node, { ...ctx, path, line: at.line, column: at.column });
  return node;
}

/** Sets a key as an own, enumerable property; `__proto__` included, without touching the prototype. */
export function setKey(mapping: Record<string, unknown>, key: string, value: unknown, keyAt: Position, valueAt: Position): void {
  Object.defineProperty(mapping, key, { value, enumerable: true, writable: true, configurable: true });
  recordChild(mapping, key, { key: keyAt, value: valueAt });
}

export function pushItem(list: unknown[], value: unknown, at: Position): void {
  recordChild(list, list.length, { value: at });
  list.push(value);
}

export function hasKey(mapping: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(mapping, key);
}

export function checkDepth(depth: number, ctx: SourceContext, at: Position): void {
  if (depth > MAX_DEPTH) {
    throw new PolicyError('parse_error', `nesting deeper than ${MAX_DEPTH} levels`, { ...ctx, line: at.line, column: at.column });
  }
}
