// The context a decision record keeps: a copy made field by field, leaving out the prompt fields
// (unless STORE_PROMPTS) without copying or serialising them, counting the JSON size as it goes
// so a context over the limit stops the copy early instead of being copied and then measured.
// One pass, instead of structuredClone of everything (the prompt included) and JSON.stringify.
// Values are copied as the log stores them (JSON): a Date as its ISO string, undefined fields
// dropped.

/** Deeper than this the record keeps only who asked (the caller's fallback): a JSON body can nest far deeper. */
export const MAX_CONTEXT_DEPTH = 1000;

/** Thrown (and caught in copyContext) when the size budget runs out. */
const TOO_LARGE = Symbol('too large');

interface Budget {
  left: number;
}

/**
 * A JSON-shaped copy of `context` without `llm[skip]`, or 'too_large' when its JSON would be
 * longer than `maxChars` (about: string escapes are not counted). Throws a RangeError when the
 * context nests deeper than MAX_CONTEXT_DEPTH.
 */
export function copyContext(context: Record<string, unknown>, skipLlmFields: readonly string[], maxChars: number): Record<string, unknown> | 'too_large' {
  const budget: Budget = { left: maxChars - 2 };
  try {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(context)) {
      const value = context[key];
      if (key === 'llm' && skipLlmFields.length > 0 && isPlainObject(value)) out.llm = copyObject(value, budget, 1, skipLlmFields);
      else set(out, key, value, budget, 1);
    }
    return out;
  } catch (e) {
    if (e === TOO_LARGE) return 'too_large';
    throw e;
  }
}

function set(out: Record<string, unknown>, key: string, value: unknown, budget: Budget, depth: number): void {
  const copy = copyValue(value, budget, depth);
  if (copy === undefined) return;
  spend(budget, key.length + 4);
  out[key] = copy;
}

function copyObject(source: Record<string, unknown>, budget: Budget, depth: number, skip?: readonly string[]): Record<string, unknown> {
  spend(budget, 2);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (skip && skip.includes(key)) continue;
    set(out, key, source[key], budget, depth + 1);
  }
  return out;
}

function copyValue(value: unknown, budget: Budget, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      spend(budget, value.length + 2);
      return value;
    case 'number':
      spend(budget, Number.isFinite(value) ? String(value).length : 4);
      return value;
    case 'boolean':
      spend(budget, 5);
      return value;
    case 'object':
      break;
    default:
      // undefined, functions, symbols: JSON has none of them.
      return undefined;
  }
  if (value === null) {
    spend(budget, 4);
    return null;
  }
  if (depth >= MAX_CONTEXT_DEPTH) throw new RangeError(`the context nests deeper than ${MAX_CONTEXT_DEPTH} levels`);
  if (Array.isArray(value)) {
    spend(budget, 2 + value.length);
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyValue(value[i], budget, depth + 1) ?? null;
    return out;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return copyValue(toJSON.call(value), budget, depth + 1);
  return copyObject(value as Record<string, unknown>, budget, depth);
}

function spend(budget: Budget, chars: number): void {
  budget.left -= chars;
  if (budget.left < 0) throw TOO_LARGE;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
