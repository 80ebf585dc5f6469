// The one order of decision records everywhere (SQL in each shard, the merge across shards, the
// cursor): time descending, then record id ascending. Ids compare by code point, which is
// the order SQLite's BINARY collation gives their UTF-8 bytes.
import { decodeBase64url, encodeBase64url } from './base64url';
import type { DecisionPosition } from './decision-types';

export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Negative when `a` comes first. */
export function comparePositions(a: DecisionPosition, b: DecisionPosition): number {
  return b.timeMs - a.timeMs || compareCodePoints(a.id, b.id);
}

// c2: positions by record id (c1 cursors named the caller's request id and are refused).
const CURSOR_PREFIX = 'c2_';

export function encodeCursor(p: DecisionPosition): string {
  return CURSOR_PREFIX + encodeBase64url(JSON.stringify([p.timeMs, p.id]));
}

/** Throws TypeError on a cursor this code did not make. */
export function decodeCursor(cursor: string): DecisionPosition {
  if (!cursor.startsWith(CURSOR_PREFIX)) throw new TypeError('invalid cursor');
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeBase64url(cursor.slice(CURSOR_PREFIX.length)));
  } catch {
    throw new TypeError('invalid cursor');
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || !Number.isSafeInteger(parsed[0]) || typeof parsed[1] !== 'string') {
    throw new TypeError('invalid cursor');
  }
  return { timeMs: parsed[0], id: parsed[1] };
}
