// Fills the derived fields of a request context (spec §7) that the caller did not send.
//
// - Only absent fields are filled; a value the caller sent, even a wrong one, is kept. `null`
//   counts as absent (spec §2: a field whose value is null is missing).
// - The input is never mutated: the result is a new object, and only the objects that gain
//   fields (the context, `llm`, `time`, `response`) are copied.
// - Without a prompt (no `llm.prompt`, `llm.system` or `llm.messages`) no token, cost, PII or
//   injection fields are filled. `llm.canonicalModel` needs only `llm.model` (canonical-model.ts).
// - `llm.estimatedCost` is USD for the prompt tokens plus `llm.maxTokens` of output, or
//   `opts.defaultMaxTokens` (default 1000) when the request sets no maximum. When the price
//   table does not know the model it stays absent; a comparison such as `gt` on a missing field
//   is false, so write cost rules as "deny when estimatedCost > X" together with a rule for
//   `not_exists: llm.estimatedCost` if unknown models must not pass.

import { PolicyError } from '../policy/errors';
import { canonicalModel } from './canonical-model';
import { estimateCost } from './cost';
import { injectionScore } from './injection';
import { detectPII } from './pii';
import { countPromptTokens } from './prompt-tokens';
import { hasPrompt, promptText } from './prompt-text';
import { timeFields } from './time';
import { enrichToolResults } from './tool-results';
import { cachedByText } from './text-cache';

// A prompt sent again (an agent's fixed instructions, a retried call) is scanned once per isolate.
// The results are shared: the context gets copies of their lists.
const promptPII = cachedByText(detectPII);
const promptInjection = cachedByText(injectionScore);

export type EnrichmentKind = 'model' | 'tokens' | 'cost' | 'pii' | 'injection' | 'time';

/** The context fields each kind fills in (response.* by the proxy's response stage). */
export const ENRICHED_FIELDS: Readonly<Record<EnrichmentKind, readonly string[]>> = {
  model: ['llm.canonicalModel'],
  tokens: ['llm.estimatedTokens'],
  cost: ['llm.estimatedCost'],
  pii: [
    'llm.containsPII', 'llm.piiTypes', 'response.containsPII', 'response.piiTypes',
    'llm.toolResultsContainsPII', 'llm.toolResultsPiiTypes', 'llm.toolResults.containsPII', 'llm.toolResults.piiTypes',
  ],
  injection: [
    'llm.injectionScore', 'llm.injectionSignals', 'llm.injectionStages', 'llm.safety', 'llm.toolResults',
    'llm.toolResultsInjectionScore', 'llm.toolResultsInjectionSignals', 'llm.toolResults.injectionScore', 'llm.toolResults.injectionSignals',
    'response.injectionScore', 'response.injectionSignals',
  ],
  time: ['time.hour', 'time.weekday', 'time.iso'],
};

export interface EnrichOptions {
  /** The clock for `time.*` and for time-dependent prices. Default: `new Date()`. */
  now?: Date;
  /** Output tokens assumed for the cost when `llm.maxTokens` is absent. Default 1000. */
  defaultMaxTokens?: number;
  /** Compute only these kinds. Default: all. */
  only?: EnrichmentKind[];
}

export const DEFAULT_MAX_TOKENS = 1000;

type Fields = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Fields => v !== null && typeof v === 'object' && !Array.isArray(v);
const isAbsent = (o: Fields, key: string): boolean => !Object.prototype.hasOwnProperty.call(o, key) || o[key] === undefined || o[key] === null;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Sets the absent fields of `target` from `fill`, lazily (a filler runs only if its field is absent). */
function fillAbsent(target: Fields, fill: Record<string, () => unknown>): Fields | undefined {
  let copy: Fields | undefined;
  for (const [key, compute] of Object.entries(fill)) {
    if (!isAbsent(target, key)) continue;
    const value = compute();
    if (value === undefined) continue;
    copy ??= { ...target };
    copy[key] = value;
  }
  return copy;
}

function memo<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

function enrichLlm(llm: Fields, wants: (k: EnrichmentKind) => boolean, now: Date, defaultMaxTokens: number): Fields | undefined {
  if (!hasPrompt(llm)) return undefined;
  const model = typeof llm.model === 'string' ? llm.model : undefined;
  const text = memo(() => promptText(llm));
  const tokens = memo(() => countPromptTokens(llm, model));
  const pii = memo(() => promptPII(text()));
  const injection = memo(() => promptInjection(text()));
  const fill: Record<string, () => unknown> = {};
  if (wants('tokens')) fill.estimatedTokens = tokens;
  if (wants('cost') && model !== undefined) {
    fill.estimatedCost = () =>
      estimateCost({
        provider: typeof llm.provider === 'string' ? llm.provider : undefined,
        model,
        // A count the caller sent is the better one (it may come from the provider's own tokenizer).
        inputTokens: isCount(llm.estimatedTokens) ? llm.estimatedTokens : tokens(),
        outputTokens: isCount(llm.maxTokens) ? llm.maxTokens : defaultMaxTokens,
        at: now,
      });
  }
  if (wants('pii')) {
    fill.containsPII = () => pii().types.length > 0;
    fill.piiTypes = () => [...pii().types];
  }
  if (wants('injection')) {
    fill.injectionScore = () => injection().score;
    fill.injectionSignals = () => [...injection().signals];
  }
  // Tool results are scanned in tool-results.ts (each element, and all of them together).
  return fillAbsent(llm, fill);
}

function withCanonicalModel(llm: Fields): Fields | undefined {
  const model = llm.model;
  return typeof model === 'string' ? fillAbsent(llm, { canonicalModel: () => canonicalModel(model) }) : undefined;
}

function enrichResponse(response: Fields, wants: (k: EnrichmentKind) => boolean): Fields | undefined {
  if (typeof response.text !== 'string') return undefined;
  const text = response.text;
  const pii = memo(() => detectPII(text));
  const injection = memo(() => injectionScore(text));
  const fill: Record<string, () => unknown> = {};
  if (wants('pii')) {
    fill.containsPII = () => pii().types.length > 0;
    fill.piiTypes = () => pii().types;
  }
  if (wants('injection')) {
    fill.injectionScore = () => injection().score;
    fill.injectionSignals = () => injection().signals;
  }
  return fillAbsent(response, fill);
}

/** A new context with the absent derived fields filled in (see the notes at the top of this file). */
export function enrich(context: object, opts: EnrichOptions = {}): Record<string, unknown> {
  if (!isPlainObject(context)) throw new PolicyError('input_error', 'the context must be a JSON object');
  const only = opts.only ? new Set(opts.only) : undefined;
  const wants = (kind: EnrichmentKind): boolean => !only || only.has(kind);
  const now = opts.now ?? new Date();
  const defaultMaxTokens = isCount(opts.defaultMaxTokens) ? opts.defaultMaxTokens : DEFAULT_MAX_TOKENS;

  const out: Fields = { ...context };
  const llm = isPlainObject(out.llm) ? enrichLlm(out.llm, wants, now, defaultMaxTokens) : undefined;
  if (llm) out.llm = llm;
  const named = wants('model') && isPlainObject(out.llm) ? withCanonicalModel(out.llm) : undefined;
  if (named) out.llm = named;
  const withResults = isPlainObject(out.llm) ? enrichToolResults(out.llm, { injection: wants('injection'), pii: wants('pii') }) : undefined;
  if (withResults) out.llm = withResults;
  if ((wants('pii') || wants('injection')) && isPlainObject(out.response)) {
    const response = enrichResponse(out.response, wants);
    if (response) out.response = response;
  }
  if (wants('time')) {
    const fields = timeFields(now);
    const time = isAbsent(out, 'time') ? {} : out.time;
    if (fields && isPlainObject(time)) {
      const filled = fillAbsent(time, { hour: () => fields.hour, weekday: () => fields.weekday, iso: () => fields.iso });
      if (filled) out.time = filled;
    }
  }
  return out;
}
