// Field paths compiled to getters. Spec §2 "Field paths": objects are walked by own key, arrays by
// canonical non-negative integer, anything else (or null) ends the walk as missing.
// Missing is represented by `undefined`; a field whose value is null is missing too.

export type Getter = (context: unknown) => unknown;

const CANONICAL_INDEX = /^(0|[1-9][0-9]*)$/;
const hasOwn = Object.prototype.hasOwnProperty;

/** One step of a walk: key on objects, index on arrays. */
function step(segment: string): (value: unknown) => unknown {
  const index = CANONICAL_INDEX.test(segment) ? Number(segment) : -1;
  // Keys that every object inherits (toString, constructor, __proto__ ...) need an own-key check;
  // other keys cannot resolve through Object.prototype, so a plain read is exact and faster.
  const inherited = segment in Object.prototype;
  return (value) => {
    if (value === null || typeof value !== 'object') return undefined;
    if (Array.isArray(value)) return index >= 0 ? value[index] ?? undefined : undefined;
    if (inherited && !hasOwn.call(value, segment)) return undefined;
    const next = (value as Record<string, unknown>)[segment];
    return next === null ? undefined : next;
  };
}

/** Compile `a.b.c` into a getter. Short paths get unrolled closures: they are the hot case. */
export function compileGetter(path: string): Getter {
  const steps = path.split('.').map(step);
  if (steps.length === 1) {
    const [a] = steps;
    return (ctx) => a(ctx);
  }
  if (steps.length === 2) {
    const [a, b] = steps;
    return (ctx) => b(a(ctx));
  }
  if (steps.length === 3) {
    const [a, b, c] = steps;
    return (ctx) => c(b(a(ctx)));
  }
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
    getter = compileGetter(path);
    getterCache.set(path, getter);
  }
  return getter;
}
