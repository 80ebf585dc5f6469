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
