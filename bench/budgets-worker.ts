// The worker the budgets benchmark runs in Miniflare: one reserve + settle round trip per request,
// through the same client functions the edge worker uses, against real SQLite-backed counters.
//   GET /round-trip?team=<scope value>&id=<request id>  -> reserveAll, then settleAll
//   GET /noop                                           -> nothing: the HTTP floor
//   GET /burst?n=&objects=&inFlight=&run=               -> n round trips inside this one request
//                                                          (no HTTP per trip), {ms} for all of them
import type { BudgetsEnv } from '../src/durable/env';
import { reserveAll, settleAll } from '../src/durable/budgets-client';
import type { Budget } from '../src/policy/types';

export { BudgetCounter } from '../src/durable/budget-counter';

// High enough that no request is ever refused: the benchmark measures the round trip.
const BUDGET: Budget = { id: 'bench-spend', scope: 'team.id', window: 'month', limit: { costUsd: 1_000_000, tokens: 1e12 } };

export default {
  async fetch(request: Request, env: BudgetsEnv): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/noop') return new Response('ok');
    if (url.pathname === '/burst') return burst(env, url.searchParams);
    if (url.pathname !== '/round-trip') return new Response('not found', { status: 404 });
    const ok = await roundTrip(env, url.searchParams.get('team') ?? 'hot', url.searchParams.get('id') ?? crypto.randomUUID());
    return new Response(ok ? 'ok' : 'failed', { status: ok ? 200 : 500 });
  },
};

async function roundTrip(env: BudgetsEnv, team: string, id: string): Promise<boolean> {
  const reserved = await reserveAll(env, [BUDGET], [], { team: { id: team } }, { costUsd: 0.002, tokens: 1200 }, id);
  if (!reserved.ok) return false;
  const settled = await settleAll(env, reserved.reservations, { costUsd: 0.0015, tokens: 900 });
  return settled.every((s) => s.ok);
}

// Date.now() in workerd moves only across I/O, which is exactly what is timed here: the total
// over many awaited round trips is accurate to a millisecond.
async function burst(env: BudgetsEnv, params: URLSearchParams): Promise<Response> {
  const n = Number(params.get('n') ?? 1000);
  const objects = Number(params.get('objects') ?? 1);
  const inFlight = Number(params.get('inFlight') ?? 32);
  const run = params.get('run') ?? crypto.randomUUID();
  let next = 0;
  let failures = 0;
  const started = Date.now();
  const lane = async () => {
    for (let i = next++; i < n; i = next++) if (!(await roundTrip(env, `team-${i % objects}`, `${run}-${i}`))) failures++;
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return Response.json({ ms: Date.now() - started, n, failures });
}
