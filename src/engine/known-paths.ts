// Getters for the context fields of spec §7, each its own function literal. V8 keeps property-read
// feedback per function literal, so `c.team` and `.tier` here are monomorphic named loads — as fast
// as hand-written code — where the generic getters in path.ts share one megamorphic keyed load for
// every field. Semantics are the generic getters' (null and non-objects are missing); the
// conformance table and property tests run through both.

type Rec = Record<string, unknown>;
type Getter = (context: unknown) => unknown;

const o = (v: unknown): v is Rec => typeof v === 'object' && v !== null;

const GETTERS: Record<string, Getter> = {
  'llm.provider': (c) => { const x = o(c) ? c.llm : undefined; return o(x) ? x.provider ?? undefined : undefined; },
  'llm.model': (c) => { const x = o(c) ? c.llm : undefined; return o(x) ? x.model ?? undefined : undefined; },
  'llm.prompt': (c) => { const x = o(c) ? c.llm : undefined; return o(x) ? x.prompt ?? undefined : undefined; },
  'llm.maxTokens': (c) => { const x = o(c) ? c.llm : undefined; return o(x) ? x.maxTokens ?? undefined : undefined; },
  'llm.temperature': (c) => { const x = o(c) ? c.llm : undefined; return o(x) ? x.temperature ?? undefined : undefined; },
  'llm.stream': (c) => { const x = o(c) ? c.llm : undefined; return o(x) ? x.stream ?? undefined : undefined; },
  'llm.estimatedTokens': (c) => { const x = o(c) ? c.llm : undefined; return o(x) ? x.estimatedTokens ?? undefined : undefined; },
  'llm.estimatedCost': (c) => { const x = o(c) ? c.llm : undefined; return o(x) ? x.estimatedCost ?? undefined : undefined; },
  'llm.containsPII': (c) => { const x = o(c) ? c.llm : undefined; return o(x) ? x.containsPII ?? undefined : undefined; },
  'llm.piiTypes': (c) => { const x = o(c) ? c.llm : undefined; return o(x) ? x.piiTypes ?? undefined : undefined; },
  'llm.injectionScore': (c) => { const x = o(c) ? c.llm : undefined; return o(x) ? x.injectionScore ?? undefined : undefined; },
  'llm.injectionSignals': (c) => { const x = o(c) ? c.llm : undefined; return o(x) ? x.injectionSignals ?? undefined : undefined; },
  'user.id': (c) => { const x = o(c) ? c.user : undefined; return o(x) ? x.id ?? undefined : undefined; },
  'user.email': (c) => { const x = o(c) ? c.user : undefined; return o(x) ? x.email ?? undefined : undefined; },
  'user.roles': (c) => { const x = o(c) ? c.user : undefined; return o(x) ? x.roles ?? undefined : undefined; },
  'team.id': (c) => { const x = o(c) ? c.team : undefined; return o(x) ? x.id ?? undefined : undefined; },
  'team.name': (c) => { const x = o(c) ? c.team : undefined; return o(x) ? x.name ?? undefined : undefined; },
  'team.tier': (c) => { const x = o(c) ? c.team : undefined; return o(x) ? x.tier ?? undefined : undefined; },
  'project.id': (c) => { const x = o(c) ? c.project : undefined; return o(x) ? x.id ?? undefined : undefined; },
  'project.name': (c) => { const x = o(c) ? c.project : undefined; return o(x) ? x.name ?? undefined : undefined; },
  'project.environment': (c) => { const x = o(c) ? c.project : undefined; return o(x) ? x.environment ?? undefined : undefined; },
  'time.hour': (c) => { const x = o(c) ? c.time : undefined; return o(x) ? x.hour ?? undefined : undefined; },
  'time.weekday': (c) => { const x = o(c) ? c.time : undefined; return o(x) ? x.weekday ?? undefined : undefined; },
  'metadata.namespace': (c) => { const x = o(c) ? c.metadata : undefined; return o(x) ? x.namespace ?? undefined : undefined; },
  'response.text': (c) => { const x = o(c) ? c.response : undefined; return o(x) ? x.text ?? undefined : undefined; },
  'response.containsPII': (c) => { const x = o(c) ? c.response : undefined; return o(x) ? x.containsPII ?? undefined : undefined; },
};

/** A Map, not the object: a lookup of `constructor` must not find Object.prototype's. */
export const KNOWN_PATHS: ReadonlyMap<string, Getter> = new Map(Object.entries(GETTERS));

/** Each known path's number for `readKnown`, in the order of GETTERS. */
export const KNOWN_IDS: ReadonlyMap<string, number> = new Map(Object.keys(GETTERS).map((path, i) => [path, i]));

/**
 * The known paths again as one function: a top-level function V8 inlines into the leaf
 * interpreter (fast-leaf.ts), each case its own monomorphic named load. Cases follow GETTERS'
 * order (a test holds each case to its getter).
 */
export function readKnown(id: number, c: unknown): unknown {
  if (!o(c)) return undefined;
  switch (id) {
    case 0: { const x = c.llm; return o(x) ? x.provider ?? undefined : undefined; }
    case 1: { const x = c.llm; return o(x) ? x.model ?? undefined : undefined; }
    case 2: { const x = c.llm; return o(x) ? x.prompt ?? undefined : undefined; }
    case 3: { const x = c.llm; return o(x) ? x.maxTokens ?? undefined : undefined; }
    case 4: { const x = c.llm; return o(x) ? x.temperature ?? undefined : undefined; }
    case 5: { const x = c.llm; return o(x) ? x.stream ?? undefined : undefined; }
    case 6: { const x = c.llm; return o(x) ? x.estimatedTokens ?? undefined : undefined; }
    case 7: { const x = c.llm; return o(x) ? x.estimatedCost ?? undefined : undefined; }
    case 8: { const x = c.llm; return o(x) ? x.containsPII ?? undefined : undefined; }
    case 9: { const x = c.llm; return o(x) ? x.piiTypes ?? undefined : undefined; }
    case 10: { const x = c.llm; return o(x) ? x.injectionScore ?? undefined : undefined; }
    case 11: { const x = c.llm; return o(x) ? x.injectionSignals ?? undefined : undefined; }
    case 12: { const x = c.user; return o(x) ? x.id ?? undefined : undefined; }
    case 13: { const x = c.user; return o(x) ? x.email ?? undefined : undefined; }
    case 14: { const x = c.user; return o(x) ? x.roles ?? undefined : undefined; }
    case 15: { const x = c.team; return o(x) ? x.id ?? undefined : undefined; }
    case 16: { const x = c.team; return o(x) ? x.name ?? undefined : undefined; }
    case 17: { const x = c.team; return o(x) ? x.tier ?? undefined : undefined; }
    case 18: { const x = c.project; return o(x) ? x.id ?? undefined : undefined; }
    case 19: { const x = c.project; return o(x) ? x.name ?? undefined : undefined; }
    case 20: { const x = c.project; return o(x) ? x.environment ?? undefined : undefined; }
    case 21: { const x = c.time; return o(x) ? x.hour ?? undefined : undefined; }
    case 22: { const x = c.time; return o(x) ? x.weekday ?? undefined : undefined; }
    case 23: { const x = c.metadata; return o(x) ? x.namespace ?? undefined : undefined; }
    case 24: { const x = c.response; return o(x) ? x.text ?? undefined : undefined; }
    case 25: { const x = c.response; return o(x) ? x.containsPII ?? undefined : undefined; }
    default: return undefined;
  }
}

/** How many known paths there are: slots 0 .. KNOWN_COUNT - 1 of `readKnownInto`. */
export const KNOWN_COUNT = KNOWN_IDS.size;

/** Bit `1 << id` for each known path id (ids fit in 31 bits). */
export function knownBit(id: number): number {
  return 1 << id;
}

const LLM = 0xfff;
const USER = 0x7000;
const TEAM = 0x38000;
const PROJECT = 0x1c0000;
const TIME = 0x600000;
const METADATA = 0x800000;
const RESPONSE = 0x3000000;

function clear(s: unknown[], from: number, to: number): void {
  for (let i = from; i < to; i++) s[i] = undefined;
}

/**
 * The known paths whose bits are in `mask`, read once per evaluation into `s[id]`: straight-line
 * monomorphic named loads (readKnown is too large for V8 to inline, so a leaf reading through it
 * pays a call and a jump per read, and a field read by three leaves is read three times). No field
 * outside the mask is read (its slot may be cleared). Same values as readKnown (a test holds them to it).
 */
export function readKnownInto(c: unknown, mask: number, s: unknown[]): void {
  if (!o(c)) return clear(s, 0, KNOWN_COUNT);
  if ((mask & LLM) !== 0) {
    const x = c.llm;
    if (!o(x)) clear(s, 0, 12);
    else {
      if ((mask & 0x1) !== 0) s[0] = x.provider ?? undefined;
      if ((mask & 0x2) !== 0) s[1] = x.model ?? undefined;
      if ((mask & 0x4) !== 0) s[2] = x.prompt ?? undefined;
      if ((mask & 0x8) !== 0) s[3] = x.maxTokens ?? undefined;
      if ((mask & 0x10) !== 0) s[4] = x.temperature ?? undefined;
      if ((mask & 0x20) !== 0) s[5] = x.stream ?? undefined;
      if ((mask & 0x40) !== 0) s[6] = x.estimatedTokens ?? undefined;
      if ((mask & 0x80) !== 0) s[7] = x.estimatedCost ?? undefined;
      if ((mask & 0x100) !== 0) s[8] = x.containsPII ?? undefined;
      if ((mask & 0x200) !== 0) s[9] = x.piiTypes ?? undefined;
      if ((mask & 0x400) !== 0) s[10] = x.injectionScore ?? undefined;
      if ((mask & 0x800) !== 0) s[11] = x.injectionSignals ?? undefined;
    }
  }
  if ((mask & USER) !== 0) {
    const x = c.user;
    if (!o(x)) clear(s, 12, 15);
    else {
      if ((mask & 0x1000) !== 0) s[12] = x.id ?? undefined;
      if ((mask & 0x2000) !== 0) s[13] = x.email ?? undefined;
      if ((mask & 0x4000) !== 0) s[14] = x.roles ?? undefined;
    }
  }
  if ((mask & TEAM) !== 0) {
    const x = c.team;
    if (!o(x)) clear(s, 15, 18);
    else {
      if ((mask & 0x8000) !== 0) s[15] = x.id ?? undefined;
      if ((mask & 0x10000) !== 0) s[16] = x.name ?? undefined;
      if ((mask & 0x20000) !== 0) s[17] = x.tier ?? undefined;
    }
  }
  if ((mask & PROJECT) !== 0) {
    const x = c.project;
    if (!o(x)) clear(s, 18, 21);
    else {
      if ((mask & 0x40000) !== 0) s[18] = x.id ?? undefined;
      if ((mask & 0x80000) !== 0) s[19] = x.name ?? undefined;
      if ((mask & 0x100000) !== 0) s[20] = x.environment ?? undefined;
    }
  }
  if ((mask & TIME) !== 0) {
    const x = c.time;
    if (!o(x)) clear(s, 21, 23);
    else {
      if ((mask & 0x200000) !== 0) s[21] = x.hour ?? undefined;
      if ((mask & 0x400000) !== 0) s[22] = x.weekday ?? undefined;
    }
  }
  if ((mask & METADATA) !== 0) {
    const x = c.metadata;
    s[23] = o(x) ? x.namespace ?? undefined : undefined;
  }
  if ((mask & RESPONSE) !== 0) {
    const x = c.response;
    if (!o(x)) clear(s, 24, 26);
    else {
      if ((mask & 0x1000000) !== 0) s[24] = x.text ?? undefined;
      if ((mask & 0x2000000) !== 0) s[25] = x.containsPII ?? undefined;
    }
  }
}
