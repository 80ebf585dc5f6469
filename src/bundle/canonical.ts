// RFC 8785 (JCS) canonical JSON: the exact bytes that are hashed and signed.
//
// RFC 8785 defines its output through ECMAScript itself: numbers and strings are printed as
// JSON.stringify prints them, object keys are sorted by UTF-16 code units. So one recursive pass
// with JSON.stringify for the leaves is the reference algorithm; it runs on every cold start at the
// edge (verifying a bundle re-hashes it), which is why it is written for speed. The `canonicalize`
// package stays as the test oracle (test/bundle/canonical.test.ts compares the two).
//
// Fast path: a subtree whose keys already enumerate in code-unit order and that holds only JSON
// values is printed by JSON.stringify itself, natively. compileBundle emits policies with sorted
// keys and JSON.parse keeps that order, so at the edge nearly the whole bundle takes this path
// (≈10× faster on a 1,000-rule bundle).
//
// A signed document must mean exactly what it says, so non-JSON that JSON.stringify would quietly
// convert (undefined in arrays, NaN, Map, lone surrogates ...) is refused with a `bundle_error`
// naming where it is. Object properties whose value is undefined are left out, as JSON.stringify
// does, so an object hashes the same before and after a JSON round trip.
import { PolicyError } from '../policy/errors';

const NOT_JSON = Symbol('not JSON');
const SURROGATE = /[\uD800-\uDFFF]/;

export function canonicalJson(value: unknown): string {
  try {
    return write(value);
  } catch (err) {
    if (err !== NOT_JSON) throw err;
    assertJson(value, ''); // the slow walk that builds paths, only to name the culprit
    throw new PolicyError('bundle_error', 'not canonical JSON');
  }
}

/**
 * A deep copy with every object's keys in canonical order, so that canonicalJson of it takes the
 * fast path. Refuses what canonicalJson refuses (with the same located error).
 */
export function canonicalCopy<T>(value: T): T {
  try {
    return copySorted(value) as T;
  } catch (err) {
    if (err !== NOT_JSON) throw err;
    // toJSON values (dates) and non-JSON: the slow path converts the former, names the latter.
    return JSON.parse(canonicalJson(value)) as T;
  }
}

function copySorted(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string' ? SURROGATE.test(value) && !isWellFormed(value)
      : typeof value === 'number' ? !Number.isFinite(value)
      : value !== null && typeof value !== 'boolean') throw NOT_JSON;
    return value === 0 ? 0 : value; // -0 prints as 0 in JSON; copy it as the value the text holds
  }
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw NOT_JSON;
      out[i] = copySorted(value[i]);
    }
    return out;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function' || (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)) throw NOT_JSON;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) continue;
    if (SURROGATE.test(key) && !isWellFormed(key)) throw NOT_JSON;
    // defineProperty: assigning `__proto__` would set the prototype instead of copying the key.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copySorted(record[key]), enumerable: true, writable: true, configurable: true });
    else out[key] = copySorted(record[key]);
  }
  return out;
}

/** True when JSON.stringify(value) is already canonical: sorted keys, JSON values only. */
function inCanonicalOrder(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string': return !SURROGATE.test(value);
    case 'number': return Number.isFinite(value);
    case 'boolean': return true;
    case 'object': break;
    default: return false;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!(i in value) || !inCanonicalOrder(value[i])) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  let previous: string | undefined;
  // for-in enumerates in the same order as JSON.stringify (integer-like keys first), so checking
  // that this order is strictly ascending checks the order JSON.stringify will print.
  for (const key in value) {
    if ((previous !== undefined && !(previous < key)) || SURROGATE.test(key)) return false;
    previous = key;
    if (!inCanonicalOrder((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

function write(value: unknown): string {
  if (value !== null && typeof value === 'object' && inCanonicalOrder(value)) return JSON.stringify(value);
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      if (SURROGATE.test(value) && !isWellFormed(value)) throw NOT_JSON;
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw NOT_JSON;
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      throw NOT_JSON;
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw NOT_JSON;
      out += (i ? ',' : '') + write(value[i]);
    }
    return out + ']';
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return write(toJSON.call(value));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw NOT_JSON;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (SURROGATE.test(key) && !isWellFormed(key)) throw NOT_JSON;
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + write(item);
    first = false;
  }
  return out + '}';
}

function isWellFormed(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) { i++; continue; }
    return false;
  }
  return true;
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
