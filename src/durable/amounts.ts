// Amounts a budget counts. Costs are kept as integer micro-dollars inside the counters so that sums
// are exact: with floating-point dollars, 333 x $0.30 could round past a $100 limit or short of it.
// A micro-dollar is fine enough for per-request costs (a 100-token call to a cheap model is ~15).
export type Dimension = 'costUsd' | 'tokens' | 'requests';
export const DIMENSIONS: readonly Dimension[] = ['costUsd', 'tokens', 'requests'];

/** Dollars, tokens and requests, any of them absent. */
export type Amounts = Partial<Record<Dimension, number>>;
/** The same in storage units: micro-dollars, tokens, requests; every dimension present. */
export type Units = Record<Dimension, number>;

const MICROS_PER_USD = 1e6;
/**
 * Largest single amount (about $560 million, or 5.6e14 tokens): a counter adds a handful of
 * such values (used + reserved + estimate), and every sum must stay an exact integer below 2^53
 * (SQLite hands INTEGER back as a JS number).
 */
const MAX_UNITS = 2 ** 53 / 16;

export const ZERO_UNITS: Readonly<Units> = Object.freeze({ costUsd: 0, tokens: 0, requests: 0 });

export function toUnit(dim: Dimension, value: number): number {
  return dim === 'costUsd' ? Math.round(value * MICROS_PER_USD) : Math.round(value);
}

export function fromUnit(dim: Dimension, units: number): number {
  return dim === 'costUsd' ? units / MICROS_PER_USD : units;
}

/** Throws on a negative or non-finite amount: a bad estimate must not silently count as zero. */
export function checkAmounts(what: string, amounts: Amounts | undefined): void {
  if (amounts === undefined) return;
  if (amounts === null || typeof amounts !== 'object') throw new TypeError(`${what} must be an object`);
  for (const dim of DIMENSIONS) {
    const v = amounts[dim];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`${what}.${dim} must be a finite number >= 0, got ${String(v)}`);
    }
    if (toUnit(dim, v) > MAX_UNITS) throw new RangeError(`${what}.${dim} is too large: ${v}`);
  }
}

/** Storage units for amounts, with `fallback` for the dimensions that are absent. */
export function unitsOf(amounts: Amounts | undefined, fallback: Readonly<Units> = ZERO_UNITS): Units {
  const out = { ...fallback };
  for (const dim of DIMENSIONS) {
    const v = amounts?.[dim];
    if (v !== undefined) out[dim] = toUnit(dim, v);
  }
  return out;
}

export function amountsOf(units: Units, dims: readonly Dimension[] = DIMENSIONS): Amounts {
  const out: Amounts = {};
  for (const dim of dims) out[dim] = fromUnit(dim, units[dim]);
  return out;
}

/** The dimensions a limit actually constrains. */
export function limitedDimensions(limit: Amounts): Dimension[] {
  return DIMENSIONS.filter((d) => limit[d] !== undefined);
}
