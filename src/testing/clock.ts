// `now` in a test: the time fields of spec §7 (time.hour, time.weekday, time.iso, all UTC) for a
// fixed instant, so time-based policies test the same on any day. As with enrichment, a value the
// test's context already has is kept.
import { isPlainObject } from '../policy/schema-helpers';
import type { JsonValue } from '../policy/types';

type Context = Record<string, JsonValue>;

export function withClock(context: Context, now: string): Context {
  const existing = context.time;
  // A `time` that is not a mapping is the test's own business: leave it for the policies to see.
  if (existing !== undefined && existing !== null && !isPlainObject(existing)) return context;
  const instant = new Date(now);
  const time: Record<string, JsonValue> = { ...(existing ?? {}) };
  time.hour ??= instant.getUTCHours();
  time.weekday ??= instant.getUTCDay();
  time.iso ??= instant.toISOString();
  return { ...context, time };
}
