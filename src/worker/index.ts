// Worker entry: POST /v1/evaluate, the hot route, through its lean entry (evaluate/lean-entry.ts);
// every other request through the Hono app. The Durable Object classes are exported for their bindings.
// Named one by one (not `export *`): `wrangler types` reads this file's exports without bundling,
// and types each namespace binding with its class only when it sees the class exported here.
import { createApp } from './app';
import { serveEvaluate, servedLean } from './evaluate/lean-entry';

export { Approvals, BudgetCounter, DecisionLog, RolloutCoordinator, VersionStats } from '../durable/index';

const app = createApp();

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    const url = request.url;
    return servedLean(request, url) ? serveEvaluate(request, env, ctx, url) : app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
