// Field paths compiled to getters. Spec §2 "Field paths": objects are walked by own key, arrays by
// canonical non-negative integer, anything else (or null) ends the walk as missing.
// Missing is represented by `undefined`; a field whose value is null is missing too.
//
// Most paths are "plain": no segment is an array index or a name objects and arrays inherit
// (toString, length, map ...). For those, a direct property read is already exact — an array or a
// string yields undefined for such a key — so they compile to straight-line reads with no calls.

import { isElementPath } from '../policy/element-paths';
import { isCanonicalIndex } from '../policy/paths';
import { KNOWN_PATHS } from './known-paths';

export type Getter = (context: unknown) => unknown;

const hasOwn = Object.prototype.hasOwnProperty;

function isPlain(segment: string): boolean {
  return !isCanonicalIndex(segment) && !(segment in Object.prototype) && !(segment in Array.prototype) && !(segment in String.prototype);
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

function plainGetter(keys: string[]): Getter {
  switch (keys.length) {
    case 1: {
      const [a] = keys;
      return (c) => (isObject(c) ? c[a] ?? undefined : undefined);
    }
    case 2: {
      const [a, b] = keys;
      return (c) => {
        if (!isObject(c)) return undefined;
        const x = c[a];
        return isObject(x) ? x[b] ?? undefined : undefined;
      };
    }
    case 3: {
      const [a, b, d] = keys;
      return (c) => {
        if (!isObject(c)) return undefined;
        const x = c[a];
        if (!isObject(x)) return undefined;
        const y = x[b];
        return isObject(y) ? y[d] ?? undefined : undefined;
      };
    }
    default:
      return (c) => {
        let v: unknown = c;
        for (let i = 0; i < keys.length; i++) {
          if (!isObject(v)) return undefined;
          v = v[keys[i]];
        }
        return v ?? undefined;
      };
  }
}

/** One general step: key on objects (own keys only), canonical index on arrays. */
function step(segment: string): (value: unknown) => unknown {
  const index = isCanonicalIndex(segment) ? Number(segment) : -1;
  return (value) => {
    if (!isObject(value)) return undefined;
    if (Array.isArray(value)) return index >= 0 ? value[index] ?? undefined : undefined;
    return hasOwn.call(value, segment) ? value[segment] ?? undefined : undefined;
  };
}

/** The keys of a plain path (see above), or undefined when the path needs the general walk. */
export function plainKeys(path: string): string[] | undefined {
  const segments = path.split('.');
  return segments.every(isPlain) ? segments : undefined;
}

/** Compile `a.b.c` into a getter. */
export function compileGetter(path: string): Getter {
  const segments = path.split('.');
  if (segments.every(isPlain)) return plainGetter(segments);
  const steps = segments.map(step);
  return (ctx) => {
    let value: unknown = ctx;
    for (let i = 0; i < steps.length; i++) {
      value = steps[i](value);
      if (value === undefined) return undefined;
    }
    return value;
  };
}

const getterCache = new Map<string, Getter>();

/** Getters are pure, so one per distinct path is shared across rules and templates. */
export function getterFor(path: string): Getter {
  let getter = getterCache.get(path);
  if (!getter) {
    getter = KNOWN_PATHS.get(path) ?? compileGetter(path);
    getterCache.set(path, getter);
  }
  return getter;
}

/** A getter that may read the current list element: `(context, element)`. */
export type ScopedGetter = (context: unknown, element?: unknown) => unknown;

export { isElementPath };

/** `$` is the element itself (null is missing), `$.a.b` reads below it; other paths read the context. */
export function scopedGetterFor(path: string): ScopedGetter {
  if (!isElementPath(path)) return getterFor(path);
  if (path === '$') return (_ctx, element) => element ?? undefined;
  const below = getterFor(path.slice(2));
  return (_ctx, element) => below(element);
}
