// The time fields of the request context, in UTC (spec §7).

export interface TimeFields {
  /** 0..23 */
  hour: number;
  /** 0 = Sunday .. 6 = Saturday */
  weekday: number;
  /** ISO 8601 in UTC, e.g. 2026-11-22T10:00:00.000Z */
  iso: string;
}

/** The time fields for `now`, or undefined for an invalid Date. */
export function timeFields(now: Date): TimeFields | undefined {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) return undefined;
  return { hour: now.getUTCHours(), weekday: now.getUTCDay(), iso: now.toISOString() };
}
