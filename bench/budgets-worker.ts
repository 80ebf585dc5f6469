// The worker the budgets benchmark runs in Miniflare: one reserve + settle round trip per request,
// through the same client functions the edge worker uses, against real SQLite-backed counters.
//   GET /round-trip?team=<scope value>&id=<request id>  -> reserveAll, then settleAll
//   GET /noop                                           -> nothing: the HTTP floor
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
    if (url.pathname !== '/round-trip') return new Response('not found', { status: 404 });
    const team = url.searchParams.get('team') ?? 'hot';
    const id = url.searchParams.get('id') ?? crypto.randomUUID();
    const reserved = await reserveAll(env, [BUDGET], [], { team: { id: team } }, { costUsd: 0.002, tokens: 1200 }, id);
    if (!reserved.ok) return new Response(reserved.message, { status: 429 });
    const settled = await settleAll(env, reserved.reservations, { costUsd: 0.0015, tokens: 900 });
    return new Response(settled.every((s) => s.ok) ? 'ok' : 'settle failed', { status: settled.every((s) => s.ok) ? 200 : 500 });
  },
};
