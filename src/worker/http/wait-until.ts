// ctx.waitUntil when the runtime gave us an execution context (it always does in Workers; tests
// calling app.request() directly may not).
import type { Context } from 'hono';

export function waitUntilOf(c: Context): ((p: Promise<unknown>) => void) | undefined {
  try {
    const ctx = c.executionCtx;
    return (p) => ctx.waitUntil(p);
  } catch {
    return undefined;
  }
}
