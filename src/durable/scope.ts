// Which counter a request falls in: the value at a budget's scope path in the request context.
// Paths walk like condition fields (policy-language.md §2): own keys on objects, canonical
// indexes on arrays, null counts as missing.

const CANONICAL_INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * The scope value as text, or undefined when the budget does not apply to this request: the
 * field is missing, null, an empty string, or not a scalar (an object or list names no counter).
 */
export function scopeValueOf(context: unknown, path: string): string | undefined {
  let value: unknown = context;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    if (Array.isArray(value)) {
      value = CANONICAL_INDEX.test(segment) ? value[Number(segment)] : undefined;
    } else {
      value = Object.prototype.hasOwnProperty.call(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
    }
  }
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  return undefined;
}
