// Enrichment for the CLI (spec §7): the library's evaluate is pure, the CLI fills the derived
// fields first unless `--no-enrich`. Also lists what enrichment added, for `--format text`.

export type Enrich = (context: Record<string, unknown>) => Record<string, unknown>;

// src/enrich is landing separately; until it does, the CLI evaluates contexts as given and says so.
const ENRICH_MODULE = '../enrich/index';

export async function loadEnricher(onMissing: (message: string) => void): Promise<Enrich> {
  try {
    const mod = (await import(ENRICH_MODULE)) as { enrich?: (ctx: object) => object };
    if (typeof mod.enrich === 'function') return (ctx) => mod.enrich!(ctx) as Record<string, unknown>;
  } catch {
    // fall through
  }
  onMissing('warning: enrichment is not available in this build; evaluating the context as given');
  return (ctx) => ctx;
}

/** Dotted paths of leaves present in `after` and absent in `before`, with their values. */
export function addedFields(before: unknown, after: unknown, prefix = ''): string[] {
  if (!isObject(after)) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(after)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const old = isObject(before) ? before[key] : undefined;
    if (old === undefined) out.push(`${path} = ${JSON.stringify(value)}`);
    else if (isObject(value)) out.push(...addedFields(old, value, path));
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
