// What the finders read of a decision record: its context's fields (as the edge evaluated them)
// and who made the request.
import type { DecisionRecord } from '../../durable/decision-types';
import { recordedSide } from '../../simulate/replay';

export function field(record: DecisionRecord, path: string): unknown {
  let node: unknown = record.context;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node ?? undefined;
}

export function text(record: DecisionRecord, path: string): string | undefined {
  const v = field(record, path);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function number(record: DecisionRecord, path: string): number | undefined {
  const v = field(record, path);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function teamOf(record: DecisionRecord): string | undefined {
  return record.subject?.teamId ?? text(record, 'team.id');
}

export function userOf(record: DecisionRecord): string | undefined {
  return record.subject?.userId ?? text(record, 'user.id');
}

/** The policy's decision then (a budget refusal or a response-stage verdict came after an allow). */
export function policyDecision(record: DecisionRecord): string {
  return recordedSide(record).decision;
}

/** Largest first, ties by key; at most `n`. */
export function topCounts(counts: Map<string, number>, n = 5): Array<{ id: string; count: number }> {
  return [...counts].map(([id, count]) => ({ id, count })).sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1)).slice(0, n);
}

export function bump(counts: Map<string, number>, key: string | undefined, by = 1): void {
  if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + by);
}

/** A policy id part from free text: lower case, [a-z0-9-], at most 40 characters. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '') || 'x';
}

export function round(n: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
