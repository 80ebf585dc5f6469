// Enrichment for the CLI (spec §7): the library's evaluate is pure; the CLI fills the derived
// fields first unless `--no-enrich`. Also lists what enrichment added, for `--format text`.
import { enrich } from '../enrich/index';
import { PolicyError } from '../policy/errors';

export type Enrich = (context: Record<string, unknown>) => Record<string, unknown>;

/** An enricher with a fixed clock when `now` (ISO 8601) is given, else the real one. */
export function makeEnricher(now?: string): Enrich {
  const clock = now === undefined ? undefined : parseNow(now);
  return (context) => enrich(context, clock ? { now: clock } : {}) as Record<string, unknown>;
}

function parseNow(text: string): Date {
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(date.getTime())) {
    throw new PolicyError('input_error', `--now must be an ISO 8601 time like 2026-01-05T14:30:00Z, got ${JSON.stringify(text)}`);
  }
  return date;
}

/** Dotted paths of leaves present in `after` and absent in `before`, as `path = value`. */
export function addedFields(before: unknown, after: unknown, prefix = ''): string[] {
  if (!isObject(after)) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(after)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const old = isObject(before) ? before[key] : undefined;
    if (old === undefined || old === null) out.push(`${path} = ${JSON.stringify(value)}`);
    else if (isObject(value)) out.push(...addedFields(old, value, path));
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
