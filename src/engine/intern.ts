// String constants interned at load time: V8 compares two internalized strings by pointer, and a
// bundle read with JSON.parse holds fresh copies of every value.

/** A property key is always internalized: add the string as one, read it back, remove it. */
const holder: Record<string, 0> = Object.create(null);

function internNow(s: string): string {
  holder[s] = 0;
  for (const key in holder) {
    delete holder[s];
    return key;
  }
  return s;
}

/** Within withInterning, each distinct string is interned once (a bundle repeats most constants). */
let seen: Map<string, string> | undefined;

export function intern(s: string): string {
  if (seen === undefined) return internNow(s);
  let interned = seen.get(s);
  if (interned === undefined) seen.set(s, (interned = internNow(s)));
  return interned;
}

/** Run `load` with one cache of interned strings, dropped when it returns (nothing is kept after). */
export function withInterning<T>(load: () => T): T {
  if (seen !== undefined) return load();
  seen = new Map();
  try {
    return load();
  } finally {
    seen = undefined;
  }
}
