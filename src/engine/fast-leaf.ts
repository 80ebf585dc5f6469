// The hot leaves reduced to data (a LeafDescriptor: comparison code, field, constant). The rule
// index lays a rule's descriptors out in its flat program (rule-index.ts), which the evaluator's
// one loop interprets with `compare`; a leaf outside that form (explain, the careful pass) is one
// closure `ctx => evalLeaf(descriptor, ctx)` calling top-level functions V8 inlines. Known fields
// (spec §7) are read by named loads (known-paths.ts), other plain paths by `c[key]`, a megamorphic
// keyed load. No code generation: Workers forbid it.
// Semantics are those of leaf.ts (spec §2); the conformance table and the property tests run both.

import type { LeafOperator } from '../policy/types';
import { isScalar } from './deep-equal';
import { intern } from './intern';
import { KNOWN_IDS, knownBit, readKnown } from './known-paths';
import { plainKeys } from './path';

/** Up to this many elements, `in` is a chain of `===` (cheaper than Set.has); longer lists use a Set. */
const SHORT_LIST = 8;

export const enum Code { Eq, Ne, GtN, GteN, LtN, LteN, GtS, GteS, LtS, LteS, In, NotIn, InSet, NotInSet, ContainsS, NotContainsS, Exists, NotExists }

function codeFor(op: LeafOperator, v: unknown): Code | undefined {
  if (op === 'exists') return Code.Exists;
  if (op === 'not_exists') return Code.NotExists;
  if (isScalar(v)) {
    if (op === 'eq') return Code.Eq;
    if (op === 'ne') return Code.Ne;
  }
  if (typeof v === 'number' && Number.isFinite(v)) {
    if (op === 'gt') return Code.GtN;
    if (op === 'gte') return Code.GteN;
    if (op === 'lt') return Code.LtN;
    if (op === 'lte') return Code.LteN;
  }
  if (typeof v === 'string') {
    if (op === 'gt') return Code.GtS;
    if (op === 'gte') return Code.GteS;
    if (op === 'lt') return Code.LtS;
    if (op === 'lte') return Code.LteS;
    if (op === 'contains') return Code.ContainsS;
    if (op === 'not_contains') return Code.NotContainsS;
  }
  if (Array.isArray(v) && v.every(isScalar)) {
    if (op === 'in') return Code.In;
    if (op === 'not_in') return Code.NotIn;
  }
  return undefined;
}

/** A leaf reduced to data; every descriptor has the same shape, so `evalLeaf` reads it with monomorphic loads. */
export interface LeafDescriptor {
  code: Code;
  /** A known path's number (readKnown), or -1: read `a.b.c` up to `depth`. */
  known: number;
  /**
   * `known` when the evaluator reads that field up front (readKnownInto) for every context, so the
   * leaf takes it from the slots; -1: the leaf reads it itself. Set by the rule index (useSlots).
   */
  slot: number;
  depth: number;
  a: string;
  b: string;
  c: string;
  /** The constant; for `in` / `not_in` over a long list (InSet, NotInSet), a Set of it. */
  v: unknown;
  /** The leaf as written (by identity): the index drops a rule's guard leaf by it. */
  source: object | undefined;
}

/** The constant as compared: strings interned, a list's strings too. */
function constant(v: unknown): unknown {
  if (typeof v === 'string') return intern(v);
  return Array.isArray(v) ? v.map((e) => (typeof e === 'string' ? intern(e) : e)) : v;
}

/**
 * A Set for a long list. A short one is walked with `===`, which differs from Set.has only on NaN:
 * a list holding NaN keeps the Set.
 */
function setFor(v: unknown): Set<unknown> | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.length > SHORT_LIST || v.some((e) => e !== e) ? new Set<unknown>(v) : undefined;
}

/**
 * A descriptor for a leaf with a constant value on a known path (its named loads beat readN) or a
 * plain path of up to 3 keys, or undefined if not applicable.
 */
export function describeLeaf(op: LeafOperator, field: string, v: unknown, source?: object): LeafDescriptor | undefined {
  const code = codeFor(op, v);
  if (code === undefined) return undefined;
  const known = KNOWN_IDS.get(field) ?? -1;
  // A known path is read by readKnown; only other paths need their keys.
  const keys = known === -1 ? plainKeys(field) : undefined;
  if (known === -1 && (!keys || keys.length > 3)) return undefined;
  const value = constant(v);
  const set = setFor(value);
  const final = set === undefined ? code : code === Code.In ? Code.InSet : code === Code.NotIn ? Code.NotInSet : code;
  return { code: final, known, slot: -1, depth: keys?.length ?? 0, a: keys?.[0] ?? '', b: keys?.[1] ?? '', c: keys?.[2] ?? '', v: set ?? value, source };
}

export function evalLeaf(d: LeafDescriptor, ctx: unknown): boolean {
  return compare(d.code, readField(d, ctx), d.v);
}

/** The leaf's field, read from the context (a known path through readKnown's switch). */
export function readField(d: LeafDescriptor, ctx: unknown): unknown {
  return d.known >= 0 ? readKnown(d.known, ctx)
    : d.depth === 2 ? read2(ctx, d.a, d.b) : d.depth === 1 ? read1(ctx, d.a) : read3(ctx, d.a, d.b, d.c);
}

/** Leaves on the known fields of `mask` (knownBit) take them from the slots from now on. */
export function useSlots(leaves: readonly LeafDescriptor[], mask: number): void {
  for (const d of leaves) d.slot = d.known >= 0 && (mask & knownBit(d.known)) !== 0 ? d.known : -1;
}

/** An `and` of descriptor leaves: one loop, no closure per leaf. */
export function evalAllLeaves(leaves: readonly LeafDescriptor[], ctx: unknown): boolean {
  for (let i = 0; i < leaves.length; i++) if (!evalLeaf(leaves[i], ctx)) return false;
  return true;
}

function read1(c: unknown, a: string): unknown {
  return typeof c === 'object' && c !== null ? (c as Record<string, unknown>)[a] ?? undefined : undefined;
}

function read2(c: unknown, a: string, b: string): unknown {
  if (typeof c !== 'object' || c === null) return undefined;
  const x = (c as Record<string, unknown>)[a];
  return typeof x === 'object' && x !== null ? (x as Record<string, unknown>)[b] ?? undefined : undefined;
}

function read3(c: unknown, a: string, b: string, d: string): unknown {
  if (typeof c !== 'object' || c === null) return undefined;
  const x = (c as Record<string, unknown>)[a];
  if (typeof x !== 'object' || x === null) return undefined;
  const y = (x as Record<string, unknown>)[b];
  return typeof y === 'object' && y !== null ? (y as Record<string, unknown>)[d] ?? undefined : undefined;
}

export function compare(code: Code, x: unknown, v: unknown): boolean {
  switch (code) {
    case Code.Eq: return x === v;
    case Code.Ne: return x !== v;
    // `x > v` is false for NaN; the infinity checks make the comparison need a finite x.
    case Code.GtN: return typeof x === 'number' && x > (v as number) && x !== Infinity;
    case Code.GteN: return typeof x === 'number' && x >= (v as number) && x !== Infinity;
    case Code.LtN: return typeof x === 'number' && x < (v as number) && x !== -Infinity;
    case Code.LteN: return typeof x === 'number' && x <= (v as number) && x !== -Infinity;
    case Code.GtS: return typeof x === 'string' && x > (v as string);
    case Code.GteS: return typeof x === 'string' && x >= (v as string);
    case Code.LtS: return typeof x === 'string' && x < (v as string);
    case Code.LteS: return typeof x === 'string' && x <= (v as string);
    case Code.In: return isInList(x, v as unknown[]);
    case Code.NotIn: return !isInList(x, v as unknown[]);
    case Code.InSet: return isIn(x, v as Set<unknown>);
    case Code.NotInSet: return !isIn(x, v as Set<unknown>);
    case Code.ContainsS: return contains(x, v as string);
    case Code.NotContainsS: return !contains(x, v as string);
    case Code.Exists: return x !== undefined;
    case Code.NotExists: return x === undefined;
  }
}

/** `in` over scalars: x equals an element, or x is a list sharing one. */
function isIn(x: unknown, set: Set<unknown>): boolean {
  if (typeof x !== 'object') return set.has(x);
  if (!Array.isArray(x)) return false;
  for (let i = 0; i < x.length; i++) if (set.has(x[i])) return true;
  return false;
}

/** `in` over a short list of scalars without NaN, by `===`. */
function isInList(x: unknown, list: unknown[]): boolean {
  if (typeof x !== 'object') return oneOf(x, list);
  if (!Array.isArray(x)) return false;
  for (let i = 0; i < x.length; i++) if (oneOf(x[i], list)) return true;
  return false;
}

function oneOf(x: unknown, list: unknown[]): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === x) return true;
  return false;
}

function contains(x: unknown, v: string): boolean {
  if (typeof x === 'string') return x.includes(v);
  return Array.isArray(x) && x.includes(v);
}
