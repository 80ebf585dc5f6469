// What a test's context becomes before it is evaluated. By default nothing changes: a test sees
// exactly the context it wrote, so results do not move when the price table or the detectors are
// updated. `now` fills only the time fields; `enrich: true` runs the edge's full enrichment.
// `llm.canonicalModel` is always filled (from llm.model alone, as the edge does), so a test of a
// model allowlist sees the model the way the edge sees it.
import { enrich } from '../enrich/index';
import type { JsonValue } from '../policy/types';

type Context = Record<string, JsonValue>;

export interface Preparation {
  /** ISO 8601 instant for time.* (and for time-dependent prices when enriching). */
  now?: string;
  enrich: boolean;
}

export function prepareContext(context: Context, { now, enrich: full }: Preparation): Context {
  const clock = now === undefined ? undefined : new Date(now);
  // As in enrichment, a field the context already has is kept (time.hour given by the test wins).
  if (full) return enrich(context, { now: clock }) as Context;
  return enrich(context, { ...(clock ? { now: clock } : {}), only: clock ? ['model', 'time'] : ['model'] }) as Context;
}
