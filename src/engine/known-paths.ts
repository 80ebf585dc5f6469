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
