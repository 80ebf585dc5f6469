// What a caller of the edge may not assert. Fields derived from the prompt are computed from the
// prompt itself whenever one is sent, and the clock is the edge's: a caller-sent
// `llm.containsPII: false` or `llm.injectionScore: 0` beside a prompt full of both must not turn
// a deny into an allow. What the caller sent is kept under `claimed` at the same path, so a
// policy or a record can still see it, never mistaken for the real value.
//
// Without a prompt there is nothing to compute from: a caller using the edge as a decision point
// for a call it makes itself may then send these fields, and they stand (README "Edge worker").
import { isPlainObject } from '../policy/schema-helpers';
import { hasPrompt } from './prompt-text';

/** `llm.*` fields enrichment derives from the prompt. */
const FROM_PROMPT = ['estimatedTokens', 'estimatedCost', 'containsPII', 'piiTypes', 'injectionScore', 'injectionSignals', 'injectionStages', 'safety'] as const;

export function setAsideClaims(context: Record<string, unknown>): Record<string, unknown> {
  const claimed: Record<string, unknown> = isPlainObject(context.claimed) ? { ...context.claimed } : {};
  let out: Record<string, unknown> | undefined;
  const llm = context.llm;
  if (isPlainObject(llm) && hasPrompt(llm)) {
    const sent = FROM_PROMPT.filter((k) => llm[k] !== undefined);
    if (sent.length > 0) {
      const kept = { ...llm };
      const asserted: Record<string, unknown> = isPlainObject(claimed.llm) ? { ...claimed.llm } : {};
      for (const k of sent) {
        asserted[k] = kept[k];
        delete kept[k];
      }
      out = { ...context, llm: kept };
      claimed.llm = asserted;
    }
  }
  // The canonical model follows from llm.model alone, so the edge always derives it.
  const current = out?.llm ?? llm;
  if (isPlainObject(current) && current.canonicalModel !== undefined) {
    const { canonicalModel, ...kept } = current;
    out = { ...(out ?? context), llm: kept };
    claimed.llm = { ...(isPlainObject(claimed.llm) ? claimed.llm : {}), canonicalModel };
  }
  if (context.time !== undefined) {
    out = { ...(out ?? context) };
    claimed.time = out.time;
    delete out.time;
  }
  if (!out) return context;
  out.claimed = claimed;
  return out;
}
