// String constants interned at load time: V8 compares two internalized strings by pointer, and a
// bundle read with JSON.parse holds fresh copies of every value.

export function intern(s: string): string {
  return Object.keys({ [s]: 0 })[0];
}
