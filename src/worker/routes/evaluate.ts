// POST /v1/evaluate and /v1/evaluate/batch through the Hono app (the handlers: evaluate/handle.ts).
// A deployed worker serves POST /v1/evaluate through the lean entry instead
// (evaluate/lean-entry.ts), which answers the same without Hono's per-request machinery.
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env';
import { evaluateBatch, evaluateOne, type EvaluateRequest } from '../evaluate/handle';
import { waitUntilOf } from '../http/wait-until';
import { requireClient } from '../middleware/auth';
import { prefetchBundles } from '../middleware/prefetch-bundles';

export const evaluate = new Hono<AppEnv>();

evaluate.use(prefetchBundles(), requireClient());

evaluate.post('/', (c) => evaluateOne(requestOf(c)));
evaluate.post('/batch', (c) => evaluateBatch(requestOf(c)));

function requestOf(c: Context<AppEnv>): EvaluateRequest {
  return {
    env: c.env,
    request: c.req.raw,
    config: c.get('config'),
    principal: c.get('principal'),
    requestId: c.get('requestId'),
    bundles: c.get('bundles'),
    waitUntil: waitUntilOf(c) ?? ((p: Promise<unknown>) => void p),
    line: c.get('logFields'),
  };
}
