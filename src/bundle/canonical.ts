// RFC 8785 (JCS) canonical JSON: the exact bytes that are hashed and signed.
import canonicalize from 'canonicalize';
import { PolicyError } from '../policy/errors';

/**
 * Canonical JSON of a JSON value. `canonicalize` sorts keys by UTF-16 code units and prints
 * numbers with the ES6 Number-to-string rules RFC 8785 adopts, but, like JSON.stringify, it
 * silently turns some non-JSON into JSON (undefined in arrays → null, Map → {}). A signed
 * document must mean exactly what it says, so those are refused first with a `bundle_error`.
 * Object properties whose value is undefined are left out, as JSON.stringify does, so an
 * object hashes the same before and after a JSON round trip.
 */
export function canonicalJson(value: unknown): string {
  assertJson(value, '');
  const text = canonicalize(value);
  if (text === undefined) throw notJson('', 'undefined');
  return text;
}

function assertJson(value: unknown, path: string): void {
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'string') return assertWellFormed(value, path);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw notJson(path, String(value));
    return;
  }
  if (typeof value !== 'object') throw notJson(path, typeof value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) assertJson(value[i], `${path}[${i}]`);
    return;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return assertJson(toJSON.call(value), path);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw notJson(path, proto?.constructor?.name ?? 'object');
  for (const [key, item] of Object.entries(value)) {
    assertWellFormed(key, path);
    if (item !== undefined) assertJson(item, path ? `${path}.${key}` : key);
  }
}

// RFC 8785 requires I-JSON strings: a lone surrogate has no UTF-8 form, so verifiers in other
// languages could not reproduce the bytes.
function assertWellFormed(text: string, path: string): void {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    throw new PolicyError('bundle_error', `not canonical JSON: lone surrogate in a string at ${where(path)}`);
  }
}

function notJson(path: string, what: string): PolicyError {
  return new PolicyError('bundle_error', `not canonical JSON: ${what} at ${where(path)} is not a JSON value`);
}

function where(path: string): string {
  return path || 'the top level';
}
