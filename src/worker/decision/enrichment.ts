// Runs the enrichment the serving bundle observes (enrich-plan.ts). Enrichment that throws does
// not stop the request, nor does it let it through unchecked: the context goes on without the
// derived fields, and in the view the rules see every planned field throws when read, so each
// rule reading one follows its own onError (deny rules deny by default). The failure is kept
// for the record (`onError.message`).
import { enrich, ENRICHED_FIELDS, type EnrichmentKind } from '../../enrich/index';

type Fields = Record<string, unknown>;

export interface Enriched {
  context: Fields;
  /** Why enrichment failed, when it did. */
  enrichError?: string;
}

export function runEnrichment(base: Fields, kinds: readonly EnrichmentKind[], defaultMaxTokens?: number): Enriched {
  if (kinds.length === 0) return { context: base };
  try {
    return { context: enrich(base, { only: [...kinds], defaultMaxTokens }) };
  } catch (e) {
    return { context: { ...base }, enrichError: `enrichment failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** `context` with every field of `kinds` (two-segment paths such as `llm.containsPII`) throwing `message` when read. */
export function failingView(context: Fields, kinds: readonly EnrichmentKind[], message: string): Fields {
  const view: Fields = { ...context };
  const copied = new Set<string>();
  for (const kind of kinds) {
    for (const path of ENRICHED_FIELDS[kind]) {
      const [head, field, ...rest] = path.split('.');
      if (rest.length > 0 || field === undefined) continue;
      if (!copied.has(head)) {
        const inner = view[head];
        view[head] = typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? { ...inner } : {};
        copied.add(head);
      }
      Object.defineProperty(view[head] as Fields, field, {
        enumerable: true,
        configurable: true,
        get() {
          throw new Error(message);
        },
      });
    }
  }
  return view;
}
