// A reservation as the worker and proxy hold it, and its opaque id: the id alone routes a later
// settle or release (e.g. `POST /v1/budgets/settle {reservationIds}`) to the right counter.
import { decodeBase64url, encodeBase64url } from './base64url';
import type { LeaseTicket } from './budget-types';

export type LimitKind = 'budget' | 'rateLimit';

export interface Reservation {
  /** Opaque; pass it back to settle or release. */
  id: string;
  kind: LimitKind;
  /** The budget or rate limit id. */
  limitId: string;
  scopeValue: string;
  requestId: string;
  /** Admitted under this isolate's lease (proxy only): settled and released through the lease holder. */
  lease?: LeaseTicket;
}

const PREFIX = 'rsv1_';

/**
 * The counter object's name. Budgets: `${budgetId}:${scopeValue}`. Rate limits get a
 * `rate-limit/` prefix: ids cannot contain `/`, so a rate limit never shares a counter with a
 * budget of the same id.
 */
export function counterName(kind: LimitKind, limitId: string, scopeValue: string): string {
  return kind === 'budget' ? `${limitId}:${scopeValue}` : `rate-limit/${limitId}:${scopeValue}`;
}

export function makeReservation(kind: LimitKind, limitId: string, scopeValue: string, requestId: string): Reservation {
  const id = PREFIX + encodeBase64url(JSON.stringify([kind, limitId, scopeValue, requestId]));
  return { id, kind, limitId, scopeValue, requestId };
}

/** The reservation an id stands for, or undefined if it is not one of ours. */
export function parseReservationId(id: string): Reservation | undefined {
  if (typeof id !== 'string' || !id.startsWith(PREFIX) || id.length > 4096) return undefined;
  try {
    const parts: unknown = JSON.parse(decodeBase64url(id.slice(PREFIX.length)));
    if (!Array.isArray(parts) || parts.length !== 4 || !parts.every((p) => typeof p === 'string')) return undefined;
    const [kind, limitId, scopeValue, requestId] = parts as string[];
    if (kind !== 'budget' && kind !== 'rateLimit') return undefined;
    return { id, kind, limitId, scopeValue, requestId };
  } catch {
    return undefined;
  }
}
